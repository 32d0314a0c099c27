#!/usr/bin/env python3
"""CTest Runner.ReportKinds (tsan preset): every kind of ThreadSanitizer report
says what it is. Runs racestress_report_kinds_fixture's cases, one bug of each
of three kinds (data race, lock-order inversion, heap use after free), and
checks, for each case:

  * the verdict line names the kind in plain words (a racy case declaring it
    is "flagged as expected (lock-order inversion)"; a clean case's failure
    says "ThreadSanitizer reported a lock-order inversion");
  * the JSON report keeps "race" as the first failure's kind and gives TSan's
    key for it as its report_kind;
  * the HTML report names the first finding in the same words;
  * a case declaring another kind fails with "found X, which is not among the
    declared kinds (Y)" after its whole budget, and its replay fails so again;
  * a clean case that declares kinds is refused before it runs.

  report_kinds_test.py path/to/racestress_report_kinds_fixture
"""

import html
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

ITERATIONS = 20

# case: (passes, report_kind of its first failure or None, what its verdict says)
EXPECTED = {
    "DataRace": (True, "data-race",
                 r"Kinds\.DataRace: flagged as expected \(data race\) after .*: iteration \d+: "
                 r"ThreadSanitizer reported a data race \(its report"),
    "DataRaceDeclaredAsLockOrderInversion": (
        False, "data-race",
        r"Kinds\.DataRaceDeclaredAsLockOrderInversion: declared racy \(lock-order inversion "
        rf"required\), but {ITERATIONS} iterations in [0-9.]+ s found data race, which is not "
        r"among the declared kinds \(lock-order inversion\): iteration \d+: ThreadSanitizer "
        r"reported a data race"),
    "LockOrderInversion": (
        True, "lock-order-inversion",
        r"Kinds\.LockOrderInversion: flagged as expected \(lock-order inversion\) after .*: "
        r"iteration \d+: ThreadSanitizer reported a lock-order inversion \(its report"),
    "LockOrderInversionDeclaredAsDataRace": (
        False, "lock-order-inversion",
        r"Kinds\.LockOrderInversionDeclaredAsDataRace: declared racy \(data race required\), "
        rf"but {ITERATIONS} iterations in [0-9.]+ s found lock-order inversion, which is not "
        r"among the declared kinds \(data race\): iteration \d+: ThreadSanitizer reported a "
        r"lock-order inversion"),
    "LockOrderInversionClaimedClean": (
        False, "lock-order-inversion",
        r"Kinds\.LockOrderInversionClaimedClean: iteration \d+: ThreadSanitizer reported a "
        r"lock-order inversion \(its report"),
    "HeapUseAfterFree": (
        True, "heap-use-after-free",
        r"Kinds\.HeapUseAfterFree: flagged as expected \(heap use after free\) after .*: "
        r"iteration \d+: ThreadSanitizer reported a heap use after free \(its report"),
    "HeapUseAfterFreeDeclaredAsLockOrderInversion": (
        False, "heap-use-after-free",
        r"Kinds\.HeapUseAfterFreeDeclaredAsLockOrderInversion: declared racy \(lock-order "
        rf"inversion required\), but {ITERATIONS} iterations in [0-9.]+ s found heap use after "
        r"free, which is not among the declared kinds \(lock-order inversion\): iteration \d+: "
        r"ThreadSanitizer reported a heap use after free"),
    "KindsOnACleanCase": (
        False, None,
        r"Kinds\.KindsOnACleanCase: \.RaceKinds\(\) names data race, but the case is not "
        r"declared racy with Symptom::kRace"),
}
NAMES = {"data-race": "data race", "lock-order-inversion": "lock-order inversion",
         "heap-use-after-free": "heap use after free"}

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def run(args):
    proc = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=240)
    return proc.returncode, proc.stdout + proc.stderr


def html_sections(page):
    """{case name: the HTML of its section}."""
    return {html.unescape(m.group(1)): m.group(2)
            for m in re.finditer(r'<section class="case [^"]*" data-verdict="\w+" '
                                 r'data-name="([^"]*)">(.*?)</section>', page, re.S)}


def check_case(name, entry, output, section):
    passes, report_kind, verdict = EXPECTED[name]
    full = f"Kinds.{name}"
    check(re.search(verdict, output), f"{full}: no verdict matching /{verdict}/ in the output")
    check(entry["passed"] == passes, f"{full}: passed is {entry['passed']}, expected {passes}")
    failure = entry["first_failure"]
    if report_kind is None:
        check(failure is None and entry["iterations"] == 0,
              f"{full}: refused before running, yet {entry['iterations']} iterations, "
              f"first failure {failure}")
        return
    if not check(failure is not None, f"{full}: no first failure in the JSON report"):
        return
    check(failure["kind"] == "race", f"{full}: kind {failure['kind']!r}, expected 'race'")
    check(failure["report_kind"] == report_kind,
          f"{full}: report_kind {failure['report_kind']!r}, expected {report_kind!r}")
    check(failure["detail"] == NAMES[report_kind], f"{full}: detail {failure['detail']!r}")
    if entry["expectation"] == "racy" and not passes:
        # No report of a kind it does not declare stops it.
        check(entry["iterations"] == ITERATIONS,
              f"{full}: stopped after {entry['iterations']} of {ITERATIONS} iterations")
    shown = (f'data-kind="race" data-report-kind="{report_kind}">First finding: '
             f"{NAMES[report_kind]}, iteration {failure['iteration']}</p>")
    check(shown in (section or ""), f"{full}: the HTML report does not show {shown!r}")


def check_replay(name, failure):
    """A replay of a case that found another kind fails so again."""
    code, output = run(shlex.split(failure["replay"]))
    _, _, verdict = EXPECTED[name]
    check(code == 1 and re.search(verdict, output),
          f"Kinds.{name}: its replay exited {code} without the verdict:\n{output[-2000:]}")


def main():
    fixture = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="report_kinds_test.") as work:
        report, page = os.path.join(work, "report.json"), os.path.join(work, "report.html")
        code, output = run([fixture, "--gtest_filter=Kinds.*", f"--iterations={ITERATIONS}",
                            f"--json={report}", f"--html={page}"])
        check(code == 1, f"the run exited {code}, expected 1 (some cases fail)")
        with open(report) as f:
            entries = {c["name"]: c for c in json.load(f)["cases"]}
        with open(page) as f:
            sections = html_sections(f.read())
        for name in EXPECTED:
            entry = entries.get(f"Kinds.{name}")
            if check(entry is not None, f"Kinds.{name}: not in the JSON report"):
                check_case(name, entry, output, sections.get(f"Kinds.{name}"))
                failed_racy = entry["expectation"] == "racy" and not entry["passed"]
                if failed_racy and entry["first_failure"] is not None:
                    check_replay(name, entry["first_failure"])
    for f in failures:
        print(f"FAIL: {f}")
    if failures:
        print(output[-4000:])
        return 1
    print(f"report kinds: {len(EXPECTED)} cases as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
