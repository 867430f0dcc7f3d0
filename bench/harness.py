#!/usr/bin/env python3
"""Load benchmark: our mock servers against pact-stub-server and a fixed-response ceiling server.

For every N and provider it runs, in rotating order within the same run, our mock (local mode on the
generated pacts), the peer (pact-stub-server) and the ceiling server. Each server is pinned to one core and
wrk (2 threads, 64 connections, a Lua script cycling through the request list) to the other. Measured per run:
requests/s, p50/p99 latency, non-2xx and socket errors, idle RSS (VmRSS once serving), peak RSS (VmHWM after
the load), startup-to-first-response (spawn to the first 2xx on a known request). For our mock, then, the
reloads: the pact files are edited (one description per reload, so every file is parsed again) and
`POST /__admin/reload` is called; recorded are the peak RSS during the reloads (VmHWM, reset after the load
through /proc/PID/clear_refs) and the RSS after them.

The peer is bounded: a watchdog kills it above an RSS cap, its first request has a deadline, wrk has a
per-request timeout, and once it fails at some N it is skipped for larger N of that provider.

Called by bench/run.sh, which prepares the binaries and the generated pacts; see bench/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PROVIDER_BINARIES = {"aws": "aws-mock-server", "gcp": "gcp-mock-server", "azure": "azure-mock-server"}
MIB = 1024 * 1024
DESCRIPTION = re.compile(r'"description"\s*:\s*"')


def proc_status_kib(pid, field):
    """A VmRSS/VmHWM-style field of /proc/PID/status in KiB, None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    return None


def cpu_ms(pid):
    """User + system CPU time a process has used so far, in ms (load-independent, unlike wall time)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def raw_request(wire, host, port):
    """The HTTP/1.1 bytes of one generated request (same framing wrk uses)."""
    body = (wire.get("body") or "").encode()
    lines = [f"{wire['method']} {wire['path']} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in wire["headers"].items()]
    if wire.get("body") is not None:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def probe(port, payload, timeout):
    """Sends one request; returns the status code, None when nobody listens yet. Raises socket.timeout."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except (ConnectionRefusedError, ConnectionResetError):
        return None
    with s:
        s.settimeout(timeout)
        s.sendall(payload)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                return None
            data += chunk
        try:
            return int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return None


def run_wrk(a, port, requests_lua):
    """One pinned wrk run cycling through `requests_lua` (bench/wrk/cycle.lua); (its WRK_JSON result or None,
    exit status). `a` carries wrk, lua, load_cpu, threads, connections, duration, request_timeout, wrk_grace."""
    cmd = ["timeout", str(a.duration + a.wrk_grace), "taskset", "-c", str(a.load_cpu), a.wrk,
           f"-t{a.threads}", f"-c{a.connections}", f"-d{a.duration}s", "--timeout", f"{a.request_timeout}s",
           "-s", a.lua, f"http://127.0.0.1:{port}", "--", requests_lua]
    out = subprocess.run(cmd, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):]), out.returncode
    return None, out.returncode


class Watchdog(threading.Thread):
    """Kills a process whose RSS exceeds a cap (the peer clones every pact per request: its memory explodes)."""

    def __init__(self, proc, cap_kib):
        super().__init__(daemon=True)
        self.proc, self.cap_kib = proc, cap_kib
        self.killed_at_kib = None
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.05):
            rss = proc_status_kib(self.proc.pid, "VmRSS")
            if rss is None:
                return
            if rss > self.cap_kib:
                self.killed_at_kib = rss
                self.proc.kill()
                return


def stop_process(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, args):
        self.args = args
        self.results = []
        self.peer_failed = {}  # provider -> N at which the peer failed
        os.makedirs(os.path.join(args.out, "logs"), exist_ok=True)

    def command(self, server, provider, pacts_dir, port):
        a = self.args
        pin = ["taskset", "-c", str(a.server_cpu)]
        if server == "ours":
            binary = os.path.join(a.bin_dir, PROVIDER_BINARIES[provider])
            return pin + [binary, "--pacts-dir", pacts_dir, "--port", str(port)]
        if server == "peer":
            return pin + [a.peer, "stub", "-d", pacts_dir, "-p", str(port), "-l", a.peer_log_level]
        return pin + [a.ceiling, str(port)]

    def run_one(self, server, provider, n):
        a = self.args
        base = os.path.join(a.gen_dir, provider, f"n{n}")
        pacts_dir = os.path.join(base, "pacts")
        pact_bytes = sum(os.path.getsize(os.path.join(pacts_dir, f)) for f in os.listdir(pacts_dir))
        with open(os.path.join(base, "requests.json")) as f:
            first = json.load(f)[0]
        row = {"server": server, "provider": provider, "n": n, "pact_bytes": pact_bytes, "note": ""}
        if server == "peer" and provider in self.peer_failed:
            row["note"] = f"skipped: failed at N={self.peer_failed[provider]}"
            return row
        if server == "ours" and not os.access(os.path.join(a.bin_dir, PROVIDER_BINARIES[provider]), os.X_OK):
            row["note"] = "binary not built"
            return row
        private = None
        if server == "ours" and a.reloads:
            # The reloads edit the files: ours runs on a private copy of the generated set.
            private = os.path.join(a.out, "work", f"{provider}-n{n}")
            shutil.rmtree(private, ignore_errors=True)
            shutil.copytree(pacts_dir, private)
            pacts_dir = private
        port = free_port()
        env = dict(os.environ, LOG_LEVEL=a.ours_log_level)
        log_path = os.path.join(a.out, "logs", f"{server}-{provider}-n{n}.log")
        payload = raw_request(first, "127.0.0.1", port)
        first_timeout = a.peer_first_timeout if server == "peer" else a.startup_timeout
        with open(log_path, "wb") as log:
            t0 = time.monotonic()
            proc = subprocess.Popen(self.command(server, provider, pacts_dir, port), stdout=log,
                                    stderr=subprocess.STDOUT, env=env)
            dog = Watchdog(proc, a.rss_cap_mib * 1024) if server == "peer" else None
            if dog:
                dog.start()
            try:
                self.measure(row, proc, dog, port, payload, t0, first_timeout, base)
                if server == "ours" and a.reloads and "rps" in row and proc.poll() is None:
                    self.measure_reloads(row, proc, port, pacts_dir)
            finally:
                if dog:
                    dog.stop.set()
                stop_process(proc)
                if private:
                    shutil.rmtree(private, ignore_errors=True)
        if server == "peer" and row["note"]:
            self.peer_failed[provider] = n
        return row

    def measure(self, row, proc, dog, port, payload, t0, first_timeout, base):
        a = self.args
        deadline = t0 + first_timeout
        status = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                row["note"] = killed_note(dog, a) or f"exited with {proc.returncode} before serving"
                return
            try:
                status = probe(port, payload, max(0.05, deadline - time.monotonic()))
            except (socket.timeout, TimeoutError):
                break
            except OSError:
                status = None
            if status is not None:
                break
            time.sleep(0.005)
        if status is None:
            row["note"] = killed_note(dog, a) or f"no response within {first_timeout:g} s"
            return
        row["startup_ms"] = (time.monotonic() - t0) * 1000
        row["startup_cpu_ms"] = cpu_ms(proc.pid)
        row["first_status"] = status
        if not 200 <= status < 300:
            row["note"] = f"first request answered {status}"
        time.sleep(0.2)
        row["idle_rss_kib"] = proc_status_kib(proc.pid, "VmRSS")
        result, returncode = run_wrk(a, port, os.path.join(base, "requests.lua"))
        row["peak_rss_kib"] = proc_status_kib(proc.pid, "VmHWM")
        row.update(result or {})
        if "rps" not in row:
            row["note"] = (killed_note(dog, a) or f"wrk failed (exit {returncode})").strip()
        elif proc.poll() is not None:
            row["note"] = killed_note(dog, a) or f"server exited ({proc.returncode}) under load"

    def measure_reloads(self, row, proc, port, pacts_dir):
        """Edits every pact file and reloads, `--reloads` times; the peak RSS over the reloads and the RSS after."""
        reset = reset_peak_rss(proc.pid)
        failed = 0
        for k in range(self.args.reloads):
            for name in sorted(os.listdir(pacts_dir)):
                path = os.path.join(pacts_dir, name)
                with open(path) as f:
                    text = f.read()
                # One changed description per file: its text digest changes, so the whole file is parsed
                # and indexed again (an unchanged file would be reused and cost nothing).
                text = DESCRIPTION.sub(lambda m: f"{m.group(0)}reload {k} ", text, count=1)
                with open(path + ".tmp", "w") as f:
                    f.write(text)
                os.rename(path + ".tmp", path)
            if admin_reload(port, timeout=60) != 200:
                failed += 1
        time.sleep(0.5)  # let the watcher's own reload of the last edit (debounced) come and go
        row["reload_peak_rss_kib"] = proc_status_kib(proc.pid, "VmHWM") if reset else None
        row["after_reload_rss_kib"] = proc_status_kib(proc.pid, "VmRSS")
        row["reloads"] = self.args.reloads
        if failed:
            row["note"] = (row["note"] + f" {failed} reload(s) not answered 200").strip()

    def run(self):
        a = self.args
        servers = ["ours", "peer", "ceiling"]
        k = 0
        for n in a.n:
            for provider in a.providers:
                order = servers[k % 3:] + servers[:k % 3]  # rotate who goes first: same conditions for all
                k += 1
                for server in order:
                    row = self.run_one(server, provider, n)
                    self.results.append(row)
                    print(format_progress(row), flush=True)
        return self.results


def reset_peak_rss(pid):
    """Resets VmHWM to the current RSS (Linux: 5 > /proc/PID/clear_refs); False when not permitted."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def admin_reload(port, timeout):
    """POST /__admin/reload; the status, None when the call failed."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}/__admin/reload", data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


def killed_note(dog, a):
    if dog and dog.killed_at_kib:
        return f"killed: RSS {dog.killed_at_kib / 1024:.0f} MiB > cap {a.rss_cap_mib} MiB"
    return None


def fmt(v, spec, scale=1.0):
    return "–" if v is None else format(v / scale, spec)


def format_progress(r):
    return (f"[{r['provider']:5} N={r['n']:<5} {r['server']:7}] rps={fmt(r.get('rps'), '.0f')} "
            f"p50={fmt(r.get('p50_ms'), '.2f')}ms p99={fmt(r.get('p99_ms'), '.2f')}ms "
            f"non2xx={r.get('non2xx', '–')} idle={fmt(r.get('idle_rss_kib'), '.1f', 1024)}MiB "
            f"peak={fmt(r.get('peak_rss_kib'), '.1f', 1024)}MiB reload-peak={fmt(r.get('reload_peak_rss_kib'), '.1f', 1024)}MiB "
            f"after-reloads={fmt(r.get('after_reload_rss_kib'), '.1f', 1024)}MiB start={fmt(r.get('startup_ms'), '.0f')}ms (cpu {fmt(r.get('startup_cpu_ms'), '.0f')}ms) {r['note']}")


def machine_description():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = proc_meminfo_gib()
    return f"{cpu}, {os.cpu_count()} CPUs, {mem} GiB RAM, Linux {platform.release()}"


def proc_meminfo_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return "?"


def ratio(a, b):
    if a is None or b in (None, 0):
        return "–"
    return f"{a / b:.2f}" if a / b < 100 else f"{a / b:.0f}"


def markdown(results, args, started, load_before):
    by = {(r["provider"], r["n"], r["server"]): r for r in results}
    lines = [f"Run {started} on {machine_description()}; load average before the run: {load_before}.",
             f"Server pinned to CPU {args.server_cpu}, wrk on CPU {args.load_cpu}: {args.threads} threads, "
             f"{args.connections} connections, {args.duration} s per run, per-request timeout {args.request_timeout} s. "
             f"Peer bounded by a {args.rss_cap_mib} MiB RSS watchdog and a {args.peer_first_timeout:g} s first-request deadline.",
             "", "### Throughput", "",
             "| provider | N | pact size | ours req/s | peer req/s | ceiling req/s | ours/peer | ours/ceiling |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n in args.n:
        for p in args.providers:
            o, pe, c = (by.get((p, n, s), {}) for s in ("ours", "peer", "ceiling"))
            peer_cell = fmt(pe.get("rps"), ".0f") if pe.get("rps") is not None and not pe.get("note") else (pe.get("note") or "–")
            if pe.get("rps") is not None and pe.get("note"):
                peer_cell = f"{pe['rps']:.0f} ({pe['note']})"
            peer_rps = pe.get("rps") if pe.get("rps") else None
            size = o.get("pact_bytes") or pe.get("pact_bytes") or c.get("pact_bytes")
            lines.append(f"| {p} | {n} | {fmt(size, '.0f', 1024)} KiB | {fmt(o.get('rps'), '.0f')} | {peer_cell} | "
                         f"{fmt(c.get('rps'), '.0f')} | {ratio(o.get('rps'), peer_rps) if peer_rps else '–'} | "
                         f"{ratio(o.get('rps'), c.get('rps'))} |")
    lines += ["", "### Memory of our mocks", "",
              f"RSS from /proc: idle once serving, the peak over the load (VmHWM), then the peak over "
              f"{args.reloads} reloads with every pact file edited (VmHWM reset after the load) and the RSS after them. "
              "Targets (#16): idle and after reloads ≤ 2 × pact size + 6 MiB; the reload peak ≤ 1.5 × idle and "
              "≤ 56 MiB (the mocks' 64 Mi limit in deploy/k8s).", "",
              "| provider | N | pact size | idle MiB | load peak MiB | reload peak MiB | after reloads MiB | 2 × size + 6 MiB | reload peak / idle |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n in args.n:
        for p in args.providers:
            o = by.get((p, n, "ours"), {})
            if not o.get("idle_rss_kib"):
                continue
            size = o.get("pact_bytes") or 0
            lines.append(f"| {p} | {n} | {fmt(size, '.0f', 1024)} KiB | {fmt(o.get('idle_rss_kib'), '.1f', 1024)} | "
                         f"{fmt(o.get('peak_rss_kib'), '.1f', 1024)} | {fmt(o.get('reload_peak_rss_kib'), '.1f', 1024)} | "
                         f"{fmt(o.get('after_reload_rss_kib'), '.1f', 1024)} | {(2 * size / MIB + 6):.1f} | "
                         f"{ratio(o.get('reload_peak_rss_kib'), o.get('idle_rss_kib'))} |")
    lines += ["", "### Details", "",
              "| provider | N | server | req/s | p50 ms | p99 ms | non-2xx | socket errors/timeouts | idle RSS MiB | peak RSS MiB | startup ms (CPU ms) | note |",
              "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        errs = None
        if "rps" in r:
            errs = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
        lines.append(f"| {r['provider']} | {r['n']} | {r['server']} | {fmt(r.get('rps'), '.0f')} | "
                     f"{fmt(r.get('p50_ms'), '.2f')} | {fmt(r.get('p99_ms'), '.2f')} | {r.get('non2xx', '–')} | "
                     f"{'–' if errs is None else errs} | {fmt(r.get('idle_rss_kib'), '.1f', 1024)} | "
                     f"{fmt(r.get('peak_rss_kib'), '.1f', 1024)} | {fmt(r.get('startup_ms'), '.0f')} ({fmt(r.get('startup_cpu_ms'), '.0f')}) | "
                     f"{r['note']} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gen-dir", required=True, help="output of gen_pacts.py")
    ap.add_argument("--bin-dir", required=True, help="folder holding aws-/gcp-/azure-mock-server")
    ap.add_argument("--peer", required=True, help="the pact standalone binary (pact stub ...)")
    ap.add_argument("--ceiling", required=True, help="bench-ceiling-server binary")
    ap.add_argument("--lua", required=True, help="bench/wrk/cycle.lua")
    ap.add_argument("--wrk", default="wrk")
    ap.add_argument("--out", required=True, help="results folder of this run")
    ap.add_argument("--n", type=int, nargs="+", default=[1, 10, 100, 1000, 10000])
    ap.add_argument("--providers", nargs="+", default=["aws", "gcp", "azure"])
    ap.add_argument("--duration", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--request-timeout", type=int, default=10)
    ap.add_argument("--wrk-grace", type=int, default=20, help="extra seconds before wrk itself is killed")
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--load-cpu", type=int, default=1)
    ap.add_argument("--startup-timeout", type=float, default=20)
    ap.add_argument("--peer-first-timeout", type=float, default=15)
    ap.add_argument("--rss-cap-mib", type=int, default=2048)
    ap.add_argument("--reloads", type=int, default=3, help="reloads with edited pacts after our load run (0: none)")
    ap.add_argument("--ours-log-level", default="warn")
    ap.add_argument("--peer-log-level", default="warn")
    args = ap.parse_args()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_before = " ".join(open("/proc/loadavg").read().split()[:3])
    results = Bench(args).run()
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"started": started, "machine": machine_description(), "load_before": load_before,
                   "args": vars(args), "results": results}, f, indent=1)
    table = markdown(results, args, started, load_before)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(table)
    print()
    print(table)


if __name__ == "__main__":
    sys.exit(main())
