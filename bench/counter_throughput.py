#!/usr/bin/env python3
"""Throughput of the catalog's counter variants, side by side.

Python's answer to the lost update is the GIL: one global lock around every
step. Counter.LostUpdateGil models it; this prints its throughput beside the
fine-grained (a mutex per increment) and atomic variants, all run by the same
engine, with the same scheduling points, in one invocation of the runner.

Usage: bench/counter_throughput.py [--preset stress] [--seconds 3] [--seed 1]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

INCREMENTS_PER_ITERATION = 5 * 100000  # cases/counter/lost_update.cc
VARIANTS = [
    ("Counter.LostUpdateGil", "GIL mode: one global lock, switched every 100 steps"),
    ("Counter.LostUpdateStdMutex", "fine-grained: std::mutex per increment"),
    ("Counter.LostUpdateAbslMutex", "fine-grained: absl::Mutex per increment"),
    ("Counter.LostUpdateAtomic", "atomic fetch_add per increment"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="stress")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runner = os.path.join(root, "build", args.preset, "racestress")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        subprocess.run([runner, "--gtest_filter=" + ":".join(v for v, _ in VARIANTS),
                        f"--time_budget={args.seconds}s", f"--seed={args.seed}",
                        f"--json={report}"], check=True, stdout=subprocess.DEVNULL)
        with open(report) as f:
            cases = {c["name"]: c for c in json.load(f)["cases"]}
    print(f"preset {args.preset}, {args.seconds:g} s per variant, seed {args.seed}, "
          f"5 threads x 100000 increments per iteration\n")
    print("| variant | iterations | increments/s | vs GIL |")
    print("|---|---|---|---|")
    gil = None
    for name, description in VARIANTS:
        c = cases[name]
        rate = c["iterations"] * INCREMENTS_PER_ITERATION / max(c["elapsed_ms"], 1) * 1000
        gil = gil or rate
        print(f"| {description} (`{name}`) | {c['iterations']} | {rate:,.0f} | {rate / gil:.2f}x |")


if __name__ == "__main__":
    sys.exit(main())
