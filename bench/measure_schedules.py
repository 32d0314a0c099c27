#!/usr/bin/env python3
"""Schedules to first bug under the controlled engine, per racy case and strategy.

Runs every racy case the controlled engine can schedule SEEDS times (each run a
seed of its own, through --gtest_repeat) under each strategy, and prints a
Markdown table for docs/BENCHMARKS.md: in how many runs the bug was found
within the budget, and the median and worst number of schedules to the first
finding among those runs.

Run it on the stress preset: under tsan every data race is reported in the
very first schedule (the actors share no happens-before edge), which says
nothing about the strategies.

Usage:
  bench/measure_schedules.py [--preset stress] [--seeds 100] [--schedules 1000]
                             [--time-budget 1s] [--filter 'Counter.*'] [--runner PATH]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from racestress_cases import list_cases

STRATEGIES = [
    ("random", ["--strategy=random"]),
    ("pct d=1", ["--strategy=pct", "--pct_depth=1"]),
    ("pct d=2", ["--strategy=pct", "--pct_depth=2"]),
    ("pct d=3", ["--strategy=pct", "--pct_depth=3"]),
]


def run(runner, case, flags, seeds, schedules, budget, seed):
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        cmd = [runner, f"--gtest_filter={case}", f"--gtest_repeat={seeds}", f"--seed={seed}",
               "--engine=controlled", f"--iterations={schedules}", f"--time_budget={budget}",
               f"--json={report}"] + flags
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode not in (0, 1) or not os.path.exists(report):
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
        with open(report) as f:
            return json.load(f)["cases"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="stress")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--time-budget", default="1s")
    parser.add_argument("--filter", default="")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runner", default="")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runner = args.runner or os.path.join(root, "build", args.preset, "racestress")
    if not os.access(runner, os.X_OK):
        sys.exit(f"measure_schedules: {runner} not built (cmake --build --preset {args.preset})")

    print(f"preset {args.preset}, {args.seeds} seeds per case and strategy, budget "
          f"{args.schedules} schedules or {args.time_budget} per run, base seed {args.seed}\n")
    header = " | ".join(f"{name}: found, median, worst" for name, _ in STRATEGIES)
    print(f"| racy case | {header} |")
    print("|---|" + "---|" * len(STRATEGIES))
    for case in list_cases(runner, "racy", args.filter):
        cells = []
        for _, flags in STRATEGIES:
            entries = run(runner, case, flags, args.seeds, args.schedules, args.time_budget,
                          args.seed)
            ran = [e for e in entries if not e["skipped"]]
            if not ran:
                cells = None
                break
            hits = [e["first_failure"]["iteration"] + 1 for e in ran
                    if e["passed"] and e["first_failure"]]
            if hits:
                cells.append(f"{len(hits)}/{len(ran)}, {statistics.median(hits):g}, {max(hits)}")
            else:
                cells.append(f"0/{len(ran)}, -, -")
        if cells is None:
            print(f"| {case} | skipped (see the runner's reason) |" + " |" * (len(STRATEGIES) - 1))
        else:
            print(f"| {case} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
