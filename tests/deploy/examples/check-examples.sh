#!/usr/bin/env bash
# Checks examples/: every pact is valid JSON, the committed configmap/ layout matches pacts/ and has
# the kubelet's shape, and make-configmap-layout.sh builds and updates that shape correctly.
# Usage: tests/deploy/examples/check-examples.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: $0 SOURCE_DIR}
ex=$src/examples
fail() { echo "FAIL: $*" >&2; exit 1; }
checks=0
ok() { checks=$((checks + 1)); }

for f in "$ex"/pacts/*.json; do
  python3 -m json.tool "$f" >/dev/null || fail "$f is not valid JSON"; ok
  python3 - "$f" <<'PY' || fail "$f is not a V3 pact of Secret-Manager-Controller"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["metadata"]["pactSpecification"]["version"] == "3.0.0"
assert p["consumer"]["name"] == "Secret-Manager-Controller"
assert p["interactions"]
PY
  ok
done

# Committed layout: ..data -> ..<timestamp>, user-visible links -> ..data/<file>, same content as pacts/.
layout_ok() {  # DIR [EXPECTED_SOURCE]
  local dir=$1 expected=$2
  [[ -L $dir/..data ]] || fail "$dir/..data is not a symlink"
  local target; target=$(readlink "$dir/..data")
  [[ $target == ..[0-9][0-9][0-9][0-9]_* && -d $dir/$target && ! -L $dir/$target ]] || fail "$dir/..data -> $target is not a timestamp directory"
  local n=0
  for f in "$expected"/*.json; do
    local name; name=$(basename "$f")
    [[ $(readlink "$dir/$name") == "..data/$name" ]] || fail "$dir/$name is not a link to ..data/$name"
    cmp -s "$f" "$dir/$name" || fail "$dir/$name differs from $f"
    n=$((n + 1))
  done
  local visible; visible=$(find "$dir" -mindepth 1 -maxdepth 1 -not -name '..*' | wc -l)
  [[ $visible -eq $n ]] || fail "$dir has $visible visible entries, expected $n"
  local tsdirs; tsdirs=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name '..*' | wc -l)
  [[ $tsdirs -eq 1 ]] || fail "$dir has $tsdirs timestamp directories, expected 1"
  ok
}
layout_ok "$ex/configmap" "$ex/pacts"

# The script: a fresh layout, then an update that drops one file and adds another.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/v1" "$work/v2"
cp "$ex"/pacts/*.json "$work/v1/"
"$ex/make-configmap-layout.sh" "$work/v1" "$work/mount"
layout_ok "$work/mount" "$work/v1"
first=$(readlink "$work/mount/..data")
cp "$ex"/pacts/*AWS*.json "$work/v2/"
sed 's/"s3cr3t-value"/"changed"/' "$ex"/pacts/*GCP*.json > "$work/v2/extra-GCP.json"
"$ex/make-configmap-layout.sh" "$work/v2" "$work/mount"
layout_ok "$work/mount" "$work/v2"
[[ $(readlink "$work/mount/..data") != "$first" ]] || fail "update did not swap ..data"
[[ ! -e $work/mount/$first ]] || fail "update left the old timestamp directory"
ok
"$ex/make-configmap-layout.sh" "$work/missing" "$work/x" 2>/dev/null && fail "a missing SRC must fail"
ok
echo "examples: $checks passed, 0 failed"
