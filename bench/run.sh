#!/usr/bin/env bash
# One command from a clean clone: installs wrk (Debian) and pact-stub-server (npm, into bench/.peer),
# builds our mocks, the manager, the broker stand-in and the ceiling server (Release), generates the pact
# sets, runs the load benchmark (ours / peer / ceiling, alternating) and the ConfigMap swap benchmark,
# and writes bench/results/<stamp>/results.md (+ .json, logs) and bench/results/latest.md.
#
# Env knobs (defaults in brackets):
#   BENCH_N ["1 10 100 1000 10000"]   BENCH_PROVIDERS ["aws gcp azure"]   BENCH_DURATION [6] seconds per wrk run
#   BENCH_SWAPS [7]   BENCH_RELOAD_INTERVAL [product default], BENCH_RELOAD_INTERVAL_FAST [0.25]: the mock's
#                     poll of the manager in the two swap runs
#   BENCH_SKIP_LOAD / BENCH_SKIP_SWAP [0]   BENCH_JOBS [2] build parallelism   PEER_VERSION [18.1.2]
#   BENCH_RSS_CAP_MIB [2048] peer watchdog  BENCH_BUILD_DIR [build-bench]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
work=$here/.work
peer_dir=$here/.peer
peer_version=${PEER_VERSION:-18.1.2}
ns=${BENCH_N:-1 10 100 1000 10000}
providers=${BENCH_PROVIDERS:-aws gcp azure}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$here/results/$stamp

log() { printf '\n== %s\n' "$*"; }

if (($(nproc) < 2)); then
  echo "run.sh: needs 2 CPUs (server pinned to one, wrk to the other)" >&2
  exit 2
fi

log "dependencies (Debian: wrk, util-linux for taskset/prlimit)"
INSTALL_EXTRA="wrk util-linux" "$root/scripts/install-deps.sh"

log "peer: @pact-foundation/pact-cli@$peer_version (npm, into bench/.peer)"
case $(uname -m) in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "run.sh: no pact-cli build for $(uname -m)" >&2; exit 2 ;;
esac
# The native binary, not the node wrapper: pinning and RSS must measure the stub server itself.
peer=$peer_dir/node_modules/@pact-foundation/pact-cli-linux-$arch/standalone/pact
if [[ ! -x $peer ]] || ! grep -q "\"version\": \"$peer_version\"" "$peer_dir/node_modules/@pact-foundation/pact-cli/package.json" 2>/dev/null; then
  npm install --prefix "$peer_dir" --no-audit --no-fund --loglevel=error "@pact-foundation/pact-cli@$peer_version"
fi
"$peer" stub --help | head -1

log "build (Release) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPACTMOCKS_BUILD_TESTS=ON >/dev/null
targets=(bench-ceiling-server)
for p in $providers; do targets+=("$p-mock-server"); done
[[ ${BENCH_SKIP_SWAP:-0} == 1 ]] || targets+=(aws-mock-server manager pact-broker-standin)
# shellcheck disable=SC2046
ninja -C "$build" -j"${BENCH_JOBS:-2}" $(printf '%s\n' "${targets[@]}" | sort -u)
ceiling=$build/bench/ceiling/bench-ceiling-server
standin=$(find "$build/tests" -name pact-broker-standin -type f -perm -u+x | head -1)
bin_dir=$(dirname "$(find "$build" -name "*-mock-server" -type f -perm -u+x | head -1)")

log "generate pact sets (N = $ns) into bench/.work/gen"
gen_key=$(cat "$here/gen/gen_pacts.py" | sha256sum | cut -c1-16)-$(echo "$ns $providers" | tr ' ' _)
if [[ ! -f $work/gen/.key || $(cat "$work/gen/.key") != "$gen_key" ]]; then
  rm -rf "$work/gen"
  # shellcheck disable=SC2086
  python3 "$here/gen/gen_pacts.py" --out "$work/gen" --n $ns --providers $providers
  echo "$gen_key" >"$work/gen/.key"
fi

mkdir -p "$out"
read -r load1 _ </proc/loadavg
if awk -v l="$load1" 'BEGIN{exit !(l > 0.7)}'; then
  echo "run.sh: warning: load average $load1: other work on this machine will skew the figures" >&2
fi

status=0
if [[ ${BENCH_SKIP_LOAD:-0} != 1 ]]; then
  log "load benchmark → $out"
  # shellcheck disable=SC2086
  python3 "$here/harness.py" --gen-dir "$work/gen" --bin-dir "$bin_dir" --peer "$peer" --ceiling "$ceiling" \
    --lua "$here/wrk/cycle.lua" --out "$out" --n $ns --providers $providers \
    --duration "${BENCH_DURATION:-6}" --rss-cap-mib "${BENCH_RSS_CAP_MIB:-2048}" || status=1
fi
if [[ ${BENCH_SKIP_SWAP:-0} != 1 ]]; then
  log "ConfigMap swap benchmark"
  base_pact=$work/gen/aws/n100/pacts/AWS-Secrets-Manager.json
  [[ -f $base_pact ]] || python3 "$here/gen/gen_pacts.py" --out "$work/gen-swap" --n 100 --providers aws
  [[ -f $base_pact ]] || base_pact=$work/gen-swap/aws/n100/pacts/AWS-Secrets-Manager.json
  # Once as deployed (the product's default reload interval), once with a short interval: the floor.
  for interval in "${BENCH_RELOAD_INTERVAL:-default}" "${BENCH_RELOAD_INTERVAL_FAST:-0.25}"; do
    # Constant load on the base pact's interactions during the swaps: every answer must be 2xx.
    args=(--swaps "${BENCH_SWAPS:-7}" --tag "swap-$interval" --load-requests "$(dirname "$(dirname "$base_pact")")/requests.json")
    [[ $interval == default ]] || args+=(--reload-interval "$interval")
    python3 "$here/swap_bench.py" --manager "$build/manager/manager" --mock "$bin_dir/aws-mock-server" \
      --standin "$standin" --base-pact "$base_pact" --out "$out" "${args[@]}" || status=1
  done
fi

{
  echo "# pact-mocks benchmark, $stamp"
  echo
  for f in "$out"/results.md "$out"/swap-*.md; do
    if [[ -f $f ]]; then cat "$f"; echo; fi
  done
} >"$out/summary.md"
cp "$out/summary.md" "$here/results/latest.md"
log "written: $out/summary.md (and bench/results/latest.md)"
exit $status
