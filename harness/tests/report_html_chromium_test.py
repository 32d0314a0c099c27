#!/usr/bin/env python3
"""CTest Runner.HtmlReportRendersInChromium: a real run's --html report,
rendered by headless Chromium (Debian's `chromium`), shows what it should.

  report_html_chromium_test.py path/to/racestress path/to/chromium

The page's own script counts the verdicts it shows and marks the body
rendered; the DOM Chromium dumps after running it must hold the summary, each
case with its verdict, the bars, the racy case's detection curve and replay
line, and nothing fetched from elsewhere.
"""

import os
import re
import subprocess
import sys
import tempfile


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def main():
    runner, chromium = sys.argv[1], sys.argv[2]
    if not os.path.exists(chromium):
        fail(f"no Chromium at {chromium}: scripts/setup.sh --with-browser installs it")
    with tempfile.TemporaryDirectory() as work:
        page = os.path.join(work, "report.html")
        cases = "Primitives.LostUpdateUnlocked:Primitives.LostUpdateMutex"
        run = subprocess.run([runner, f"--gtest_filter={cases}", "--gtest_repeat=5",
                              "--iterations=200", "--seed=0x2a", f"--html={page}"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"the run exited {run.returncode}\n{run.stdout}\n{run.stderr}")
        with open(page) as f:
            source = f.read()
        for external in ("http://", "https://", " src=", "<link"):
            if external in source:
                fail(f"the page refers to something outside itself: {external!r}")
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={os.path.join(work, 'profile')}", "--dump-dom",
             "file://" + page],
            capture_output=True, text=True, timeout=120).stdout
        checks = [
            ('data-rendered="yes"', "the page's script did not run"),
            ("2 cases: 2 passed, 0 failed, 0 skipped", "the summary line"),
            ('data-name="Primitives.LostUpdateUnlocked"', "the racy case's section"),
            ('data-name="Primitives.LostUpdateMutex"', "the fixed case's section"),
            ("5 runs", "the repetitions drawn together"),
            ('class="bar forbidden"', "the racy case's forbidden outcomes"),
            ('class="bar acceptable"', "the acceptable outcomes"),
            ("<polyline", "the detection curve"),
            ("Detected in ", "the detection summary"),
            ('<pre class="replay">', "the replay line"),
            ("--gtest_filter=Primitives.LostUpdateUnlocked --replay=", "the replay command"),
        ]
        for needle, what in checks:
            if needle not in dom:
                fail(f"{what}: {needle!r} not in the rendered page")
        if not re.search(r"Detected in [1-5] of 5 runs", dom):
            fail("the detection count")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
