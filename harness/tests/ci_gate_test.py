#!/usr/bin/env python3
"""CTest Runner.CiGateFailsOnARace: the gate command of
.github/workflows/racestress.yml (`ctest -L clean --output-junit FILE
--output-on-failure`), run over two fixed cases of which one regressed, fails,
marks that case failed in the JUnit report, passes the other, and shows the
regressed case's replay line in the log; the replay line reproduces it.

  ci_gate_test.py path/to/racestress_gate_fixture path/to/ctest
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKFLOW = os.path.join(ROOT, ".github", "workflows", "racestress.yml")


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def main():
    fixture, ctest = os.path.abspath(sys.argv[1]), sys.argv[2]
    with open(WORKFLOW) as f:
        workflow = f.read()
    gate = re.search(r"run: (ctest --preset tsan -L clean --output-junit \S+ --output-on-failure)",
                     workflow)
    if gate is None:
        fail("the workflow's gate step is not `ctest --preset tsan -L clean --output-junit FILE "
             "--output-on-failure`")
    with tempfile.TemporaryDirectory() as work:
        # A test directory as CMake would write it: the two cases, labelled clean.
        with open(os.path.join(work, "CTestTestfile.cmake"), "w") as f:
            for case in ("GateFixture.RegressedCounter", "GateFixture.LockedCounter"):
                f.write(f'add_test({case} "{fixture}" "--gtest_filter={case}" "--seed=0x2a")\n'
                        f'set_tests_properties({case} PROPERTIES LABELS clean)\n')
        junit = os.path.join(work, "junit.xml")
        # The workflow's gate, with the preset's build directory for --preset.
        args = shlex.split(gate.group(1))[1:]
        args = ["--test-dir", work] + [a for a in args if a not in ("--preset", "tsan")]
        args[args.index("--output-junit") + 1] = junit
        proc = subprocess.run([ctest, *args], capture_output=True, text=True)
        log = proc.stdout + proc.stderr
        if proc.returncode == 0:
            fail(f"the gate passed a regressed case:\n{log}")
        replay = re.search(r"replay: (\S*racestress_gate_fixture --gtest_filter="
                           r"GateFixture\.RegressedCounter --replay=0x[0-9a-f]+:\d+)", log)
        if replay is None:
            fail(f"no replay line for the regressed case in the log:\n{log}")
        cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
        regressed, locked = cases.get("GateFixture.RegressedCounter"), cases.get(
            "GateFixture.LockedCounter")
        if regressed is None or locked is None:
            fail(f"the JUnit report lacks a case: {sorted(cases)}")
        if regressed.find("failure") is None and regressed.get("status") != "fail":
            fail("the JUnit report does not mark the regressed case failed")
        if locked.find("failure") is not None or locked.get("status") == "fail":
            fail("the JUnit report marks the locked case failed")
        # The logged replay line reproduces the failure.
        again = subprocess.run(shlex.split(replay.group(1)), capture_output=True, text=True)
        if again.returncode != 1 or "GateFixture.RegressedCounter" not in again.stdout:
            fail(f"the replay did not fail the case again:\n{again.stdout}{again.stderr}")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
