#!/usr/bin/env bash
# Sets up and runs every test: installs the Debian packages, configures and builds, runs ctest.
#   scripts/test.sh                 all tests (unit, conformance, integration, deploy validation)
#   TEST_FILTER=regex scripts/test.sh   only tests whose name matches
#   SANITIZE=1 scripts/test.sh      build into build-asan with ASan+UBSan and run the tests there
set -euo pipefail
cd "$(dirname "$0")/.."

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

if [[ ${SANITIZE:-0} == 1 ]]; then
  BUILD_DIR=${BUILD_DIR:-build-asan}
  EXTRA=(-DPACTMOCKS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
else
  BUILD_DIR=${BUILD_DIR:-build}
  EXTRA=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi

cmake -S . -B "$BUILD_DIR" -G Ninja "${EXTRA[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"

args=(--test-dir "$BUILD_DIR" --output-on-failure --timeout 600 -j 2)
[[ -n ${TEST_FILTER:-} ]] && args+=(-R "$TEST_FILTER")
[[ -n ${TEST_EXCLUDE:-} ]] && args+=(-E "$TEST_EXCLUDE")
ctest "${args[@]}"

# --- Fuzzing (tests/fuzz, docs/security.md): libFuzzer targets built with clang + ASan/UBSan,
# each fuzzed for FUZZ_SECONDS (default 30). FUZZ=0 skips it; skipped under SANITIZE=1.
if [[ ${FUZZ:-1} != 0 && ${SANITIZE:-0} != 1 && -z ${TEST_FILTER:-} ]]; then
  fuzz_start=$(date +%s)
  bash scripts/fuzz.sh
  echo "test.sh: fuzz stage took $(($(date +%s) - fuzz_start)) s"
fi
