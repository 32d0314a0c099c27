#!/usr/bin/env python3
"""Merges the JSON reports of a sharded run into the report of one run.

A runner started with GTEST_TOTAL_SHARDS=S and GTEST_SHARD_INDEX=k runs shard
k's share of every case's iterations and says so in its --json report. This
tool checks that the reports are the S shards of one run (same seed, same
preset, every index once) and merges them case by case:

  * iterations, races, hangs and crashes add up; the outcome histograms add
    up value by value; the elapsed time is the longest shard's;
  * a fixed (clean) case passes if it passed in every shard; a racy case
    passes if some shard flagged it (its budget is the shards' together);
  * the first failure is the one at the lowest iteration, with its replay
    command (which replays it without sharding).

With a count budget (--iterations) the shards run exactly the iterations of
one unsharded run with the same seed, so the verdict is that run's.

Usage:
  scripts/merge_shards.py --out merged.json shard-0.json shard-1.json ...
Exit code: 0 every case passed, 1 some did not, 2 bad input (one line says what).
"""

import argparse
import json
import os
import sys
import tempfile


class BadInput(Exception):
    pass


def load(path):
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"cannot read {path}: {e}")
    if "shard" not in report:
        raise BadInput(f"{path} is not a shard's report (no \"shard\"; was the run sharded?)")
    return report


def check_shards(paths, reports):
    first = reports[0]
    total = first["shard"]["total"]
    seen = {}
    for path, report in zip(paths, reports):
        for key in ("seed", "preset"):
            if report[key] != first[key]:
                raise BadInput(f"{path}: {key} {report[key]} differs from "
                               f"{paths[0]}'s {first[key]}")
        if report["shard"]["total"] != total:
            raise BadInput(f"{path}: shard of {report['shard']['total']}, {paths[0]}: of {total}")
        index = report["shard"]["index"]
        if index in seen:
            raise BadInput(f"{path} and {seen[index]} are both shard {index}")
        seen[index] = path
    missing = sorted(set(range(total)) - set(seen))
    if missing:
        raise BadInput(f"shard(s) {', '.join(map(str, missing))} of {total} missing")
    return total


def merge_case(entries):
    """entries: one report entry per shard for the same case (and repetition)."""
    merged = {
        "name": entries[0]["name"],
        "expectation": entries[0]["expectation"],
        "iterations": sum(e["iterations"] for e in entries),
        "elapsed_ms": max(e["elapsed_ms"] for e in entries),
        "races": sum(e["races"] for e in entries),
        "hangs": sum(e["hangs"] for e in entries),
        "crashes": sum(e["crashes"] for e in entries),
    }
    ran = [e for e in entries if not e["skipped"]]
    merged["skipped"] = not ran
    if not ran:
        merged["passed"] = True
    elif merged["expectation"] == "racy":
        merged["passed"] = any(e["passed"] for e in ran)
    else:
        merged["passed"] = all(e["passed"] for e in ran)
    counts, classes = {}, {}
    for e in entries:
        for o in e["outcomes"]:
            counts[o["value"]] = counts.get(o["value"], 0) + o["count"]
            classes[o["value"]] = o["class"]
    merged["outcomes"] = [{"value": v, "count": counts[v], "class": classes[v]}
                          for v in sorted(counts, key=lambda v: (-counts[v], v))]
    failures = [e["first_failure"] for e in entries if e["first_failure"] is not None]
    merged["first_failure"] = min(failures, key=lambda f: f["iteration"]) if failures else None
    return merged


def merge(reports):
    # The k-th entry of a case in each report (one per --gtest_repeat
    # repetition) merges with the k-th of the others.
    order, groups = [], {}
    for shard, report in enumerate(reports):
        seen = {}
        for entry in report["cases"]:
            key = (entry["name"], seen.get(entry["name"], 0))
            seen[entry["name"]] = key[1] + 1
            if key not in groups:
                groups[key] = [None] * len(reports)
                order.append(key)
            groups[key][shard] = entry
    cases = []
    for key in order:
        entries = groups[key]
        if any(e is None for e in entries):
            raise BadInput(f"case {key[0]} is missing from some shard's report")
        cases.append(merge_case(entries))
    return {"seed": reports[0]["seed"], "preset": reports[0]["preset"], "cases": cases}


def write_whole(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".merge_shards.")
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e}")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(temp, path)


def main():
    parser = argparse.ArgumentParser(description="Merge the JSON reports of a sharded run.")
    parser.add_argument("--out", required=True, help="the merged report to write")
    parser.add_argument("reports", nargs="+", help="one --json report per shard")
    args = parser.parse_args()
    try:
        reports = [load(path) for path in args.reports]
        total = check_shards(args.reports, reports)
        merged = merge(reports)
        write_whole(args.out, json.dumps(merged, indent=1) + "\n")
    except BadInput as e:
        print(f"merge_shards: {e}", file=sys.stderr)
        return 2
    failed = 0
    for case in merged["cases"]:
        if case["skipped"]:
            verdict = "SKIPPED"
        else:
            verdict = "PASSED" if case["passed"] else "FAILED"
        failed += not case["passed"]
        print(f"{verdict:8} {case['name']} ({case['expectation']}): {case['iterations']} "
              f"iterations over {total} shards")
        if case["first_failure"] is not None:
            print(f"         first {case['first_failure']['kind']} at iteration "
                  f"{case['first_failure']['iteration']}; replay: "
                  f"{case['first_failure']['replay']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
