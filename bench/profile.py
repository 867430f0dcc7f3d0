#!/usr/bin/env python3
"""Where a mock's time per request goes: perf samples attributed to parse, match, build, write and kernel.

Runs one mock (local mode on a generated pact set) pinned to one CPU, and wrk on the other, as harness.py
does, then the ceiling server the same way, and records `perf record --call-graph dwarf` of the mock during
the load. Each sample is attributed to one phase by walking its call chain from the leaf up to the first
frame that names a phase (so malloc called by the JSON parser counts as "request body JSON", and a `send`
in the kernel counts as "kernel: write"). Prints a markdown table: share of samples, CPU microseconds per
request (process CPU time / requests), and the same per-request CPU of the ceiling server.

Needs perf (Debian linux-perf) allowed to profile the process (root, or perf_event_paranoid <= 1). Hardware
counters are not needed: perf falls back to the cpu-clock software event on a VM.

Usage: bench/profile.py --bin build-bench/mockserver/bin/gcp-mock-server --gen bench/.work/gen/gcp/n10000 \
         --ceiling build-bench/bench/ceiling/bench-ceiling-server --lua bench/wrk/cycle.lua [--duration 6]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import cpu_ms, free_port, probe, raw_request, run_wrk, stop_process  # noqa: E402

# (phase, pattern on a frame's symbol), tried from the leaf up; the first phase frame wins. Kernel phases
# come from the kernel frames of a syscall; user phases from our and the libraries' function names.
PHASES = [
    ("kernel: write (send)", re.compile(r"tcp_sendmsg|__sys_sendto|__sys_sendmsg|sock_write_iter|ksys_write|do_writev")),
    ("kernel: read (recv)", re.compile(r"tcp_recvmsg|__sys_recvfrom|__sys_recvmsg|sock_read_iter|ksys_read|do_readv")),
    ("kernel: epoll", re.compile(r"do_epoll_wait|ep_poll|do_epoll_ctl|ep_insert|ep_modify")),
    ("kernel: accept/close/other syscalls", re.compile(r"^(__x64_sys|do_syscall_64|entry_SYSCALL)")),
    ("response: build (generators, headers, body copy)", re.compile(r"pact::buildResponse|ResponseBuilder|generateValue")),
    ("match: request body JSON parse", re.compile(r"RequestView::json|nlohmann.*(parser|lexer|sax)")),
    ("match: index walk and matcher", re.compile(r"InteractionIndex|matchRequest|RequestMatcher|BodyMatcher|MatchingRules|applyMatcher|RequestView|re2::")),
    ("coverage and journal", re.compile(r"Coverage|RequestJournal|recordHit")),
    ("HTTP write (serialize, async_write)", re.compile(r"beast::http::(detail::)?(write|serializer)|async_write|chunk_|buffers_cat")),
    ("HTTP parse (Beast parser, header fields)", re.compile(r"beast::http::(basic_parser|parser|basic_fields|detail::basic_parser)|basic_fields|async_read|read_some_op|toRequest")),
    ("handler: routing, faults, metrics, service", re.compile(r"pactmocks::(http::Router|mockserver::)|FaultInjector|MockMetrics")),
    ("HTTP session (ServerSession, message conversion)", re.compile(r"pactmocks::http::|boost::beast::(basic_stream|detail::)|asio::detail::reactive_socket")),
    ("event loop (Asio scheduler, strands, timers)", re.compile(r"asio::detail::(scheduler|epoll_reactor|strand|timer_queue)|io_context::run")),
    ("malloc/free (not under a phase above)", re.compile(r"^(malloc|free|_int_malloc|_int_free|cfree|operator new|operator delete|__libc_malloc|__libc_free|malloc_consolidate)")),
]


def start(args, cmd, port, first_request):
    proc = subprocess.Popen(["taskset", "-c", str(args.server_cpu)] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, LOG_LEVEL="warn"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if probe(port, first_request, 2) is not None:
                return proc
        except OSError:
            pass
        time.sleep(0.01)
    stop_process(proc)
    raise RuntimeError(f"{cmd[0]} did not answer within 30 s")


def per_request_cpu(args, cmd, port, first_request, perf_out=None):
    """(wrk result, CPU µs per request of the server); with perf_out, perf records the server meanwhile."""
    proc = start(args, cmd, port, first_request)
    try:
        perf = None
        if perf_out:
            perf = subprocess.Popen(["perf", "record", "-F", str(args.frequency), "--call-graph", "dwarf,16384",
                                     "-o", perf_out, "-p", str(proc.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # perf attaching to the process; nothing to wait on but its start-up
        before = cpu_ms(proc.pid)
        result, returncode = run_wrk(args, port, os.path.join(args.gen, "requests.lua"))
        after = cpu_ms(proc.pid)
        if result is None:
            raise RuntimeError(f"wrk printed no result (exit {returncode})")
        if perf:
            perf.send_signal(2)
            perf.wait(timeout=60)
        return result, (after - before) * 1000 / max(1, result["requests"])
    finally:
        stop_process(proc)


def attribute(perf_data):
    """Phase -> sample count, from `perf script` call chains."""
    out = subprocess.run(["perf", "script", "-i", perf_data, "-F", "ip,sym,dso", "--no-inline"],
                         capture_output=True, text=True, errors="replace").stdout
    counts = collections.Counter()
    for block in out.split("\n\n"):
        frames = []
        for line in block.strip().splitlines():
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                frames.append(parts[1])
        if not frames:
            continue
        phase = None
        for frame in frames:  # leaf first
            sym = frame.rsplit(" (", 1)[0]
            for name, pattern in PHASES:
                if pattern.search(sym):
                    phase = name
                    break
            if phase:
                break
        if phase is None:
            phase = "kernel: other" if "[kernel" in frames[0] else "other user code"
        counts[phase] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="a *-mock-server binary")
    ap.add_argument("--gen", required=True, help="a generated set: bench/.work/gen/<provider>/n<N>")
    ap.add_argument("--ceiling", required=True, help="bench-ceiling-server binary")
    ap.add_argument("--lua", required=True, help="bench/wrk/cycle.lua")
    ap.add_argument("--wrk", default="wrk")
    ap.add_argument("--duration", type=int, default=6, help="seconds per wrk run")
    ap.add_argument("--frequency", type=int, default=2000, help="perf sampling frequency (Hz)")
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--load-cpu", type=int, default=1)
    args = ap.parse_args()
    # As harness.py runs wrk.
    args.threads, args.connections, args.request_timeout, args.wrk_grace = 2, 64, 10, 30
    with open(os.path.join(args.gen, "requests.json")) as f:
        first = json.load(f)[0]
    pacts = os.path.join(args.gen, "pacts")

    port = free_port()
    ceiling, ceiling_cpu = per_request_cpu(args, [args.ceiling, str(port)], port,
                                           raw_request(first, "127.0.0.1", port))
    port = free_port()
    plain, plain_cpu = per_request_cpu(args, [args.bin, "--pacts-dir", pacts, "--port", str(port)], port,
                                       raw_request(first, "127.0.0.1", port))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        port = free_port()
        profiled, _ = per_request_cpu(args, [args.bin, "--pacts-dir", pacts, "--port", str(port)], port,
                                      raw_request(first, "127.0.0.1", port), perf_out=data)
        counts = attribute(data)
    total = sum(counts.values()) or 1

    print(f"{os.path.basename(args.bin)} on {args.gen}: {plain['rps']:.0f} req/s against the ceiling's "
          f"{ceiling['rps']:.0f} ({plain['rps'] / ceiling['rps']:.2f}); CPU per request {plain_cpu:.1f} µs against "
          f"the ceiling's {ceiling_cpu:.1f} µs; {total} samples at {args.frequency} Hz "
          f"(throughput while profiled: {profiled['rps']:.0f} req/s)")
    print()
    print("| phase | share of samples | µs per request |")
    print("| --- | ---: | ---: |")
    for name, n in counts.most_common():
        print(f"| {name} | {100 * n / total:.1f} % | {plain_cpu * n / total:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
