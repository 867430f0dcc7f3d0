#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time (ctest `fuzz_<name>` in the PACTMOCKS_FUZZ build).
#   run-fuzzer.sh <binary> <seconds> <artifact-dir> <dict> <corpus-dir> <regressions-dir>
# The seed corpus is copied to a scratch dir so fuzzing never changes the checked-in seeds.
# Saved regression inputs are replayed first. Crash/leak/timeout inputs land in <artifact-dir>:
# copy them to tests/fuzz/regressions/<name>/ once the bug is fixed.
set -euo pipefail
binary=$1 seconds=$2 artifacts=$3 dict=$4 corpus=$5 regressions=$6
name=$(basename "$binary")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
cp -r "$corpus"/. "$scratch"/ 2>/dev/null || true

if compgen -G "$regressions/*" >/dev/null; then
  echo "== $name: replaying $(ls "$regressions" | wc -l) regression inputs"
  "$binary" "$regressions"/*
fi

args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
      -print_final_stats=1 -artifact_prefix="$artifacts/")
[[ -f $dict ]] && args+=(-dict="$dict")
echo "== $name: fuzzing for ${seconds}s from $(ls "$scratch" | wc -l) seeds"
"$binary" "${args[@]}" "$scratch"
