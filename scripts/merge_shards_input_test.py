#!/usr/bin/env python3
"""CTest MergeShards.InputAndOutput: scripts/merge_shards.py on made-up reports.

What is not the shards of one run (another budget, seed, engine ...; an index
twice or missing; a sharded replay), what is not a report (not JSON, or JSON
of another shape) and an --out it cannot write are bad input: exit code 2,
one line on stderr naming the files and the field, no traceback, and nothing
left behind. A one-shard run merges as itself. (Runner.ShardsMergeToOneRun,
merge_shards_test.py, merges real shards of the runner's.)
"""

import copy
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest

MERGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "merge_shards.py")


def report(index=0, total=3, iterations=20, **run):
    """A shard's report as the runner writes it: one clean case, passed."""
    fields = {"seed": "0x000000000000002a", "preset": "tsan", "engine": "stress",
              "engine_flags": "", "iteration_budget": 60, "time_budget": "0", "replay": None}
    fields.update(run)
    fields["shard"] = {"index": index, "total": total}
    fields["cases"] = [{
        "name": "Counter.LostUpdateMutex", "expectation": "clean", "passed": True,
        "skipped": False, "iterations": iterations, "elapsed_ms": 100 + index, "races": 0,
        "hangs": 0, "crashes": 0,
        "outcomes": [{"value": "500000", "count": iterations, "class": "acceptable"}],
        "first_failure": None}]
    return fields


# A first failure that is a TSan report, as the runner writes it.
RACE = {"iteration": 4, "kind": "race", "report_kind": "lock-order-inversion",
        "detail": "lock-order inversion", "replay": "racestress --replay=0x2a:4"}


def racy(index, total, first_failure):
    """A shard's report of one racy case, flagged in it by `first_failure`."""
    r = report(index, total)
    r["cases"][0].update(expectation="racy", passed=first_failure is not None,
                         races=int(first_failure is not None), first_failure=first_failure)
    return r


class MergeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="merge_shards_input_test.")
        self.out = os.path.join(self.dir, "merged.json")

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.dir], check=True)

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as f:
            f.write(content if isinstance(content, (str, bytes)) else json.dumps(content))
        return path

    def shards(self, *reports):
        return [self.write(f"shard-{i}.json", r) for i, r in enumerate(reports)]

    def merge(self, paths, out=None):
        return subprocess.run([sys.executable, MERGE, "--out", self.out if out is None else out,
                               *paths], capture_output=True, text=True)

    def entries(self):
        return sorted(os.listdir(self.dir))

    def contents(self):
        files = {}
        for name in self.entries():
            path = os.path.join(self.dir, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    files[name] = f.read()
        return files

    def assertBadInput(self, paths, *said, out=None):
        """Exit 2, one line naming what `said` lists, and no file added or changed."""
        before = self.contents()
        proc = self.merge(paths, out)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)
        self.assertTrue(proc.stderr.startswith("merge_shards: "), proc.stderr)
        for words in said:
            self.assertIn(words, proc.stderr)
        self.assertEqual(self.contents(), before, "a bad merge wrote or left a file")
        self.assertEqual(proc.stdout, "")
        return proc.stderr


class NotOneRun(MergeTest):
    def test_another_iteration_budget_names_both_files_and_the_field(self):
        paths = self.shards(report(0), report(1, iterations=30, iteration_budget=90), report(2))
        self.assertBadInput(paths, "shard-0.json and ", "shard-1.json", "iteration_budget 60 / 90")

    def test_any_field_of_the_run_that_differs(self):
        for key, value in (("seed", "0x0000000000000007"), ("preset", "stress"),
                           ("engine", "controlled"), ("engine_flags", "--strategy=pct"),
                           ("time_budget", "2s"), ("replay", "0x2a:3")):
            with self.subTest(key=key):
                paths = self.shards(report(0), report(1), report(2, **{key: value}))
                self.assertBadInput(paths, "shard-0.json and ", "shard-2.json", f" {key} ")

    def test_an_index_twice(self):
        paths = self.shards(report(0), report(1), report(1))
        self.assertBadInput(paths, "shard-1.json and ", "shard-2.json are both shard 1 of 3")

    def test_an_index_missing(self):
        paths = self.shards(report(0), report(2))
        self.assertBadInput(paths, "shard(s) 1 of 3 missing", "shard-0.json", "shard-1.json")

    def test_another_total(self):
        paths = self.shards(report(0), report(1, total=2), report(2))
        self.assertBadInput(paths, "shard-0.json and ", "shard-1.json", "shard.total 3 / 2")

    def test_a_sharded_replay_would_count_twice(self):
        paths = self.shards(report(0, total=2, replay="0x2a:17"),
                            report(1, total=2, replay="0x2a:17"))
        self.assertBadInput(paths, "shard-0.json and ", "shard-1.json", "replay",
                            "count 2 times")

    def test_a_shard_of_an_older_runner_cannot_be_checked(self):
        old = report(1)
        del old["iteration_budget"]
        self.assertBadInput(self.shards(report(0), old, report(2)),
                            "shard-1.json has no \"iteration_budget\"", "shard-0.json")

    def test_the_first_shard_of_an_older_runner_names_the_second(self):
        old = report(0)
        del old["engine"]
        self.assertBadInput(self.shards(old, report(1), report(2)),
                            "shard-0.json has no \"engine\"", "one run with ", "shard-1.json")

    def test_a_case_in_one_shard_only(self):
        extra = report(1)
        extra["cases"].append(dict(extra["cases"][0], name="Counter.Other"))
        self.assertBadInput(self.shards(report(0), extra, report(2)),
                            "shard-1.json and ", "shard-0.json", "Counter.Other")


class NotAReport(MergeTest):
    def test_json_of_another_shape_names_the_file_and_the_field(self):
        def without(key, where=None):
            r = report(0, total=1)
            del (r if where is None else r[where][0])[key]
            return r

        def setting(value, *keys):
            r = report(0, total=1)
            target = r
            for k in keys[:-1]:
                target = target[k]
            target[keys[-1]] = value
            return r

        for content, said in (
                (None, "the report is null"), ([], "the report is []"),
                ({}, "no \"seed\""), (without("seed"), "no \"seed\""),
                (without("cases"), "no \"cases\""),
                (without("races", "cases"), "no \"cases[0].races\""),
                (setting("3", "cases", 0, "races"), "cases[0].races is \"3\""),
                (setting(1, "cases", 0, "passed"), "cases[0].passed is 1"),
                (setting(True, "cases", 0, "outcomes", 0, "count"), "count is true"),
                (setting(2.5, "cases", 0, "iterations"), "cases[0].iterations is 2.5"),
                (setting("x", "cases", 0, "first_failure"), "cases[0].first_failure is \"x\""),
                (setting(dict(RACE, report_kind=7), "cases", 0, "first_failure"),
                 "cases[0].first_failure.report_kind is 7"),
                (setting({}, "cases", 0, "outcomes"), "cases[0].outcomes is {}"),
                (setting("maybe", "cases", 0, "expectation"), "cases[0].expectation"),
                (setting(7, "seed"), "seed is 7"), (setting("3", "shard"), "shard is \"3\""),
                (setting(5, "shard", "index"), "shard.index 5"),
                (setting(None, "engine"), "engine is null")):
            with self.subTest(said=said):
                self.assertBadInput([self.write("r.json", json.dumps(content))], "r.json", said)

    def test_what_is_not_json(self):
        for content in ("", "{\"seed\":", b"\xff\xfe{}", "[" * 100000, "NaN"):
            with self.subTest(content=content[:8]):
                self.assertBadInput([self.write("r.json", content)], "r.json")

    def test_what_cannot_be_read(self):
        self.assertBadInput([os.path.join(self.dir, "none.json")], "cannot read", "none.json")
        os.mkdir(os.path.join(self.dir, "sub"))
        self.assertBadInput([os.path.join(self.dir, "sub")], "cannot read", "sub")

    def test_a_bad_command_line_is_one_line_too(self):
        proc = subprocess.run([sys.executable, MERGE], capture_output=True, text=True)
        self.assertEqual((proc.returncode, proc.stderr.count("\n")), (2, 1), proc.stderr)


class Out(MergeTest):
    def test_a_directory_is_not_written_and_nothing_is_left(self):
        paths = self.shards(report(0, total=1))
        os.mkdir(os.path.join(self.dir, "out"))
        with open(os.path.join(self.dir, "out", "inside"), "w") as f:
            f.write("kept")
        self.assertBadInput(paths, "cannot write", out=os.path.join(self.dir, "out"))
        self.assertEqual(os.listdir(os.path.join(self.dir, "out")), ["inside"])

    def test_an_unwritable_path(self):
        paths = self.shards(report(0, total=1))
        for out in (os.path.join(self.dir, "no-such-dir", "m.json"),
                    os.path.join(paths[0], "m.json"), ""):
            with self.subTest(out=out):
                self.assertBadInput(paths, "merge_shards: ", out=out)

    def test_a_failed_merge_keeps_the_old_report(self):
        self.write("merged.json", "the last good merge")
        self.assertBadInput(self.shards(report(0), report(0)), "both shard 0")
        with open(self.out) as f:
            self.assertEqual(f.read(), "the last good merge")

    def test_the_report_is_written_whole_with_the_usual_mode(self):
        paths = self.shards(report(0), report(1), report(2))
        old = os.umask(0o022)
        try:
            proc = self.merge(paths)
        finally:
            os.umask(old)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.entries(), ["merged.json", *[os.path.basename(p) for p in paths]])
        self.assertEqual(stat.S_IMODE(os.stat(self.out).st_mode), 0o644)


class Merges(MergeTest):
    def merged(self, paths, code=0):
        proc = self.merge(paths)
        self.assertEqual(proc.returncode, code, proc.stderr)
        with open(self.out) as f:
            return json.load(f)

    def test_shards_add_up_to_one_unsharded_run(self):
        reports = [report(k, iterations=20) for k in range(3)]
        reports[1]["cases"][0]["races"] = 2
        reports[1]["cases"][0]["passed"] = False
        merged = self.merged(self.shards(*reports), code=1)  # a fixed case failed
        expected = copy.deepcopy(reports[0])
        expected["shard"] = {"index": 0, "total": 1}
        expected["cases"][0].update(iterations=60, elapsed_ms=102, races=2, passed=False)
        expected["cases"][0]["outcomes"][0]["count"] = 60
        self.assertEqual(merged, expected)

    def test_ties_keep_the_runners_order_of_values(self):
        # The runner lists values of one count in their type's order, which
        # need not be their text's; where no shard shows it, numbers go as
        # numbers.
        def merged_outcomes(*shards):
            reports = [report(k, iterations=2) for k in range(len(shards))]
            for r, outcomes in zip(reports, shards):
                r["shard"]["total"] = len(shards)
                r["cases"][0]["outcomes"] = [{"value": v, "count": c, "class": "acceptable"}
                                             for v, c in outcomes]
            merged = self.merged(self.shards(*reports))
            return [(o["value"], o["count"]) for o in merged["cases"][0]["outcomes"]]
        self.assertEqual(merged_outcomes([("z", 1), ("a", 1)], [("z", 1)], [("b", 1), ("a", 1)]),
                         [("z", 2), ("a", 2), ("b", 1)])
        self.assertEqual(merged_outcomes([("10", 1)], [("9", 1)]), [("9", 1), ("10", 1)])
        self.assertEqual(merged_outcomes([("9", 1), ("10", 1), ("-1", 1)]),
                         [("9", 1), ("10", 1), ("-1", 1)])

    def test_the_order_of_the_arguments_does_not_matter(self):
        paths = self.shards(report(2), report(0), report(1))
        first = self.merged(paths)
        self.assertEqual(self.merged(list(reversed(paths))), first)

    def test_a_one_shard_run_merges_as_itself(self):
        alone = report(0, total=1, iteration_budget=0, replay="0x2a:17")
        self.assertEqual(self.merged(self.shards(alone)), alone)

    def test_a_race_keeps_the_kind_of_its_report(self):
        paths = self.shards(racy(0, 2, None), racy(1, 2, RACE))
        proc = self.merge(paths)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("first race (lock-order-inversion) at iteration 4", proc.stdout)
        with open(self.out) as f:
            self.assertEqual(json.load(f)["cases"][0]["first_failure"], RACE)

    def test_a_first_failure_without_report_kind_is_an_older_runners(self):
        older = {key: value for key, value in RACE.items() if key != "report_kind"}
        alone = racy(0, 1, older)
        self.assertEqual(self.merged(self.shards(alone)), alone)
        proc = self.merge(self.shards(alone))
        self.assertIn("first race at iteration 4", proc.stdout)

    def test_a_report_without_shard_info_merges_as_itself(self):
        old = {key: value for key, value in report(0, total=1).items()
               if key in ("seed", "preset", "cases")}
        merged = self.merged(self.shards(old))
        self.assertEqual(merged, {**old, "shard": {"index": 0, "total": 1}})


if __name__ == "__main__":
    unittest.main()
