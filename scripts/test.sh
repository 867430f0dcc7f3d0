#!/usr/bin/env bash
# Sets up and runs every test: installs the Debian packages, then runs the test stages and prints
# how long each took.
#   scripts/test.sh                     the normal build (build/) and all its tests, then the fuzz stage
#   TEST_FILTER=regex scripts/test.sh   only tests whose name matches (TEST_EXCLUDE=regex: not these)
#   SANITIZE=1 scripts/test.sh          also the ASan+UBSan stage: the whole suite in build-asan
#   TSAN=1 scripts/test.sh              also the TSan stage: `ctest -L concurrency` in build-tsan
#   STAGES="asan tsan" scripts/test.sh  exactly these stages (normal, fuzz, asan, tsan)
#   CI=true                             every stage (.ci/run)
# A sanitizer report anywhere, in a test or in a process it started, fails its stage
# (scripts/sanitizer-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitizer-env.sh

bash scripts/install-deps.sh
# The real Pact Broker's Debian packages, when ../shared/real-broker is beside the checkout (the
# real-broker stage; without it, and without PACT_BROKER_TEST_URL, that stage is skipped, except
# under CI=true, where it is required).
REAL_BROKER_DIR=../shared/real-broker  # where tests/CMakeLists.txt looks too
if [[ -f $REAL_BROKER_DIR/install-deps.sh ]]; then
  # PostgreSQL: the real-broker stage also runs the broker on a throwaway PostgreSQL cluster.
  INSTALL_EXTRA="postgresql ${INSTALL_EXTRA:-}" bash "$REAL_BROKER_DIR/install-deps.sh"
elif [[ -z ${PACT_BROKER_TEST_URL:-} && ${CI:-} != true ]]; then
  echo "test.sh: the real-broker stage will be skipped; to run it, set PACT_BROKER_TEST_URL=http://127.0.0.1:9292" \
       "(a Pact Broker you run, e.g. the pactfoundation/pact-broker image) or put the real broker at $REAL_BROKER_DIR"
fi

if [[ -z ${STAGES:-} ]]; then
  if [[ ${CI:-} == true ]]; then
    STAGES="normal asan tsan fuzz"
  else
    STAGES="normal"
    [[ ${SANITIZE:-0} == 1 ]] && STAGES+=" asan"
    [[ ${TSAN:-0} == 1 ]] && STAGES+=" tsan"
    STAGES+=" fuzz"
  fi
fi
# The fuzz stage is skipped for a filtered run and with FUZZ=0.
if [[ -n ${TEST_FILTER:-} || ${FUZZ:-1} == 0 ]]; then STAGES=${STAGES//fuzz/}; fi
JOBS=${JOBS:-2}

ctest_args() {  # ctest_args <build dir>: the options every stage's ctest shares
  local a=(--test-dir "$1" --output-on-failure --timeout 600 -j "$JOBS")
  [[ -n ${TEST_FILTER:-} ]] && a+=(-R "$TEST_FILTER")
  [[ -n ${TEST_EXCLUDE:-} ]] && a+=(-E "$TEST_EXCLUDE")
  printf '%s\n' "${a[@]}"
}

stage_normal() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || return
  cmake --build build -j "$JOBS" || return
  mapfile -t args < <(ctest_args build)
  ctest "${args[@]}"
}

# ASan+UBSan: every test (unit, conformance, integration, e2e, docs) on instrumented binaries.
stage_asan() {
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPACTMOCKS_SANITIZE=ON >/dev/null || return
  cmake --build build-asan -j "$JOBS" || return
  mapfile -t args < <(ctest_args build-asan)
  local logs=$PWD/build-asan/sanitizer-logs status=0
  ( sanitizer_export asan "$logs" && ctest "${args[@]}" ) || status=$?
  sanitizer_check_logs "$logs" || status=1
  return $status
}

# TSan: only the tests labelled `concurrency`, and only the targets they need.
stage_tsan() {
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPACTMOCKS_TSAN=ON >/dev/null || return
  cmake --build build-tsan -j "$JOBS" --target pactmocks_concurrency_tests || return
  mapfile -t args < <(ctest_args build-tsan)
  local logs=$PWD/build-tsan/sanitizer-logs status=0
  ( sanitizer_export tsan "$logs" && ctest "${args[@]}" -L '^concurrency$' ) || status=$?
  sanitizer_check_logs "$logs" || status=1
  return $status
}

# libFuzzer targets built with clang + ASan/UBSan (tests/fuzz, docs/security.md).
stage_fuzz() {
  bash scripts/fuzz.sh
}

# A stage's commands are chained with `|| return`: set -e does not act inside a function called
# from a condition, and every stage runs even when an earlier one failed.
summary=() failed=0 total_start=$(date +%s)
for stage in $STAGES; do
  echo "==== test.sh: stage $stage"
  start=$(date +%s)
  result=passed
  "stage_$stage" || { result=FAILED; failed=1; }
  summary+=("$(printf '%-8s %6d s  %s' "$stage" $(($(date +%s) - start)) "$result")")
done

echo "==== test.sh: stages"
((${#summary[@]})) && printf '%s\n' "${summary[@]}"
printf '%-8s %6d s\n' total $(($(date +%s) - total_start))
exit $failed
