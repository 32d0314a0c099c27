#!/usr/bin/env python3
"""What racestress_instrument() adds, measured side by side.

Runs bench/instrument_bench.cc twice per round, linked against
cases/legacy_code compiled plainly and compiled with compiler-inserted
scheduling points, alternating the two for ROUNDS rounds so that both see the
same machine; prints, per configuration, the median share of iterations that
went wrong (a lost update, a duplicate insert) and the iteration rate of each,
and their ratios, as a Markdown table for docs/BENCHMARKS.md.

Usage: bench/instrument_compare.py [--preset stress] [--seconds 1] [--rounds 3]
"""

import argparse
import os
import statistics
import subprocess
import sys


def run(binary, seconds, seed):
    out = subprocess.run([binary, f"--seconds={seconds}", f"--bench_seed={seed}"], check=True,
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        name, threads, iterations, rate, wrong = line.split("\t")
        rows.append((name, int(threads), float(rate), float(wrong)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="stress")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bench = os.path.join(root, "build", args.preset, "bench")
    binaries = {"plain": os.path.join(bench, "racestress_instrument_bench_plain"),
                "instrumented": os.path.join(bench, "racestress_instrument_bench")}
    for path in binaries.values():
        if not os.access(path, os.X_OK):
            sys.exit(f"instrument_compare: {path} not built")
    results = {"plain": [], "instrumented": []}
    for r in range(args.rounds):
        for variant in ("plain", "instrumented") if r % 2 == 0 else ("instrumented", "plain"):
            results[variant].append(run(binaries[variant], args.seconds, r + 1))
    print(f"preset {args.preset}, {args.seconds} s per configuration and variant, "
          f"{args.rounds} rounds alternating the variants; medians\n")
    print("| configuration | threads | wrong per iteration, plain | instrumented | rise "
          "| iterations (calls) /s, plain | instrumented | slowdown |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (name, threads, _, _) in enumerate(results["plain"][0]):
        wrong = {v: statistics.median(rows[i][3] for rows in results[v]) for v in results}
        rate = {v: statistics.median(rows[i][2] for rows in results[v]) for v in results}
        rise = f"{wrong['instrumented'] / wrong['plain']:.1f}x" if wrong["plain"] > 0 else (
            "from 0" if wrong["instrumented"] > 0 else "-")
        print(f"| {name} | {threads or '-'} | {wrong['plain']:.4f} | {wrong['instrumented']:.4f} "
              f"| {rise} | {rate['plain']:.0f} | {rate['instrumented']:.0f} "
              f"| {rate['plain'] / rate['instrumented']:.1f}x |")


if __name__ == "__main__":
    main()
