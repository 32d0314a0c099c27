#!/usr/bin/env bash
# Scaffolds a new case file from the nearest catalog example:
#   scripts/new_case.sh <Topic> <BugMechanism>     e.g. BankAccount LostDeposit
# writes cases/<topic>/<bug_mechanism>.cc (the topic's first catalog file as
# the model when the topic exists, else cases/counter/lost_update.cc), with the
# suite and case names replaced. The build picks the file up: nothing else to edit.
set -euo pipefail
usage() { echo "usage: scripts/new_case.sh <Topic> <BugMechanism> (PascalCase, e.g. BankAccount LostDeposit)" >&2; exit 2; }
[ $# -eq 2 ] || usage
topic=$1 bug=$2
pascal='^[A-Z][A-Za-z0-9]*$'
[[ $topic =~ $pascal && $bug =~ $pascal ]] || usage
snake() { sed -E 's/([a-z0-9])([A-Z])/\1_\2/g; s/([A-Z])([A-Z][a-z])/\1_\2/g' <<<"$1" | tr 'A-Z' 'a-z'; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="cases/$(snake "$topic")"
file="$dir/$(snake "$bug").cc"
[ -e "$root/$file" ] && { echo "new_case.sh: $file exists already" >&2; exit 2; }

model=$(ls "$root/$dir"/*.cc 2>/dev/null | head -n 1 || true)
[ -n "$model" ] || model="$root/cases/counter/lost_update.cc"
model_rel=${model#"$root"/}
# The model's suite and its cases' common prefix (e.g. Counter / LostUpdate).
model_suite=$(grep -m1 -oE 'RACESTRESS_CASE\(\w+' "$model" | sed 's/RACESTRESS_CASE(//')
model_bug=$(grep -oE 'RACESTRESS_CASE\(\w+, \w+' "$model" | sed -E 's/.*, //' |
  sed -e '1{h;d;}' -e 'G;s/^\(.*\).*\n\1.*$/\1/;h;$!d' | head -n 1)

mkdir -p "$root/$dir"
sed -e "s|$model_rel|$file|g" \
    -e "s|RACESTRESS_CASE($model_suite, $model_bug|RACESTRESS_CASE($topic, $bug|g" \
    -e "s|^// Seed: .*|// Seed: where this case comes from (a document, an incident, a review)|" \
    -e "s|^// Run: .*|// Run:  ctest --preset tsan -R '^$topic\\\\.$bug'|" \
    "$model" > "$root/$file"
echo "wrote $file (from $model_rel): describe the bug in its header, then adapt the states"
echo "build and run: cmake --build --preset tsan && build/tsan/racestress --gtest_filter='$topic.$bug*'"
