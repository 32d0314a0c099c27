#!/usr/bin/env bash
# Sets up (first use only), builds the tsan preset and runs the whole catalog
# with the racestress runner. Extra arguments go to the runner, e.g.
#   scripts/run_catalog.sh --gtest_filter='Counter.*' --seed=0x2a
# The JSON report lands in build/tsan/catalog.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh
cmake --preset tsan >/dev/null
cmake --build --preset tsan
exec ./build/tsan/racestress --json=build/tsan/catalog.json "$@"
