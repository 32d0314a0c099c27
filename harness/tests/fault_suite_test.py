#!/usr/bin/env python3
"""The fault suite (CTest Faults.<engine>.<isolation>, Faults.NoSilentPass): every
case of racestress_fault_fixture, run alone after one passing case, under one
engine and isolation mode, must give its expected verdict, exit code and a
--json report that parses and names the case and symptom; a replay line must
fail the same way again. With --noisolate a fault that ends the process must
still end the run non-zero, print the case's verdict, and leave a report with
the passing case before it and the faulty case marked failed.

Over every run of the suite, whatever the flags: exit 0 only if every selected
case ran at least one iteration and passed; exit 2 only with a one-line error.

  fault_suite_test.py FIXTURE stress|controlled isolated|noisolate
  fault_suite_test.py FIXTURE flags
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile

# What each fault must be reported as: (symptom, text the verdict must hold).
# None for the text: the symptom is enough (the detail differs by preset).
FAULTS = {
    "Throws": ("crash", "threw"),
    "ExitsZero": ("crash", "called exit(0)"),
    "UnderscoreExitsThree": ("crash", "called _exit(3)"),
    "Aborts": ("crash", "SIGABRT"),
    "DereferencesNull": ("crash", "SIGSEGV"),
    "RecursesForever": ("crash", "stack overflow in actor 0"),
    "AllocatesPastTheMemoryLimit": ("crash", None),
    "BlocksInRead": ("hang", None),
    "SpinsWithoutPoints": ("hang", None),
    "OwnSegvHandlerExitsZero": ("crash", "called _exit(0)"),
    "ClosesEveryInheritedFd": ("crash", None),
}
# Harmless oddities: each must pass.
PASSES = ["RecursesDeeply", "PrintsFiftyMegabytes", "RaisesItsOwnSignal", "Forks",
          "StartsADaemon", "ClosesStdin", "SleepsPastTheBudget"]

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def run(args, work, env_extra=None, report_flag=True):
    """Runs the fixture; returns (exit code, output, parsed JSON or None)."""
    report = os.path.join(work, "report.json")
    if os.path.exists(report):
        os.remove(report)
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.run(args + ([f"--json={report}"] if report_flag else []),
                          capture_output=True, text=True, errors="replace", env=env, timeout=300)
    data = None
    if os.path.exists(report):
        with open(report) as f:
            data = json.load(f)  # a report is whole, or it is not there
    check_contract(args, proc, data)
    return proc.returncode, proc.stdout + proc.stderr, data


def check_contract(args, proc, data):
    """Exit 0 only for a whole pass; exit 2 only with a one-line error."""
    what = " ".join(args[1:])
    if proc.returncode == 0:
        cases = data["cases"] if data else []
        check(cases and all(c["passed"] and c["iterations"] >= 1 for c in cases),
              f"{what}: exit 0, but not every case ran and passed: {cases}")
    elif proc.returncode == 2:
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        check(len(lines) == 1 and lines[0].startswith("racestress: "),
              f"{what}: exit 2 without a one-line error: {proc.stderr!r}")


def case_of(data, name):
    for c in (data or {}).get("cases", []):
        if c["name"] == name:
            return c
    return None


def check_fault(fixture, engine_flags, isolated, name, work):
    symptom, text = FAULTS[name]
    full = f"Faults.{name}"
    code, out, data = run([fixture, f"--gtest_filter=Faults.Passes:{full}", *engine_flags], work)
    mode = f"{full} {' '.join(engine_flags)}"
    check(code != 0, f"{mode}: a fault passed (exit 0):\n{out[-3000:]}")
    if isolated:
        check(code == 1, f"{mode}: exit {code}, expected 1 (a failed case)")
    verdict = [l for l in out.splitlines() if full in l and symptom in l]
    check(verdict, f"{mode}: no verdict line naming the case and '{symptom}':\n{out[-3000:]}")
    if text is not None:
        check(any(text in l for l in out.splitlines() if full in l),
              f"{mode}: the verdict does not say '{text}':\n{out[-3000:]}")
    check(data is not None, f"{mode}: no --json report")
    first = case_of(data, "Faults.Passes")
    check(first is not None and first["passed"],
          f"{mode}: the report lacks the passing case that ran before the fault")
    faulty = case_of(data, full)
    if check(faulty is not None, f"{mode}: the report does not name {full}"):
        check(not faulty["passed"], f"{mode}: the report says {full} passed")
        kind = (faulty.get("first_failure") or {}).get("kind")
        check(kind == symptom, f"{mode}: the report's symptom is {kind}, expected {symptom}")
    replay = re.search(rf"replay: (\S+ --gtest_filter={re.escape(full)} .*)", out)
    if check(replay, f"{mode}: no replay line:\n{out[-3000:]}") and isolated:
        again, out2, _ = run(shlex.split(replay.group(1)), work)
        check(again == 1 and any(full in l and symptom in l for l in out2.splitlines()),
              f"{mode}: its replay line does not fail the same way (exit {again}):\n{out2[-2000:]}")


def check_pass(fixture, engine_flags, name, work):
    full = f"Faults.{name}"
    pid_file = os.path.join(work, "daemon.pid")
    if os.path.exists(pid_file):
        os.remove(pid_file)
    code, out, data = run([fixture, f"--gtest_filter=Faults.Passes:{full}", *engine_flags], work,
                          {"RACESTRESS_FAULT_DAEMON_PID": pid_file})
    mode = f"{full} {' '.join(engine_flags)}"
    check(code == 0, f"{mode}: a harmless case failed (exit {code}):\n{out[-3000:]}")
    c = case_of(data, full)
    check(c is not None and c["passed"], f"{mode}: the report does not pass it: {c}")
    if name == "StartsADaemon" and check(os.path.exists(pid_file), f"{mode}: no daemon started"):
        with open(pid_file) as f:
            pid = int(f.read())
        try:
            os.kill(pid, 0)
            os.kill(pid, signal.SIGKILL)  # alive: the run did not wait for it
        except ProcessLookupError:
            failures.append(f"{mode}: the run outlived the daemon the case started: it waited "
                            "for a process holding its report pipe")


def check_flags(fixture, work):
    """Flags that once ended a run with exit 0 and nothing tested."""
    passes = "--gtest_filter=Faults.Passes"
    code, out, data = run([fixture, passes, "--time_budget=1ns"], work)
    check(code == 0 and case_of(data, "Faults.Passes")["iterations"] >= 1,
          f"--time_budget=1ns: exit {code}, not one iteration run:\n{out[-2000:]}")
    for args in ([passes, "--replay=0x2a:9223372036854775800", "--iterations=20"],
                 ["--gtest_filter=NoSuch.*"], ["--gtest_filter=@racy"],
                 ["--gtest_filter=@clean-Faults.*"]):
        code, out, _ = run([fixture, *args], work)
        check(code == 2, f"{' '.join(args)}: exit {code}, expected 2:\n{out[-2000:]}")
    for args in ([passes, "--json="], [passes, "--html="],
                 [passes, f"--json={work}/r", f"--html={work}/./r"]):
        code, out, _ = run([fixture, *args], work, report_flag=False)
        check(code == 2, f"{' '.join(args)}: exit {code}, expected 2:\n{out[-2000:]}")
    for args in (["--engine=controlled", "--pct_depth=2147483647", "--strategy=pct"],
                 ["--engine=controlled", "--pct_depth=1000000", "--strategy=pct"]):
        code, out, _ = run([fixture, passes, *args], work)
        check(code in (0, 2), f"{' '.join(args)}: exit {code}:\n{out[-2000:]}")


def main():
    fixture = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        if sys.argv[2] == "flags":
            check_flags(fixture, work)
        else:
            engine_flags = ["--engine=controlled"] if sys.argv[2] == "controlled" else []
            isolated = sys.argv[3] == "isolated"
            if not isolated:
                engine_flags.append("--noisolate")
            for name in FAULTS:
                check_fault(fixture, engine_flags, isolated, name, work)
            for name in PASSES:
                check_pass(fixture, engine_flags, name, work)
    for message in failures:
        print(f"FAIL: {message}\n")
    if failures:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
