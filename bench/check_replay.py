#!/usr/bin/env python3
"""Same seed, same schedules: the controlled engine's determinism, checked.

Runs every catalog case the controlled engine can schedule REPLAYS times with
the same seed and strategy, and compares the runner's whole output (outcome
tables, findings with their step traces, and the hash of every step of every
schedule), with only wall-clock figures masked. Prints a Markdown table for
docs/BENCHMARKS.md; exits 1 if any replay differs.

Usage:
  bench/check_replay.py [--preset stress] [--replays 100] [--schedules 20]
                        [--strategy random] [--filter 'Queue.*'] [--runner PATH]
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

from racestress_cases import list_cases

# Wall-clock figures, masked. A run under 10 ms prints "in 6 ms", a longer one
# "in 0.03 s (769/s)": the rate goes with the time, as one mask.
TIMING = [re.compile(p) for p in (r"\(\d+ ms( total)?\)", r"in \d+(\.\d+)? m?s( \(\d+/s\))?")]


def one_run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for pattern in TIMING:
        out = pattern.sub("<t>", out)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="stress")
    parser.add_argument("--replays", type=int, default=100)
    parser.add_argument("--schedules", type=int, default=20)
    parser.add_argument("--strategy", default="random")
    parser.add_argument("--filter", default="")
    parser.add_argument("--seed", default="0x5eed")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runner", default="")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runner = args.runner or os.path.join(root, "build", args.preset, "racestress")
    print(f"preset {args.preset}, strategy {args.strategy}, seed {args.seed}, "
          f"{args.schedules} schedules per run, {args.replays} replays per case\n")
    print("| case | identical replays | trace hash |")
    print("|---|---|---|")
    differing = 0
    for case in list_cases(runner, None, args.filter):
        cmd = [runner, f"--gtest_filter={case}", f"--seed={args.seed}", "--engine=controlled",
               f"--strategy={args.strategy}", f"--iterations={args.schedules}",
               "--time_budget=600s"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outputs = list(pool.map(one_run, [cmd] * args.replays))
        if "[  SKIPPED ]" in outputs[0]:
            # The runner says why on the line after gtest's "Skipped".
            reason = re.search(rf"^{re.escape(case)}: skipped: (.*?)(?: \(run it under .*\))?$",
                               outputs[0], re.MULTILINE)
            print(f"| {case} | skipped: {reason.group(1) if reason else 'see the runner'} | |")
            continue
        same = sum(o == outputs[0] for o in outputs)
        hashes = sorted(set(re.findall(r"trace hash (0x[0-9a-f]+)", outputs[0])))
        differing += same != len(outputs)
        print(f"| {case} | {same}/{len(outputs)} | {', '.join(hashes) or 'none printed'} |",
              flush=True)
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
