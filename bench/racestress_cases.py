"""The cases a racestress runner has, for the bench scripts."""

import fnmatch
import subprocess


def list_cases(runner, expectation=None, pattern=""):
    """Suite.Name of every case (of `expectation`, racy or clean) matching `pattern`
    (fnmatch patterns separated by ':')."""
    cmd = [runner, "--gtest_list_tests"]
    if expectation:
        cmd.append(f"--gtest_filter=@{expectation}")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cases, suite = [], None
    for line in out.splitlines():
        if not line.startswith(" "):
            suite = line.strip().rstrip(".")
        elif suite:
            cases.append(f"{suite}.{line.split('#')[0].strip()}")
    if pattern:
        cases = [c for c in cases if any(fnmatch.fnmatch(c, p) for p in pattern.split(":"))]
    return cases
