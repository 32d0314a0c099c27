#!/usr/bin/env python3
"""CTest Scenario.FailurePrintsVerdictAndReplay: a user's TEST whose
EXPECT_RACE_FREE scenario regressed fails at the assertion's line with the
runner's verdict (what was seen, what was expected), the outcome histogram and
the replay line naming the test; the replay line fails it again; --json
reports the scenario like a registered case.

  scenario_failure_test.py path/to/racestress_unit_tests
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

TEST = "ScenarioFixture.DISABLED_RegressedTallyClaimedRaceFree"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "report.json")
        proc = subprocess.run([binary, f"--gtest_filter={TEST}", "--gtest_also_run_disabled_tests",
                               "--seed=0x2a", f"--json={report}"],
                              capture_output=True, text=True)
        log = proc.stdout + proc.stderr
        if proc.returncode != 1:
            fail(f"exit code {proc.returncode}, expected 1:\n{log}")
        for what, pattern in [
                ("the failure at the assertion's line", r"scenario_test\.cc:\d+: Failure"),
                ("the verdict", rf"{re.escape(TEST)}: iteration \d+"),
                ("the expected outcome", r"expected: 400 \(every increment counted\)"),
                ("the user's message", r"the tally lost its lock"),
                ("the histogram", r"RESULT\s+SAMPLES\s+FREQ\s+EXPECT\s+DESCRIPTION"),
                ("a forbidden row", r"forbidden\s+an increment was lost"),
                ("GoogleTest's verdict", rf"\[  FAILED  \] {re.escape(TEST)}")]:
            if re.search(pattern, log) is None:
                fail(f"no {what} (/{pattern}/) in the output:\n{log}")
        replay = re.search(rf"replay: (\S+ --gtest_filter={re.escape(TEST)} "
                           r"--gtest_also_run_disabled_tests --replay=0x[0-9a-f]+:\d+)", log)
        if replay is None:
            fail(f"no replay line naming the test:\n{log}")
        again = subprocess.run(shlex.split(replay.group(1)), capture_output=True, text=True)
        if again.returncode != 1 or f"[  FAILED  ] {TEST}" not in again.stdout:
            fail(f"the replay did not fail the test again:\n{again.stdout}{again.stderr}")
        with open(report) as f:
            cases = {c["name"]: c for c in json.load(f)["cases"]}
        case = cases.get(TEST)
        if case is None or case["passed"] or case["expectation"] != "clean" or not case["outcomes"]:
            fail(f"the JSON report does not hold the failed scenario: {cases}")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
