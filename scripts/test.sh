#!/usr/bin/env bash
# Sets up (first use only), then configures, builds and tests the tsan preset
# (the CI gate: races, lost updates, hangs, crashes) and the stress preset
# (no sanitizer: lost updates at full speed), both with the newest clang the
# package archive offers, and the tsan preset again with clang 14, whose TSan
# needs the workarounds newer ones do not (harness/tsan/clock_waits.h). Fails
# on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --with-browser  # Chromium: the HTML report is checked rendered
cmake --workflow --preset tsan          # the newest clang (cmake/NewestClang.cmake)
cmake --workflow --preset stress
cmake --workflow --preset tsan-clang14
