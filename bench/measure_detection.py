#!/usr/bin/env python3
"""Detection rate and zero-false-positive check for the catalog, measured.

Runs every selected case RUNS times, each run with a seed of its own
(--gtest_repeat gives every repetition a derived seed), and prints a Markdown
table for docs/BENCHMARKS.md:

  racy cases:  detected in how many runs, and the median / 99th-percentile
               wall time and iterations to the first detection;
  clean cases: how many runs flagged anything (must be 0).

Usage:
  bench/measure_detection.py --preset tsan --runs 1000 [--filter 'Counter.*']
                             [--clean-budget 100ms] [--jobs 2] [--seed 1]
                             [--runner PATH]
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from racestress_cases import list_cases


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def run_chunk(runner, case, runs, seed, budget):
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        cmd = [runner, f"--gtest_filter={case}", f"--gtest_repeat={runs}", f"--seed={seed}",
               f"--json={report}"]
        if budget:
            cmd.append(f"--time_budget={budget}")
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode not in (0, 1) or not os.path.exists(report):
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
        with open(report) as f:
            return json.load(f)["cases"]


def measure(runner, case, runs, jobs, seed, budget):
    per_job = [runs // jobs + (1 if k < runs % jobs else 0) for k in range(jobs)]
    entries = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_chunk, runner, case, n, seed * 1000 + k, budget)
                   for k, n in enumerate(per_job) if n > 0]
        for future in futures:
            entries.extend(future.result())
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="tsan")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--filter", default="")
    parser.add_argument("--clean-budget", default="100ms",
                        help="time budget of one clean-case run")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["racy", "clean", "both"], default="both")
    parser.add_argument("--runner", default="",
                        help="the runner to measure (default: build/<preset>/racestress); "
                             "a copy lets the build tree change while a long measurement runs")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runner = args.runner or os.path.join(root, "build", args.preset, "racestress")
    if not os.access(runner, os.X_OK):
        sys.exit(f"measure_detection: {runner} not built (cmake --build --preset {args.preset})")

    print(f"preset {args.preset}, {args.runs} runs per case, base seed {args.seed}, "
          f"{args.jobs} runs at a time; clean runs {args.clean_budget} each\n")
    if args.only in ("racy", "both"):
        print("| racy case | detected | median time | p99 time | median iterations | p99 iterations | skipped |")
        print("|---|---|---|---|---|---|---|")
        for case in list_cases(runner, "racy", args.filter):
            started = time.time()
            entries = measure(runner, case, args.runs, args.jobs, args.seed, None)
            skipped = sum(e["skipped"] for e in entries)
            ran = [e for e in entries if not e["skipped"]]
            hits = [e for e in ran if e["passed"]]
            times = [e["elapsed_ms"] for e in hits]
            iters = [e["first_failure"]["iteration"] + 1 for e in hits if e["first_failure"]]
            if not ran:
                print(f"| {case} | skipped under {args.preset} | | | | | {skipped} |")
                continue
            print(f"| {case} | {len(hits)}/{len(ran)} | {statistics.median(times) if times else 'n/a'} ms "
                  f"| {percentile(times, 0.99)} ms | {statistics.median(iters) if iters else 'n/a'} "
                  f"| {percentile(iters, 0.99)} | {skipped} |", flush=True)
            print(f"measure_detection: {case} took {time.time() - started:.0f} s", file=sys.stderr)
    if args.only in ("clean", "both"):
        print("\n| clean case | runs | flagged | iterations per run (median) |")
        print("|---|---|---|---|")
        for case in list_cases(runner, "clean", args.filter):
            started = time.time()
            entries = measure(runner, case, args.runs, args.jobs, args.seed, args.clean_budget)
            flagged = [e for e in entries if not e["passed"]]
            iters = [e["iterations"] for e in entries]
            print(f"| {case} | {len(entries)} | {len(flagged)} | {statistics.median(iters)} |",
                  flush=True)
            for e in flagged[:3]:
                print(f"  flagged: {e['first_failure']}", file=sys.stderr)
            print(f"measure_detection: {case} took {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
