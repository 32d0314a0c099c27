#!/usr/bin/env python3
"""CTest Runner.ShardsMergeToOneRun: a run split into shards (GTEST_TOTAL_SHARDS,
GTEST_SHARD_INDEX), merged by scripts/merge_shards.py, gives the verdict of one
unsharded run with the same seed.

  merge_shards_test.py path/to/racestress

Under the controlled engine with the random strategy every schedule depends on
(seed, schedule) alone, so the merged report must equal the unsharded one:
iterations, outcome histograms, verdicts, and a racy case's first failure and
replay line, which replays it without sharding. Under the stress engine the
iterations must add up and the verdicts match. Either way the merged report has
the unsharded one's fields and layout: a one-shard run merges byte for byte as
itself. Shards of different runs (another budget) or of a replay (each replays
all of it) are refused. (merge_shards_input_test.py tries the merge on made-up
reports.)
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MERGE = os.path.join(HERE, "merge_shards.py")
SHARDS = 3


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def run(cmd, env_extra=None, expect=(0, 1)):
    env = dict(os.environ)
    env.update(env_extra or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode not in expect:
        fail(f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def report(path):
    with open(path) as f:
        return json.load(f)


def run_shards(runner, work, name, args, shards=SHARDS, args_of_shard=None):
    """Runs `shards` shards of `args` (shard k with args_of_shard(k) too); their reports."""
    paths = []
    for k in range(shards):
        path = os.path.join(work, f"{name}-shard{k}.json")
        status = os.path.join(work, f"{name}-status{k}")
        extra = args_of_shard(k) if args_of_shard else []
        run([runner, *args, *extra, f"--json={path}"],
            {"GTEST_TOTAL_SHARDS": str(shards), "GTEST_SHARD_INDEX": str(k),
             "GTEST_SHARD_STATUS_FILE": status})
        if not os.path.exists(status):
            fail(f"shard {k} did not touch GTEST_SHARD_STATUS_FILE")
        paths.append(path)
    return paths


def same_fields(whole, merged):
    """The merged report is one of an unsharded run: the same fields, the same run."""
    if list(whole) != list(merged):
        fail(f"fields differ: {list(whole)} unsharded, {list(merged)} merged")
    for key in whole:
        if key != "cases" and whole[key] != merged[key]:
            fail(f"{key}: {whole[key]} unsharded, {merged[key]} merged")
    for w, m in zip(whole["cases"], merged["cases"]):
        if list(w) != list(m):
            fail(f"{w['name']}: fields differ: {list(w)} / {list(m)}")


def sharded_and_whole(runner, work, name, args):
    whole = os.path.join(work, f"{name}-whole.json")
    run([runner, *args, f"--json={whole}"])
    shards = run_shards(runner, work, name, args)
    merged = os.path.join(work, f"{name}-merged.json")
    proc = run([sys.executable, MERGE, "--out", merged, *shards])
    print(proc.stdout, end="")
    same_fields(report(whole), report(merged))
    return report(whole), report(merged)


def refused(work, shards, *said):
    """merge_shards.py refuses `shards`: exit 2, one line saying `said`, nothing written."""
    out = os.path.join(work, "refused.json")
    before = sorted(os.listdir(work))
    proc = run([sys.executable, MERGE, "--out", out, *shards], expect=(2,))
    if proc.stderr.count("\n") != 1 or not all(words in proc.stderr for words in said):
        fail(f"merge of {shards}: {proc.stderr!r}, expected one line with {said}")
    if sorted(os.listdir(work)) != before:
        fail(f"a refused merge left {set(os.listdir(work)) - set(before)}")


def check_refusals_and_one_shard(runner, work):
    stress = ["--seed=0x2a", "--iterations=60", "--time_budget=120s",
              "--gtest_filter=Primitives.LostUpdateMutex"]
    # One shard of one is the run itself, merged byte for byte as itself.
    [alone] = run_shards(runner, work, "alone", stress, shards=1)
    merged = os.path.join(work, "alone-merged.json")
    run([sys.executable, MERGE, "--out", merged, alone])
    with open(alone, "rb") as a, open(merged, "rb") as m:
        if a.read() != m.read():
            fail("a one-shard run did not merge as itself")
    # A shard run with another budget is of another run.
    odd = run_shards(runner, work, "odd", stress[:1] + stress[2:],
                     args_of_shard=lambda k: ["--iterations=90" if k == 1 else "--iterations=60"])
    refused(work, odd, odd[0], odd[1], "iteration_budget 60 / 90")
    # Every shard of a replay replays all of it.
    replay = run_shards(runner, work, "replay", ["--replay=0x2a:0", "--iterations=5",
                                                  "--gtest_filter=Primitives.LostUpdateMutex"],
                        shards=2)
    refused(work, replay, replay[0], replay[1], "replay", "count 2 times")


def main():
    runner = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        # Controlled engine: shards together are the unsharded run, exactly.
        # A time budget far beyond the iterations': the count is the budget.
        controlled = ["--engine=controlled", "--strategy=random", "--seed=0x2a",
                      "--iterations=30", "--time_budget=120s",
                      "--gtest_filter=Interleaved.TornLineMutexBuffer:"
                      "Primitives.LostWakeupPredicateLoop:Primitives.LostUpdateUnlocked"]
        whole, merged = sharded_and_whole(runner, work, "controlled", controlled)
        for w, m in zip(whole["cases"], merged["cases"]):
            if w["name"] != m["name"]:
                fail(f"case order differs: {w['name']} / {m['name']}")
            keys = ["passed", "skipped"]
            if w["expectation"] == "clean":
                keys += ["iterations", "outcomes"]  # a racy case stops at its finding
            for key in keys:
                if w[key] != m[key]:
                    fail(f"{w['name']}: {key} {w[key]} unsharded, {m[key]} merged")
            if (w["first_failure"] is None) != (m["first_failure"] is None):
                fail(f"{w['name']}: first failure {w['first_failure']} / {m['first_failure']}")
            if w["first_failure"] is not None:
                for key in ("iteration", "kind", "report_kind", "replay"):
                    if w["first_failure"][key] != m["first_failure"][key]:
                        fail(f"{w['name']}: first failure's {key} differs: "
                             f"{w['first_failure'][key]} / {m['first_failure'][key]}")
                # The merged replay line replays the finding, unsharded.
                replay = run(m["first_failure"]["replay"].split())
                if "flagged as expected" not in replay.stdout:
                    fail(f"{w['name']}: the replay did not flag it:\n{replay.stdout}")
        racy = [c for c in merged["cases"] if c["expectation"] == "racy"]
        if not racy or not all(c["passed"] for c in racy):
            fail("the racy case was not flagged across the shards")

        # Stress engine: the iterations add up, the verdict is the same.
        stress = ["--seed=0x2a", "--iterations=60", "--time_budget=120s",
                  "--gtest_filter=Primitives.LostUpdateMutex"]
        whole, merged = sharded_and_whole(runner, work, "stress", stress)
        w, m = whole["cases"][0], merged["cases"][0]
        for label, case in (("unsharded", w), ("merged", m)):
            if (case["iterations"], case["passed"]) != (60, True):
                fail(f"stress, {label}: {case['iterations']} iterations, passed {case['passed']}")

        check_refusals_and_one_shard(runner, work)

        # Bad sharding variables are bad input: exit 2, one line.
        proc = run([runner, "--gtest_filter=Primitives.LostUpdateMutex"],
                   {"GTEST_TOTAL_SHARDS": "3", "GTEST_SHARD_INDEX": "3"}, expect=(2,))
        if proc.stderr.count("\n") != 1 or not proc.stderr.startswith("racestress: "):
            fail(f"bad shard index: {proc.stderr!r}")
        # A missing shard is bad input to the merge.
        proc = run([sys.executable, MERGE, "--out", os.path.join(work, "x.json"),
                    os.path.join(work, "stress-shard0.json")], expect=(2,))
        if "missing" not in proc.stderr:
            fail(f"merge of one of three shards: {proc.stderr!r}")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
