#!/usr/bin/env bash
# The clouds' official SDKs against the three mocks serving examples/pacts: the Node SDKs for AWS,
# GCP (REST) and Azure (over HTTPS on the mock's TLS port, trusting a CA made for the run), and
# Debian's boto3. The npm packages are installed from package-lock.json into a cache directory
# keyed by the lock file's hash, so a clean clone needs only npm and network once.
# Usage: run-sdk-e2e.sh SOURCE_DIR BUILD_DIR
#   PACTMOCKS_SDK_CACHE  where node_modules are kept (default BUILD_DIR/sdk-e2e-node)
set -euo pipefail
src=${1:?usage: $0 SOURCE_DIR BUILD_DIR}
build=${2:?usage: $0 SOURCE_DIR BUILD_DIR}
here=$src/tests/e2e/sdk
bin=$build/mockserver
started=$SECONDS
# shellcheck source=SCRIPTDIR/../../support/process-helpers.sh
source "$src/tests/support/process-helpers.sh"

{ command -v node && command -v npm; } >/dev/null || fail "node and npm are required (scripts/install-deps.sh)"
python3 -c 'import boto3' 2>/dev/null || fail "python3-boto3 is required (scripts/install-deps.sh)"

# --- npm packages, pinned by the lock file
cache_root=${PACTMOCKS_SDK_CACHE:-$build/sdk-e2e-node}
lock_hash=$(sha256sum "$here/package-lock.json" | cut -c1-16)
modules=$cache_root/$lock_hash
mkdir -p "$cache_root"
(
  flock 9  # one installer at a time when tests run in parallel
  if [[ ! -f $modules/.installed ]]; then
    rm -rf "$modules" && mkdir -p "$modules"
    cp "$here/package.json" "$here/package-lock.json" "$modules/"
    echo "installing the SDKs from package-lock.json into $modules"
    (cd "$modules" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) || fail "npm ci failed"
    touch "$modules/.installed"
  fi
) 9>"$cache_root/.lock"

# --- the mocks: plain HTTP for AWS and GCP, HTTPS for Azure
"$src/deploy/k8s/components/tls/make-certs.sh" "$work/certs" >/dev/null
start_mock() {  # NAME PORT [ENV...]
  local name=$1 port=$2; shift 2
  env PACTS_DIR="$src/examples/pacts" PORT="$port" LOG_LEVEL=warn "$@" "$bin/$name-mock-server" >"$work/$name.log" 2>&1 &
  pids+=("$!")
}
aws_port=$(free_port); gcp_port=$(free_port); azure_port=$(free_port); azure_tls=$(free_port)
start_mock aws "$aws_port"
start_mock gcp "$gcp_port"
start_mock azure "$azure_port" TLS_PORT="$azure_tls" TLS_CERT_FILE="$work/certs/tls.crt" TLS_KEY_FILE="$work/certs/tls.key"
healthy() { curl -fs -o /dev/null "$@"; }
for url in "http://127.0.0.1:$aws_port/health" "http://127.0.0.1:$gcp_port/health" "http://127.0.0.1:$azure_port/health"; do
  eventually healthy "$url" || { cat "$work"/*.log >&2; fail "$url not healthy"; }
done
healthy --cacert "$work/certs/ca.crt" "https://localhost:$azure_tls/health" || fail "Azure mock has no HTTPS on $azure_tls"

# --- the SDKs
status=0
NODE_PATH=$modules/node_modules NODE_EXTRA_CA_CERTS=$work/certs/ca.crt NODE_NO_WARNINGS=1 \
  node "$here/sdk-e2e.js" --aws "http://127.0.0.1:$aws_port" --gcp "http://127.0.0.1:$gcp_port" \
  --azure "https://localhost:$azure_tls" || status=1
python3 "$here/boto3_e2e.py" "http://127.0.0.1:$aws_port" || status=1

# The Azure SDK authenticated through the Key Vault challenge, as against the real service.
journal=$(curl -fs "http://127.0.0.1:$azure_port/__admin/requests")
if grep -q '"outcome":"challenge"' <<<"$journal"; then
  echo "PASS azure challenge-answered"
else
  echo "FAIL azure challenge-answered: no request got the Key Vault challenge"; status=1
fi
echo "sdk e2e: $((SECONDS - started)) s"
exit $status
