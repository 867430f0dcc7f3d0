#!/usr/bin/env bash
# Runs the whole pact-mocks pod on loopback, the way it runs in the cluster:
#   broker (the stand-in by default) → manager publishing the example ConfigMap → the three mocks → webhook.
# Installs and builds what is missing, waits until every component is ready, prints the endpoints and
# a few curl calls, and stops everything cleanly on Ctrl-C.
#
# Environment (all optional):
#   BROKER            standin (default): start pact-broker-standin; real: start the real Pact Broker with
#                     ../shared/real-broker/start.sh (beside the checkout; basic auth pact/pact)
#   BROKER_URL        http://... of a Pact Broker you run yourself (e.g. a pactfoundation/pact-broker container:
#                     docker run -p 9292:9292 -e PACT_BROKER_DATABASE_URL=sqlite:////tmp/pb.sqlite ...); nothing
#                     is started for the broker then
#   BROKER_USERNAME / BROKER_PASSWORD   broker credentials (default pact / pact)
#   CONTRACTS_DIR     plain pact files to publish (default examples/pacts); laid out like a mounted ConfigMap
#   RUN_DIR           where the ConfigMap layout, logs and flag file go (default: a new /tmp/pact-mocks.* dir)
#   BROKER_PORT MANAGER_PORT AWS_PORT GCP_PORT AZURE_PORT WEBHOOK_PORT   (defaults 9292 1238 1234 1235 1236 1237)
#   BUILD_DIR         build tree (default build)    SKIP_BUILD=1  use the binaries as they are
#   LOG_LEVEL / LOG_FORMAT   passed to every component
set -euo pipefail
# A job started with & from a script inherits SIGINT ignored, and bash cannot trap a signal that was
# ignored on entry; re-exec once with SIGINT restored so `kill -INT` stops the pod as Ctrl-C does.
if [[ -z ${RUN_LOCAL_SIGINT_RESTORED:-} ]] && (((0x$(awk '/^SigIgn:/ {print $2}' /proc/$$/status) & 2) != 0)); then
  RUN_LOCAL_SIGINT_RESTORED=1 exec env --default-signal=INT bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)

BUILD_DIR=${BUILD_DIR:-build}
BROKER_PORT=${BROKER_PORT:-9292}
MANAGER_PORT=${MANAGER_PORT:-1238}
AWS_PORT=${AWS_PORT:-1234}
GCP_PORT=${GCP_PORT:-1235}
AZURE_PORT=${AZURE_PORT:-1236}
WEBHOOK_PORT=${WEBHOOK_PORT:-1237}
BROKER_USERNAME=${BROKER_USERNAME:-pact}
BROKER_PASSWORD=${BROKER_PASSWORD:-pact}
CONTRACTS_DIR=${CONTRACTS_DIR:-$ROOT/examples/pacts}
RUN_DIR=${RUN_DIR:-$(mktemp -d /tmp/pact-mocks.XXXXXX)}
export LOG_LEVEL=${LOG_LEVEL:-info} LOG_FORMAT=${LOG_FORMAT:-text}

say() { printf '\033[1m[run-local]\033[0m %s\n' "$*"; }
die() { printf '[run-local] error: %s\n' "$*" >&2; exit 1; }

# Which broker: the stand-in, the real one beside the checkout, or one the user runs (BROKER_URL).
BROKER=${BROKER:-}
REAL_BROKER_DIR=$(cd "$ROOT/.." && pwd)/shared/real-broker
if [[ -n ${BROKER_URL:-} ]]; then
  [[ -z $BROKER ]] || die "set either BROKER=$BROKER or BROKER_URL=$BROKER_URL, not both"
  [[ $BROKER_URL == http://* ]] ||
    die "BROKER_URL=$BROKER_URL: only http:// is supported (https to the broker is not supported yet)"
  BROKER=external
fi
case ${BROKER:=standin} in
  standin | external) ;;
  real) [[ -x $REAL_BROKER_DIR/start.sh ]] ||
    die "BROKER=real needs the real Pact Broker in $REAL_BROKER_DIR (../shared/real-broker beside the checkout, with start.sh); it is not there" ;;
  *) die "BROKER=$BROKER: expected standin or real (or set BROKER_URL to use your own broker)" ;;
esac

# Refuse at once when a port is taken (e.g. a second run-local.sh): otherwise the readiness checks
# would reach the other pod and report it ready.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
CHECK_PORTS=(MANAGER_PORT AWS_PORT GCP_PORT AZURE_PORT WEBHOOK_PORT)
[[ $BROKER == external ]] || CHECK_PORTS=(BROKER_PORT "${CHECK_PORTS[@]}")
for var in "${CHECK_PORTS[@]}"; do
  if port_in_use "${!var}"; then
    die "port ${!var} ($var) is already in use on 127.0.0.1 (another run-local.sh?); stop that process or set $var to a free port"
  fi
done

BINARIES=(manager aws-mock-server gcp-mock-server azure-mock-server mock-webhook pact-broker-standin)
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  say "installing dependencies (fast when already there)"
  bash scripts/install-deps.sh
  say "building ${BINARIES[*]} in $BUILD_DIR"
  [[ -f $BUILD_DIR/build.ninja ]] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${BINARIES[@]}"
fi
bin() {
  local path
  path=$(find "$BUILD_DIR" -type f -name "$1" -perm -u+x 2>/dev/null | head -n 1)
  [[ -n $path ]] || die "binary $1 not found under $BUILD_DIR (build it, or unset SKIP_BUILD)"
  echo "$path"
}

mkdir -p "$RUN_DIR/logs"
PIDS=()
NAMES=()
REAL_BROKER_PID=  # not our child (start.sh daemonises it): stopped by PID, not waited for
cleanup() {
  trap - INT TERM EXIT
  say "stopping ${#PIDS[@]} components"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Interrupted while start.sh was still waiting for the heartbeat: its work dir has the PID.
  if [[ $BROKER == real && -z $REAL_BROKER_PID ]]; then
    REAL_BROKER_PID=$(cat "$RUN_DIR"/real-pact-broker.*/broker.pid 2>/dev/null | head -n 1 || true)
  fi
  if [[ -n $REAL_BROKER_PID ]]; then
    kill -TERM "$REAL_BROKER_PID" 2>/dev/null || true
    local until=$((SECONDS + 10))
    while kill -0 "$REAL_BROKER_PID" 2>/dev/null && ((SECONDS < until)); do sleep 0.1; done
    if kill -0 "$REAL_BROKER_PID" 2>/dev/null; then kill -KILL "$REAL_BROKER_PID" 2>/dev/null || true; fi
    say "  real pact-broker (pid $REAL_BROKER_PID) stopped"
  fi
  local deadline=$((SECONDS + 10))
  for i in "${!PIDS[@]}"; do
    while kill -0 "${PIDS[$i]}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "${PIDS[$i]}" 2>/dev/null; then kill -KILL "${PIDS[$i]}" 2>/dev/null || true; fi
    wait "${PIDS[$i]}" 2>/dev/null && rc=0 || rc=$?
    say "  ${NAMES[$i]} exited ($rc)"
  done
  say "logs kept in $RUN_DIR/logs"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

start() {  # start NAME ENV... -- COMMAND...
  local name=$1; shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$@" >"$RUN_DIR/logs/$name.log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
}

wait_http() {  # wait_http NAME URL [seconds]
  local name=$1 url=$2 limit=${3:-60} start=$SECONDS
  printf '[run-local] waiting for %-18s %s ' "$name" "$url"
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    for i in "${!NAMES[@]}"; do
      if [[ ${NAMES[$i]} == "$name" ]] && ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
        echo; tail -n 20 "$RUN_DIR/logs/$name.log" >&2; die "$name exited during startup"
      fi
    done
    ((SECONDS - start < limit)) || { echo; tail -n 20 "$RUN_DIR/logs/$name.log" >&2 || true; die "$name not ready after ${limit}s"; }
    printf '.'; sleep 0.5
  done
  printf ' ready (%ss)\n' $((SECONDS - start))
}

# The ConfigMap volume as the kubelet lays it out; edit the files under $RUN_DIR/configmap-src and re-run
# examples/make-configmap-layout.sh to see the manager re-publish and the changed providers' mocks reload.
mkdir -p "$RUN_DIR/configmap-src"
cp "$CONTRACTS_DIR"/*.json "$RUN_DIR/configmap-src/"
# The example broker webhook (examples/webhooks.json) calls this pod's mock-webhook; with the
# stand-in it is stored but never delivered, with BROKER=real it is delivered.
if [[ $CONTRACTS_DIR == "$ROOT/examples/pacts" && ! -e $RUN_DIR/configmap-src/webhooks.json ]]; then
  sed "s/127\.0\.0\.1:1237/127.0.0.1:$WEBHOOK_PORT/" "$ROOT/examples/webhooks.json" > "$RUN_DIR/configmap-src/webhooks.json"
fi
bash examples/make-configmap-layout.sh "$RUN_DIR/configmap-src" "$RUN_DIR/configmap" >/dev/null

case $BROKER in
  standin)
    BROKER_URL=http://127.0.0.1:$BROKER_PORT
    start pact-broker -- "$(bin pact-broker-standin)" --port "$BROKER_PORT" \
      --username "$BROKER_USERNAME" --password "$BROKER_PASSWORD" --data-dir "$RUN_DIR/broker"
    wait_http pact-broker "$BROKER_URL/diagnostic/status/heartbeat" 30
    ;;
  real)
    BROKER_URL=http://127.0.0.1:$BROKER_PORT
    say "starting the real Pact Broker from $REAL_BROKER_DIR on port $BROKER_PORT (a few seconds)"
    # start.sh waits for the heartbeat and prints only the PID; its work dir goes under RUN_DIR.
    REAL_BROKER_PID=$(TMPDIR=$RUN_DIR PACT_BROKER_BASIC_AUTH_USERNAME=$BROKER_USERNAME \
      PACT_BROKER_BASIC_AUTH_PASSWORD=$BROKER_PASSWORD PACT_BROKER_WEBHOOK_HOST_WHITELIST=127.0.0.1 \
      PACT_BROKER_WEBHOOK_SCHEME_WHITELIST=http bash "$REAL_BROKER_DIR/start.sh" "$BROKER_PORT" \
      2>"$RUN_DIR/logs/pact-broker.log") || { cat "$RUN_DIR/logs/pact-broker.log" >&2; die "the real Pact Broker did not start"; }
    ;;
  external)
    say "using the broker at $BROKER_URL"
    wait_http pact-broker "$BROKER_URL/diagnostic/status/heartbeat" 60
    ;;
esac
COMMON=(BROKER_URL="$BROKER_URL" BROKER_USERNAME="$BROKER_USERNAME" BROKER_PASSWORD="$BROKER_PASSWORD")

start manager "${COMMON[@]}" CONFIGMAP_PATH="$RUN_DIR/configmap" HEALTH_PORT="$MANAGER_PORT" \
  PUBLISHED_FLAG_PATH="$RUN_DIR/pacts-published" GIT_BRANCH=local GIT_COMMIT=dev \
  MOCK_URLS="aws=http://127.0.0.1:$AWS_PORT,gcp=http://127.0.0.1:$GCP_PORT,azure=http://127.0.0.1:$AZURE_PORT" \
  -- "$(bin manager)"
wait_http manager "http://127.0.0.1:$MANAGER_PORT/liveness" 30

MANAGER_URL=http://127.0.0.1:$MANAGER_PORT
start aws-mock-server "${COMMON[@]}" MANAGER_URL="$MANAGER_URL" PORT="$AWS_PORT" -- "$(bin aws-mock-server)"
start gcp-mock-server "${COMMON[@]}" MANAGER_URL="$MANAGER_URL" PORT="$GCP_PORT" -- "$(bin gcp-mock-server)"
start azure-mock-server "${COMMON[@]}" MANAGER_URL="$MANAGER_URL" PORT="$AZURE_PORT" -- "$(bin azure-mock-server)"
start mock-webhook PORT="$WEBHOOK_PORT" -- "$(bin mock-webhook)"

wait_http manager "http://127.0.0.1:$MANAGER_PORT/ready" 60
wait_http aws-mock-server "http://127.0.0.1:$AWS_PORT/health" 60
wait_http gcp-mock-server "http://127.0.0.1:$GCP_PORT/health" 60
wait_http azure-mock-server "http://127.0.0.1:$AZURE_PORT/health" 60
wait_http mock-webhook "http://127.0.0.1:$WEBHOOK_PORT/health" 30

cat <<MSG

pact-mocks pod is ready (run dir $RUN_DIR)
  pact broker     $BROKER_URL            ($BROKER, user $BROKER_USERNAME)
  manager         http://127.0.0.1:$MANAGER_PORT/ready
  status page     http://127.0.0.1:$MANAGER_PORT/            (coverage: /coverage)
  AWS mock        http://127.0.0.1:$AWS_PORT      AWS_SECRETS_MANAGER_ENDPOINT
  GCP mock        http://127.0.0.1:$GCP_PORT      GCP_SECRET_MANAGER_ENDPOINT
  Azure mock      http://127.0.0.1:$AZURE_PORT      AZURE_KEY_VAULT_ENDPOINT
  mock webhook    http://127.0.0.1:$WEBHOOK_PORT
  logs            tail -f $RUN_DIR/logs/*.log

Try:
  curl -s http://127.0.0.1:$MANAGER_PORT/ready
  curl -s -X POST http://127.0.0.1:$AWS_PORT/ -H 'Content-Type: application/x-amz-json-1.1' \\
       -H 'X-Amz-Target: secretsmanager.GetSecretValue' -d '{"SecretId":"test-secret"}'
  curl -s 'http://127.0.0.1:$GCP_PORT/v1/projects/test-project/secrets/test-secret/versions/latest:access?\$alt=json%3Benum-encoding%3Dint'
  curl -s 'http://127.0.0.1:$AZURE_PORT/secrets/test-secret/?api-version=2025-07-01' -H 'Authorization: Bearer test-token'
  curl -s -i 'http://127.0.0.1:$AZURE_PORT/secrets/test-secret/?api-version=2025-07-01' -H 'X-Rate-Limit: true'
  curl -s -X POST http://127.0.0.1:$WEBHOOK_PORT/hooks/test -d '{"event":"synced"}'
  curl -s http://127.0.0.1:$AWS_PORT/__admin/requests

Edit $RUN_DIR/configmap-src/*.json and run
  $ROOT/examples/make-configmap-layout.sh $RUN_DIR/configmap-src $RUN_DIR/configmap
to swap the ConfigMap like the kubelet does: the manager re-publishes the changed pacts, and the mock
of each changed provider reloads as soon as the manager has published (long-poll).
Ctrl-C (or kill -INT / -TERM $$) stops everything.
POD READY
MSG

# Stay in the foreground until Ctrl-C or until a component dies.
while true; do
  if [[ -n $REAL_BROKER_PID ]] && ! kill -0 "$REAL_BROKER_PID" 2>/dev/null; then
    say "the real pact-broker exited unexpectedly; see $RUN_DIR/logs/pact-broker.log and its work dir under $RUN_DIR"
    REAL_BROKER_PID=
    exit 1
  fi
  for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      say "${NAMES[$i]} exited unexpectedly; last log lines:"
      tail -n 20 "$RUN_DIR/logs/${NAMES[$i]}.log" >&2 || true
      exit 1
    fi
  done
  sleep 1
done
