#!/usr/bin/env bash
# Installs everything needed to build, run and test pact-mocks from Debian's apt (bookworm).
# Idempotent: when every package is already installed it only checks and returns (no apt-get update).
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
#        INSTALL_EXTRA="pkg ..." scripts/install-deps.sh   (add packages, e.g. for benchmarks)
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git ca-certificates ccache
  libboost1.81-dev                  # Asio + Beast (header-only parts of Boost 1.81)
  nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  catch2 libre2-dev
  libssl-dev                        # TLS on the mocks (a module loaded only when TLS_PORT is set)
  curl procps iproute2 python3 jq   # jq: the docs' commands (tested by tests/docs)
  clang libclang-rt-14-dev          # libFuzzer and the sanitizer runtimes for the fuzz tests
  nodejs npm                        # manifest and Dockerfile validation tools (tools/k8s-validate), SDK e2e test
  python3-boto3                     # the SDK e2e test (tests/e2e/sdk)
  chromium                          # the status-page browser test (tests/browser/status-page)
)
# shellcheck disable=SC2206
PACKAGES+=(${INSTALL_EXTRA:-})

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from outside apt (preinstalled); do not fight an existing install.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
