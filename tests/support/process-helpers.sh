# shellcheck shell=bash
# Sourced by the shell tests that start mock processes: a scratch directory and the started
# processes are cleaned up on exit, whatever happens.
#   work        scratch directory (removed on exit)
#   pids        PIDs to kill on exit (append with pids+=("$!"))
#   fail MSG    prints FAIL: MSG and exits 1
#   free_port   an unused loopback TCP port
#   eventually CMD...   retries CMD (quietly) for up to PACTMOCKS_EVENTUALLY_SECONDS (10) s; fails
#                       when it never succeeds
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
eventually() {
  local deadline=$((SECONDS + ${PACTMOCKS_EVENTUALLY_SECONDS:-10}))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
