#!/usr/bin/env bash
# The clouds' official SDKs against the local pod (broker stand-in, manager publishing the examples'
# ConfigMap layout, the three mocks loading them from the broker): the Node SDKs for AWS, GCP (REST)
# and Azure (over HTTPS on the mock's TLS port, trusting a CA made for the run), and Debian's boto3. The npm packages are installed from package-lock.json into a cache directory
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
for b in "$bin/aws-mock-server" "$bin/gcp-mock-server" "$bin/azure-mock-server" "$bin/libpactmocks_tls.so" \
  "$build/manager/manager" "$build/tests/support/pact-broker-standin"; do
  [[ -e $b ]] || fail "$b is missing: build everything first (cmake --build $build)"
done

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

# --- the local pod: broker stand-in, manager on the committed ConfigMap layout of examples/pacts,
# the three mocks in broker mode (plain HTTP for AWS and GCP, HTTPS too for Azure)
"$src/deploy/k8s/components/tls/make-certs.sh" "$work/certs" >/dev/null
start() {  # NAME BINARY [ENV...]
  local name=$1 binary=$2; shift 2
  env LOG_LEVEL=warn "$@" "$binary" >"$work/$name.log" 2>&1 &
  pids+=("$!")
}
broker_port=$(free_port); manager_port=$(free_port)
aws_port=$(free_port); gcp_port=$(free_port); azure_port=$(free_port); azure_tls=$(free_port)
broker=(BROKER_URL="http://127.0.0.1:$broker_port" BROKER_USERNAME=pact BROKER_PASSWORD=pact)
"$build/tests/support/pact-broker-standin" --port "$broker_port" --username pact --password pact \
  --data-dir "$work/broker" >"$work/broker.log" 2>&1 &
pids+=("$!")
start manager "$build/manager/manager" "${broker[@]}" CONFIGMAP_PATH="$src/examples/configmap" \
  HEALTH_PORT="$manager_port" PUBLISHED_FLAG_PATH="$work/pacts-published" GIT_BRANCH=sdk-e2e GIT_COMMIT=local
mock_env=("${broker[@]}" MANAGER_URL="http://127.0.0.1:$manager_port" STARTUP_POLL_INTERVAL_SECONDS=0.2)
start aws "$bin/aws-mock-server" "${mock_env[@]}" PORT="$aws_port"
start gcp "$bin/gcp-mock-server" "${mock_env[@]}" PORT="$gcp_port"
start azure "$bin/azure-mock-server" "${mock_env[@]}" PORT="$azure_port" TLS_PORT="$azure_tls" \
  TLS_CERT_FILE="$work/certs/tls.crt" TLS_KEY_FILE="$work/certs/tls.key"
# Serving the published examples, not the built-in default contract.
# shellcheck disable=SC2317  # called through eventually
from_broker() { curl -fs "$1" | grep -q '"source":"broker"'; }
for port in "$aws_port" "$gcp_port" "$azure_port"; do
  PACTMOCKS_EVENTUALLY_SECONDS=60 eventually from_broker "http://127.0.0.1:$port/health" ||
    { tail -n 20 "$work"/*.log >&2; fail "mock on $port is not serving the examples from the broker"; }
done
curl -fs -o /dev/null --cacert "$work/certs/ca.crt" "https://localhost:$azure_tls/health" ||
  fail "Azure mock has no HTTPS on $azure_tls"

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
