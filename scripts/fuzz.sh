#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz, ASan+UBSan) and fuzzes each for
# FUZZ_SECONDS (default 30) through ctest, two at a time. Seeds: tests/fuzz/corpus (copied to a
# scratch dir per run); findings: build-fuzz/tests/fuzz/targets/artifacts/<target>/.
#   scripts/fuzz.sh                       all targets, 30 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh      longer local runs
#   FUZZ_FILTER=matcher scripts/fuzz.sh   only targets whose name matches
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-30}
JOBS=${FUZZ_JOBS:-2}
CLANG=${FUZZ_CXX:-$(command -v clang++ || command -v clang++-14)}

start=$(date +%s)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_CXX_COMPILER="$CLANG" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPACTMOCKS_FUZZ=ON -DPACTMOCKS_FUZZ_SECONDS="$SECONDS_EACH" >/dev/null
targets=(fuzz_env_config fuzz_http_request fuzz_pact_parser fuzz_matcher)
ninja -C "$BUILD_DIR" -j "$JOBS" "${targets[@]}"
built=$(date +%s)
echo "fuzz: build took $((built - start)) s"

status=0
ctest --test-dir "$BUILD_DIR" -L '^fuzz$' ${FUZZ_FILTER:+-R "$FUZZ_FILTER"} --output-on-failure -j "$JOBS" || status=$?
# One line per target: how much fuzzing actually happened.
grep -E '^== fuzz_|stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' \
  "$BUILD_DIR/Testing/Temporary/LastTest.log" || true
echo "fuzz: fuzzing took $(($(date +%s) - built)) s"
exit $status
