#!/usr/bin/env bash
# HTTPS on TLS_PORT: served with the same contracts, OpenSSL only mapped when TLS is configured,
# a renewed certificate picked up without a restart, bad settings are exit 2 naming the variable.
# Usage: tls-test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=${1:?usage: $0 SOURCE_DIR BUILD_DIR}
build=${2:?usage: $0 SOURCE_DIR BUILD_DIR}
mock=$build/mockserver/azure-mock-server
certs=$src/deploy/k8s/components/tls/make-certs.sh
# shellcheck source=SCRIPTDIR/../../support/process-helpers.sh
source "$src/tests/support/process-helpers.sh"
https_ok() {  # CA PORT
  [[ $(curl -s -o /dev/null -w '%{http_code}' --cacert "$1" "https://localhost:$2/health") == 200 ]]
}

"$certs" "$work/a" >/dev/null
"$certs" "$work/b" >/dev/null
mkdir "$work/live"
cp "$work/a/tls.crt" "$work/a/tls.key" "$work/live/"

port=$(free_port)
tls_port=$(free_port)
PACTS_DIR=$src/examples/pacts PORT=$port TLS_PORT=$tls_port TLS_CERT_FILE=$work/live/tls.crt \
  TLS_KEY_FILE=$work/live/tls.key TLS_RELOAD_INTERVAL_SECONDS=0.2 LOG_LEVEL=info LOG_FORMAT=json "$mock" >"$work/tls.log" 2>&1 &
tls_pid=$!
pids+=("$tls_pid")
eventually https_ok "$work/a/ca.crt" "$tls_port" || { cat "$work/tls.log"; fail "no HTTPS on $tls_port"; }
echo "ok: HTTPS /health on TLS_PORT"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]] || fail "plain HTTP on PORT"
echo "ok: plain HTTP stays on PORT"

# The same contracts over TLS, with the Key Vault challenge for a token-less request.
body=$(curl -s --cacert "$work/a/ca.crt" -H 'Authorization: Bearer t' \
  "https://localhost:$tls_port/secrets/test-secret/?api-version=2025-07-01")
[[ $body == *'"value":"s3cr3t-value"'* ]] || fail "contract answer over TLS: $body"
challenge=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/a/ca.crt" \
  "https://localhost:$tls_port/secrets/test-secret/?api-version=2025-07-01")
[[ $challenge == 401 ]] || fail "challenge over TLS: $challenge"
echo "ok: contracts and challenge over TLS"
curl -s -o /dev/null --cacert "$work/b/ca.crt" "https://localhost:$tls_port/health" && fail "a foreign CA was accepted"

# OpenSSL is mapped only by the process that serves TLS.
grep -q libssl "/proc/$tls_pid/maps" || fail "TLS process has no libssl mapped"
plain_port=$(free_port)
PACTS_DIR=$src/examples/pacts PORT=$plain_port LOG_LEVEL=warn "$mock" >"$work/plain.log" 2>&1 &
plain_pid=$!
pids+=("$plain_pid")
eventually curl -fs "http://127.0.0.1:$plain_port/health" || fail "plain mock did not start"
if grep -qE 'libssl|libcrypto|pactmocks_tls' "/proc/$plain_pid/maps"; then fail "a mock without TLS settings mapped OpenSSL"; fi
echo "ok: no OpenSSL in a process without TLS (VmRSS plain $(awk '/VmRSS/{print $2}' /proc/$plain_pid/status) kB," \
  "with TLS $(awk '/VmRSS/{print $2}' /proc/$tls_pid/status) kB)"

# A renewed certificate (as a Secret update swaps the files) is served without a restart.
cp "$work/b/tls.crt" "$work/live/tls.crt.new" && cp "$work/b/tls.key" "$work/live/tls.key.new"
mv "$work/live/tls.key.new" "$work/live/tls.key" && mv "$work/live/tls.crt.new" "$work/live/tls.crt"
eventually https_ok "$work/b/ca.crt" "$tls_port" || { cat "$work/tls.log"; fail "renewed certificate not served"; }
kill -0 "$tls_pid" || fail "the mock restarted or died"
echo "ok: renewed certificate served by the same process"
# The module has its own copy of the logging library; its lines go through the process's logger
# (format and component), not a default one of its own.
eventually grep -q '"component":"azure-mock-server","msg":"TLS certificate reloaded from' "$work/tls.log" ||
  { cat "$work/tls.log"; fail "the TLS module's log line is not in the process's format"; }
echo "ok: the TLS module logs through the process's logger"

# Bad settings: exit 2 naming the variable.
expect_exit2() {  # VARIABLE ENV...
  local variable=$1; shift
  local out rc=0
  out=$(env PACTS_DIR="$src/examples/pacts" PORT="$(free_port)" "$@" "$mock" 2>&1 >/dev/null) || rc=$?
  [[ $rc == 2 ]] || fail "expected exit 2 for $variable, got $rc: $out"
  [[ $out == *"$variable"* ]] || fail "the error does not name $variable: $out"
  echo "ok: exit 2 naming $variable"
}
printf 'not a certificate\n' >"$work/garbage.pem"
tp=$(free_port)
expect_exit2 TLS_CERT_FILE TLS_PORT="$tp" TLS_CERT_FILE="$work/garbage.pem" TLS_KEY_FILE="$work/a/tls.key"
expect_exit2 TLS_KEY_FILE TLS_PORT="$tp" TLS_CERT_FILE="$work/a/tls.crt" TLS_KEY_FILE="$work/garbage.pem"
expect_exit2 TLS_KEY_FILE TLS_PORT="$tp" TLS_CERT_FILE="$work/a/tls.crt" TLS_KEY_FILE="$work/b/tls.key"
expect_exit2 TLS_KEY_FILE TLS_PORT="$tp" TLS_CERT_FILE="$work/a/tls.crt" TLS_KEY_FILE="$work/missing.key"
expect_exit2 TLS_CERT_FILE TLS_PORT="$tp"
echo "PASS tls-test"
