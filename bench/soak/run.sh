#!/usr/bin/env bash
# The soak under faults (not CI): builds what it runs, then bench/soak/soak.py; the figures go to
# bench/results/soak-<UTC stamp>/soak.md (+ soak.json with every sample, and the process logs).
#
# Env knobs (defaults in brackets): SOAK_TOTAL [1000000] requests   SOAK_THREADS [8] client threads
#   SOAK_SWAP_INTERVAL [3] seconds between ConfigMap swaps   SOAK_OUTAGE [3] seconds the broker stays down
#   SOAK_INTERACTIONS [24] per pact   BENCH_BUILD_DIR [build-bench; configured Release if new]   BENCH_JOBS [2]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
out=$root/bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ)

# An existing build tree keeps its build type (reported below); a new one is Release.
[[ -f $build/CMakeCache.txt ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "${BENCH_JOBS:-2}" --target manager pact-broker-standin aws-mock-server gcp-mock-server \
  azure-mock-server bench-soak-client
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
standin=$(find "$build/tests" -name pact-broker-standin -type f -perm -u+x | head -1)

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "soak: $build_type build in $build; load average before: $load"
awk -v l="${load%% *}" 'BEGIN { exit !(l < 0.7) }' || echo "soak: warning: the machine is busy (load $load): figures will be noisy" >&2
mkdir -p "$out"
echo "$build_type build, $(nproc) CPUs, load average before: $load" >"$out/machine.txt"
python3 "$here/soak.py" --manager "$build/manager/manager" --mocks-dir "$build/mockserver" --standin "$standin" --client "$build/bench/soak/bench-soak-client" \
  --out "$out" --total "${SOAK_TOTAL:-1000000}" --threads "${SOAK_THREADS:-8}" \
  --swap-interval "${SOAK_SWAP_INTERVAL:-3}" --outage "${SOAK_OUTAGE:-3}" --interactions "${SOAK_INTERACTIONS:-24}"
