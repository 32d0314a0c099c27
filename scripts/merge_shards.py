#!/usr/bin/env python3
"""Merges the JSON reports of a sharded run into the report of one run.

A runner started with GTEST_TOTAL_SHARDS=S and GTEST_SHARD_INDEX=k runs shard
k's share of every case's iterations and says so in its --json report, with
what makes it a shard of its run: seed, preset, engine and its flags, the
budgets as given and the replay token. This tool merges only the S shards of
one run: every field of those the same in each, every index once, one total.
It refuses, as bad input, reports of different runs and a sharded --replay
(every shard replays in full: merged, it would count twice). It merges case
by case:

  * iterations, races, hangs and crashes add up; the outcome histograms add
    up value by value; the elapsed time is the longest shard's;
  * a fixed (clean) case passes if it passed in every shard; a racy case
    passes if some shard flagged it (its budget is the shards' together);
  * the first failure is the one at the lowest iteration, with its replay
    command (which replays it without sharding).

The merged report is a report of one unsharded run (shard 0 of 1), in the
runner's own layout; a one-shard run (or a report without "shard", from an
older runner) merges as itself. With a count budget (--iterations) the shards
run exactly the iterations of one unsharded run with the same seed, so the
verdict is that run's.

Usage:
  scripts/merge_shards.py --out merged.json shard-0.json shard-1.json ...
Exit code: 0 every case passed, 1 some did not, 2 bad input (one line says
what; nothing is written).
"""

import argparse
import heapq
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from json_report import RUN, UNSHARDED, BadInput, load, text, write_whole  # noqa: E402


def check_one_run(paths, reports):
    """The shards' total, if `reports` are the shards of one run."""
    shards = [r.get("shard", UNSHARDED) for r in reports]
    first, total = paths[0], shards[0]["total"]
    for path, report, shard in zip(paths, reports, shards):
        if len(reports) > 1:
            for key in (*RUN, "shard"):
                if key not in report:
                    other = paths[1] if path == first else first
                    raise BadInput(f"{path} has no \"{key}\" (a report of an older racestress): "
                                   f"cannot tell whether it is of one run with {other}")
        if shard["total"] != total:
            raise BadInput(f"{first} and {path} are not shards of one run: shard.total "
                           f"{total} / {shard['total']}")
        for key in RUN:
            if report.get(key) != reports[0].get(key):
                raise BadInput(f"{first} and {path} are not shards of one run: {key} "
                               f"{json.dumps(reports[0].get(key))} / {json.dumps(report.get(key))}")
    replay = reports[0].get("replay")
    if replay is not None and total > 1:
        # NarrowToShard() does not split a replay: each shard ran all of it.
        which = f"{paths[0]} and {paths[1]} are" if len(paths) > 1 else f"{paths[0]} is"
        raise BadInput(f"{which} shards of a replay (replay {json.dumps(replay)}): each shard "
                       f"replays all of it, so merged it would count {total} times "
                       "(replay it unsharded)")
    seen = {}
    for path, shard in zip(paths, shards):
        if shard["index"] in seen:
            raise BadInput(f"{seen[shard['index']]} and {path} are both shard {shard['index']} "
                           f"of {total}")
        seen[shard["index"]] = path
    missing = sorted(set(range(total)) - set(seen))
    if missing:
        raise BadInput(f"shard(s) {', '.join(map(str, missing))} of {total} missing "
                       f"(given: {', '.join(paths)})")
    return total


def tie_order(entries):
    """The outcome values of `entries` in the order the runner lists values of
    one count in (their type's own order, which a report does not spell):
    as some shard lists them where they tie there, else by their text
    (as numbers, if every value is one)."""
    values, later, earlier = [], {}, {}
    for e in entries:
        for o in e["outcomes"]:
            if o["value"] not in later:
                values.append(o["value"])
                later[o["value"]], earlier[o["value"]] = set(), 0
        for a, b in zip(e["outcomes"], e["outcomes"][1:]):
            if a["count"] == b["count"] and b["value"] not in later[a["value"]]:
                later[a["value"]].add(b["value"])
                earlier[b["value"]] += 1
    numbers = all(re.fullmatch(r"-?[0-9]+", v) for v in values)
    text = (lambda v: (int(v), v)) if numbers else (lambda v: (0, v))
    ready = [(text(v), v) for v in values if earlier[v] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, v = heapq.heappop(ready)
        order.append(v)
        for w in later[v]:
            earlier[w] -= 1
            if earlier[w] == 0:
                heapq.heappush(ready, (text(w), w))
    # Shards that disagree (not one run's) leave a cycle: its values last.
    order += sorted(set(values) - set(order), key=text)
    return {v: rank for rank, v in enumerate(order)}


def merge_case(entries):
    """entries: one report entry per shard for the same case (and repetition)."""
    ran = [e for e in entries if not e["skipped"]]
    if not ran:
        passed = True
    elif entries[0]["expectation"] == "racy":
        passed = any(e["passed"] for e in ran)
    else:
        passed = all(e["passed"] for e in ran)
    # Most frequent first, ties as the runner orders them: an unsharded run's
    # histogram, and one shard's as it went in.
    counts, classes, rank = {}, {}, tie_order(entries)
    for e in entries:
        for o in e["outcomes"]:
            counts[o["value"]] = counts.get(o["value"], 0) + o["count"]
            classes[o["value"]] = o["class"]
    failures = [e["first_failure"] for e in entries if e["first_failure"] is not None]
    return {
        "name": entries[0]["name"],
        "expectation": entries[0]["expectation"],
        "passed": passed,
        "skipped": not ran,
        "iterations": sum(e["iterations"] for e in entries),
        "elapsed_ms": max(e["elapsed_ms"] for e in entries),
        "races": sum(e["races"] for e in entries),
        "hangs": sum(e["hangs"] for e in entries),
        "crashes": sum(e["crashes"] for e in entries),
        "outcomes": [{"value": v, "count": counts[v], "class": classes[v]}
                     for v in sorted(counts, key=lambda v: (-counts[v], rank[v]))],
        "first_failure": min(failures, key=lambda f: f["iteration"]) if failures else None,
    }


def merge(paths, reports):
    """The report of the one run whose shards `reports` are (in index order)."""
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
            has = paths[next(i for i, e in enumerate(entries) if e is not None)]
            lacks = paths[next(i for i, e in enumerate(entries) if e is None)]
            raise BadInput(f"{has} and {lacks} are not shards of one run: case {key[0]} "
                           f"(repetition {key[1] + 1}) is in {has} only")
        cases.append(merge_case(entries))
    merged = {key: reports[0][key] for key in RUN if key in reports[0]}
    merged["shard"] = dict(UNSHARDED)
    merged["cases"] = cases
    return merged


class Parser(argparse.ArgumentParser):
    def error(self, message):
        # Bad input is one line, as every other of this tool's.
        print(f"merge_shards: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def print_verdicts(merged, total):
    failed = 0
    for case in merged["cases"]:
        if case["skipped"]:
            verdict = "SKIPPED"
        else:
            verdict = "PASSED" if case["passed"] else "FAILED"
        failed += not case["passed"]
        print(f"{verdict:8} {case['name']} ({case['expectation']}): {case['iterations']} "
              f"iterations over {total} shard{'s' if total != 1 else ''}")
        failure = case["first_failure"]
        if failure is not None:
            # A race says which report it was (an older runner's does not).
            kind = failure["kind"]
            if failure.get("report_kind") is not None:
                kind += f" ({failure['report_kind']})"
            print(f"         first {kind} at iteration {failure['iteration']}; replay: "
                  f"{failure['replay']}")
    return failed


def main():
    parser = Parser(description="Merge the JSON reports of a sharded run.")
    parser.add_argument("--out", required=True, help="the merged report to write")
    parser.add_argument("reports", nargs="+", help="one --json report per shard")
    args = parser.parse_args()
    try:
        reports = [load(path) for path in args.reports]
        total = check_one_run(args.reports, reports)
        # In index order: the merged histograms' ties, and the first shard's
        # fields, do not depend on the order of the arguments.
        order = sorted(range(len(reports)),
                       key=lambda i: reports[i].get("shard", UNSHARDED)["index"])
        merged = merge([args.reports[i] for i in order], [reports[i] for i in order])
        write_whole(args.out, text(merged))
    except BadInput as e:
        print("merge_shards: " + " ".join(str(e).splitlines()), file=sys.stderr)
        return 2
    return 1 if print_verdicts(merged, total) else 0


if __name__ == "__main__":
    sys.exit(main())
