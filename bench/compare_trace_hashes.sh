#!/usr/bin/env bash
# Same schedules before and after a change: runs every case of two runner
# binaries under the controlled engine (random, pct, dfs; seed 0x2a, 20
# schedules) and compares the trace hashes, the hash of every choice and step
# of every schedule. Prints one line per case and strategy; exits 1 on a
# difference.
#
#   bench/compare_trace_hashes.sh OLD_RUNNER NEW_RUNNER
set -euo pipefail
old=$1
new=$2
status=0
hash_of() {
  "$1" --gtest_filter="$2" --engine=controlled --strategy="$3" --seed=0x2a \
       --iterations=20 --time_budget=60s 2>&1 | grep -o "trace hash 0x[0-9a-f]*" | head -1 || true
}
for c in $("$new" --gtest_list_tests | awk '/^[^ ]/{s=$1} /^  /{print s $1}'); do
  for strategy in random pct dfs; do
    a=$(hash_of "$old" "$c" "$strategy")
    b=$(hash_of "$new" "$c" "$strategy")
    if [ "$a" == "$b" ]; then
      echo "same $c $strategy ${a:-(skipped under the controlled engine)}"
    else
      echo "DIFF $c $strategy old=$a new=$b"
      status=1
    fi
  done
done
exit $status
