#!/usr/bin/env python3
"""Scenarios (EXPECT_RACE_FREE / EXPECT_RACE_DETECTED inside TESTs) measured
against registered cases, in examples/consumer built against an installed
package:

  verdicts:   how many of RUNS runs (seeds 1..RUNS) of each scenario TEST
              passed (a racy scenario detected, a clean one never flagged);
  fixed cost: for a one-iteration run of a scenario TEST and of a
              registered case, side by side, the median wall time minus the
              time the engine ran (the JSON report's elapsed_ms): what the
              child process, its start and the judging cost (the scenario's
              child also starts GoogleTest and runs its test up to the
              scenario). The two do different work; their overheads compare.

Usage (after `cmake --install build/<preset>` and building the consumer
against install/<preset>, as README's "Use racestress from your own project"):
  bench/scenario_check.py --build build/consumer [--runs 100] [--cost-runs 30]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

SCENARIOS = ["LedgerScenario.UnlockedDepositsAreCaught",
             "LedgerScenario.ConcurrentDepositsAreCounted",
             "LedgerScenario.BalanceReadDuringADepositIsBeforeOrAfter"]
COST_PAIR = [("ledger_cases_test", "Ledger.LostDepositLocked"),
             ("ledger_scenarios_test", "LedgerScenario.ConcurrentDepositsAreCounted")]


def run(binary, test, *flags):
    start = time.monotonic()
    proc = subprocess.run([binary, f"--gtest_filter={test}", *flags],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc.returncode, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--cost-runs", type=int, default=30)
    args = parser.parse_args()
    scenarios = os.path.join(args.build, "ledger_scenarios_test")

    print("| scenario TEST | passed | failing seeds |")
    print("|---|---|---|")
    for test in SCENARIOS:
        failing = [seed for seed in range(1, args.runs + 1)
                   if run(scenarios, test, f"--seed={seed}")[0] != 0]
        print(f"| {test} | {args.runs - len(failing)}/{args.runs} | "
              f"{' '.join(map(str, failing)) or 'none'} |", flush=True)

    print("\n| one-iteration run | median wall time | median engine time | median overhead |")
    print("|---|---|---|---|")
    wall = {test: [] for _, test in COST_PAIR}
    engine = {test: [] for _, test in COST_PAIR}
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        for seed in range(1, args.cost_runs + 1):  # interleaved: same machine state
            for binary, test in COST_PAIR:
                code, elapsed = run(os.path.join(args.build, binary), test, "--iterations=1",
                                    f"--seed={seed}", f"--json={report}")
                if code != 0:
                    sys.exit(f"{test} failed with seed {seed}")
                with open(report) as f:
                    engine_ms = json.load(f)["cases"][0]["elapsed_ms"]
                wall[test].append(elapsed * 1000)
                engine[test].append(engine_ms)
    overhead = {}
    for _, test in COST_PAIR:
        overhead[test] = statistics.median(w - e for w, e in zip(wall[test], engine[test]))
        print(f"| {test} | {statistics.median(wall[test]):.0f} ms | "
              f"{statistics.median(engine[test]):.0f} ms | {overhead[test]:.0f} ms |")
    case, scenario = (overhead[t] for _, t in COST_PAIR)
    print(f"\nscenario overhead / case overhead: {scenario / case:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
