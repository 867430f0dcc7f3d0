# Sourced by scripts/test.sh: the sanitizer stages' runtime options, and the check of their logs.
# The options are exported for the whole ctest run, so the processes the tests start (manager,
# mocks, broker stand-in, run-local.sh's pod) inherit them like the test executables do.
# Every report goes to a file under the stage's log directory (log_path) as well as failing the
# process that made it: a report in a child whose exit status the test does not look at (a pod
# process stopped at teardown) still fails the stage, through sanitizer_check_logs.

# sanitizer_export <asan|tsan> <log dir>
sanitizer_export() {
  local kind=$1 dir=$2
  local supp
  supp="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sanitizers"
  rm -rf "$dir" && mkdir -p "$dir"
  if [[ $kind == asan ]]; then
    # detect_leaks: LeakSanitizer at every exit; no suppressions (tests/sanitizers/lsan.supp says why
    # any entry is there). halt_on_error with -fno-sanitize-recover=all: the first report ends it.
    export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=0:log_path=$dir/asan"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$dir/ubsan"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  else
    # second_deadlock_stack: both stacks of a lock-order inversion. Suppressions: third-party only.
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:log_path=$dir/tsan"
  fi
}

# sanitizer_check_logs <log dir>: prints every report written there; fails when there is one.
sanitizer_check_logs() {
  local dir=$1 found=0 f
  for f in "$dir"/*; do
    [[ -s $f ]] || continue
    found=$((found + 1))
    echo "---- sanitizer report: $f"
    head -n 80 "$f"
  done
  if ((found > 0)); then
    echo "test.sh: $found sanitizer report(s) in $dir (the first lines of each above)"
    return 1
  fi
}
