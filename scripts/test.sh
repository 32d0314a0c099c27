#!/usr/bin/env bash
# Sets up (first use only), then configures, builds and tests the tsan preset
# (the CI gate: races, lost updates, hangs, crashes) and the stress preset
# (no sanitizer: lost updates at full speed). Fails on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --with-browser  # Chromium: the HTML report is checked rendered
cmake --workflow --preset tsan
cmake --workflow --preset stress
