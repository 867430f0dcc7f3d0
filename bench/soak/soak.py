#!/usr/bin/env python3
"""Soak under faults: the pod's chain on loopback under a million mixed requests, and nothing lost.

pact-broker-standin (memory only, like the pod's emptyDir broker), the manager watching a kubelet-style
ConfigMap volume, and the three mocks in broker mode. bench-soak-client sends TOTAL requests on THREADS
keep-alive connections: matches, misses, every fault header, admin calls to the mocks and the manager; it
judges every answer against what its request was built for (see soak_client.cpp). Meanwhile this script
swaps the ConfigMap every SWAP_INTERVAL seconds between two pact sets that hold the same requests with
differently marked answers, kills the broker half-way and starts it again empty on the same port, and
samples RSS, open file descriptors and threads of every process once a second.

Reported (soak.json, soak.md in --out): answers by class, errors (must be 0), the broker outage and the
re-publication, the final state (the last swap in the broker and served by every mock), RSS start/end
and its slope after warm-up per process, fds and threads before and after the load.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from swap_bench import KubeletVolume, free_port, http, start  # noqa: E402  (the shared bench helpers)

CONSUMER = "Secret-Manager-Controller"
PROVIDERS = {"aws": "AWS-Secrets-Manager", "gcp": "GCP-Secret-Manager", "azure": "Azure-Key-Vault"}
PADDING = "x" * 600  # answers of about 1 KiB, like a secret with metadata


def secret(i):
    return f"soak-secret-{i:02d}"


def provider_request(provider, name):
    """(method, path, headers, body) of a GetSecretValue-like call in the provider's own shape."""
    if provider == "aws":
        return ("POST", "/", {"Content-Type": "application/x-amz-json-1.1",
                              "X-Amz-Target": "secretsmanager.GetSecretValue"}, json.dumps({"SecretId": name}))
    if provider == "gcp":
        return ("GET", f"/v1/projects/soak/secrets/{name}/versions/latest:access", {}, None)
    return ("GET", f"/secrets/{name}", {"Authorization": "Bearer soak"}, None)  # + ?api-version=7.4


def pact(provider, set_name, interactions):
    """One pact per provider; both sets hold the same requests, their answers carry the set's name."""
    items = []
    for i in range(interactions):
        method, path, headers, body = provider_request(provider, secret(i))
        request = {"method": method, "path": path}
        if provider == "aws":
            request["headers"] = {k: v for k, v in headers.items()}
            request["body"] = json.loads(body)
        if provider == "azure":
            request["query"] = {"api-version": ["7.4"]}
        items.append({"description": f"get {secret(i)}", "request": request,
                      "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                                   "body": {"name": secret(i), "set": set_name, "value": f"value-{i}",
                                            "metadata": PADDING}}})
    return json.dumps({"consumer": {"name": CONSUMER}, "provider": {"name": PROVIDERS[provider]},
                       "interactions": items, "metadata": {"pactSpecification": {"version": "3.0.0"}}})


def payload(set_name, interactions):
    return {f"{CONSUMER}-{PROVIDERS[p]}.json": pact(p, set_name, interactions) for p in PROVIDERS}


def raw(method, path, headers, body):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + (body or "")


# The mix, in shares of the plan (the list every client thread cycles through).
FAULTS = [  # name, headers, expectation
    ("fault 401", {"X-Auth-Failure": "401"}, {"kind": "status", "status": 401}),
    ("fault 403", {"X-Auth-Failure": "forbidden"}, {"kind": "status", "status": 403}),
    ("fault 503", {"X-Service-Unavailable": "true"}, {"kind": "status", "status": 503}),
    ("fault 429", {"X-Rate-Limit": "true", "X-Rate-Limit-Retry-After": "2"},
     {"kind": "status", "status": 429, "header": "retry-after"}),
    ("fault reset", {"X-Fault": "reset"}, {"kind": "reset"}),
    ("fault malformed", {"X-Fault": "malformed"}, {"kind": "malformed", "status": 200}),
    ("match delayed 5 ms", {"X-Fault-Delay-Ms": "5"}, {"kind": "match", "status": 200}),
]


def plan(ports, manager_port, interactions, size, seed):
    import random
    rng = random.Random(seed)
    out = []
    for k in range(size):
        provider = rng.choice(list(PROVIDERS))
        port = ports[provider]
        i = rng.randrange(interactions)
        method, path, headers, body = provider_request(provider, secret(i))
        if provider == "azure":
            path += "?api-version=7.4"
        roll = rng.random()
        entry = {"target": port}
        if roll < 0.72:  # a match
            entry.update(kind="match", name="match", status=200, interaction=f"get {secret(i)}",
                         bytes=raw(method, path, headers, body))
        elif roll < 0.82:  # a miss: a secret no contract has
            m, p, h, b = provider_request(provider, f"missing-{i:02d}")
            if provider == "azure":
                p += "?api-version=7.4"
            entry.update(kind="miss", name="miss", status=500, bytes=raw(m, p, h, b))
        elif roll < 0.93:  # one fault header on a request that would match
            name, extra, expect = FAULTS[k % len(FAULTS)]
            entry.update(expect, name=name, bytes=raw(method, path, dict(headers, **extra), body))
            if expect["kind"] == "match":
                entry["interaction"] = f"get {secret(i)}"
        else:  # admin calls: the mocks' and the manager's
            admin = rng.random()
            if admin < 0.30:
                entry.update(kind="admin", name="mock GET /health", status=200, bytes=raw("GET", "/health", {}, None))
            elif admin < 0.45:
                entry.update(kind="admin", name="mock GET /metrics", status=200, bytes=raw("GET", "/metrics", {}, None))
            elif admin < 0.55:
                entry.update(kind="admin", name="mock GET /__admin/interactions", status=200,
                             bytes=raw("GET", "/__admin/interactions", {}, None))
            elif admin < 0.57:
                # A reload from the broker: 500 with the reason while the broker is away or empty,
                # 202 when it takes longer than the answer waits.
                entry.update(kind="admin", name="mock POST /__admin/reload", status=200, outage_statuses=[202, 500],
                             bytes=raw("POST", "/__admin/reload", {"Content-Length": "0"}, None))
            else:
                entry["target"] = manager_port
                which = rng.random()
                if which < 0.4:
                    entry.update(kind="admin", name="manager GET /ready", status=200, outage_statuses=[503],
                                 bytes=raw("GET", "/ready", {}, None))
                elif which < 0.8:
                    entry.update(kind="admin", name="manager GET /providers/{p}/ready", status=200,
                                 outage_statuses=[503],
                                 bytes=raw("GET", f"/providers/{PROVIDERS[provider]}/ready", {}, None))
                else:
                    entry.update(kind="admin", name="manager GET /liveness", status=200,
                                 bytes=raw("GET", "/liveness", {}, None))
        out.append(entry)
    return out


def proc_figures(pid):
    """(VmRSS KiB, open fds, threads) of a live process, None when it is gone."""
    try:
        rss = threads = None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        return rss, len(os.listdir(f"/proc/{pid}/fd")), threads
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def slope_per_minute(points):
    """Least-squares slope of (t seconds, KiB) in KiB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (v - mv) for t, v in points) / var if var else None


def probe_set(port, provider):
    """Which set a mock serves now ("A"/"B"), None when it does not answer a match."""
    method, path, headers, body = provider_request(provider, secret(0))
    if provider == "azure":
        path += "?api-version=7.4"
    status, text = http(method, f"http://127.0.0.1:{port}{path}", body=body, headers=headers, timeout=2.0)
    try:
        return json.loads(text).get("set") if status == 200 else None
    except ValueError:
        return None


def broker_set(port, provider):
    status, text = http("GET", f"http://127.0.0.1:{port}/pacts/provider/{PROVIDERS[provider]}/consumer/{CONSUMER}/latest",
                        headers={"Accept": "application/hal+json, application/json"}, timeout=2.0)
    if status != 200:
        return None
    try:
        return json.loads(text)["interactions"][0]["response"]["body"]["set"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manager", required=True, help="manager binary")
    ap.add_argument("--mocks-dir", required=True, help="directory with the three <provider>-mock-server binaries")
    ap.add_argument("--standin", required=True)
    ap.add_argument("--client", required=True, help="bench-soak-client")
    ap.add_argument("--out", required=True)
    ap.add_argument("--total", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--interactions", type=int, default=24, help="per provider pact")
    ap.add_argument("--swap-interval", type=float, default=3.0)
    ap.add_argument("--outage", type=float, default=3.0, help="seconds the broker stays down")
    ap.add_argument("--warmup", type=float, default=0.1, help="share of the run before RSS counts as warm")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="soak-")
    logs = os.path.join(args.out, "logs")
    os.makedirs(logs, exist_ok=True)
    ports = {p: free_port() for p in PROVIDERS}
    broker_port, manager_port = free_port(), free_port()
    volume = KubeletVolume(os.path.join(work, "configmap"))
    current_set = "A"
    volume.update(payload(current_set, args.interactions))
    env = dict(os.environ, LOG_LEVEL=os.environ.get("SOAK_LOG_LEVEL", "warn"))
    for k in ("RELOAD_INTERVAL_SECONDS", "PACTS_DIR", "CONSUMER_NAME", "THREADS"):
        env.pop(k, None)
    broker_url = f"http://127.0.0.1:{broker_port}"
    procs = {}
    logs_open = []

    def launch(name, cmd, penv):
        p, log = start(cmd, penv, os.path.join(logs, f"{name}.log"))
        procs[name] = p
        logs_open.append(log)
        return p

    samples = {}  # name → [(t, rss, fds, threads, pid)]
    events = []
    stop_sampling = threading.Event()

    def sampler():
        while not stop_sampling.is_set():
            t = time.monotonic()
            for name, p in list(procs.items()):
                fig = proc_figures(p.pid) if p.poll() is None else None
                if fig:
                    samples.setdefault(name, []).append((t, *fig, p.pid))
            stop_sampling.wait(1.0)

    def quiet_figures():
        return {name: dict(zip(("rss_kib", "fds", "threads"), proc_figures(p.pid) or (None, None, None)))
                for name, p in procs.items()}

    result = {"total": args.total, "threads": args.threads, "interactions_per_pact": args.interactions,
              "swap_interval_s": args.swap_interval, "outage_s": args.outage}
    client = None
    try:
        launch("broker", [args.standin, "--port", str(broker_port)], env)
        wait_for(lambda: http("GET", broker_url + "/diagnostic/status/heartbeat",
                              headers={"Accept": "application/hal+json"})[0] == 200, 10, "the broker")
        launch("manager", [args.manager],
               dict(env, CONFIGMAP_PATH=volume.root, BROKER_URL=broker_url, HEALTH_PORT=str(manager_port),
                    PUBLISHED_FLAG_PATH=os.path.join(work, "published"), GIT_BRANCH="main", GIT_COMMIT="soak",
                    CONFIGMAP_NAME="pact-contracts", NAMESPACE="soak"))
        for p in PROVIDERS:
            launch(p, [os.path.join(args.mocks_dir, f"{p}-mock-server")],
                   dict(env, PORT=str(ports[p]), BROKER_URL=broker_url, MANAGER_URL=f"http://127.0.0.1:{manager_port}",
                        STARTUP_TIMEOUT_SECONDS="60"))
        for p in PROVIDERS:
            wait_for(lambda p=p: probe_set(ports[p], p) == "A", 60, f"{p} serving set A")
        threading.Thread(target=sampler, daemon=True).start()
        time.sleep(1.5)  # one sample of every process at rest
        result["before_load"] = quiet_figures()

        plan_path = os.path.join(work, "plan.json")
        with open(plan_path, "w") as f:
            json.dump({"requests": plan(ports, manager_port, args.interactions, 5000, 18)}, f)
        t0 = time.monotonic()
        client = subprocess.Popen([args.client, plan_path, str(args.total), str(args.threads)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        progress = {"answers": 0}
        summary_line = []

        def reader():
            for line in client.stdout:
                if line.startswith("PROGRESS "):
                    _, answers, errors, _ = line.split()
                    progress["answers"] = int(answers)
                    print(f"  {int(answers):>9,} answers, {errors} errors, {time.monotonic() - t0:6.1f} s", flush=True)
                elif line.startswith("SOAK_JSON "):
                    summary_line.append(line[len("SOAK_JSON "):])
                else:
                    print("client:", line.rstrip(), flush=True)

        read_thread = threading.Thread(target=reader, daemon=True)
        read_thread.start()
        next_swap = t0 + args.swap_interval
        restarted = False
        while client.poll() is None:
            now = time.monotonic()
            if now >= next_swap:
                current_set = "B" if current_set == "A" else "A"
                volume.update(payload(current_set, args.interactions))
                events.append({"t": now - t0, "event": f"swap to {current_set}"})
                next_swap = now + args.swap_interval
            if not restarted and progress["answers"] >= args.total // 2:
                restarted = True
                procs["broker"].kill()  # a crash: the emptyDir broker comes back empty
                procs["broker"].wait()
                down = time.monotonic()
                events.append({"t": down - t0, "event": "broker killed"})
                # A ConfigMap change while the broker is away: it must be published once it is back.
                current_set = "B" if current_set == "A" else "A"
                volume.update(payload(current_set, args.interactions))
                events.append({"t": time.monotonic() - t0, "event": f"swap to {current_set} (broker down)"})
                time.sleep(args.outage)  # the outage under test, not a synchronisation
                launch("broker", [args.standin, "--port", str(broker_port)], env)
                up = time.monotonic()
                events.append({"t": up - t0, "event": "broker started (empty)"})
                republished = wait_for(lambda: all(broker_set(broker_port, p) == current_set for p in PROVIDERS),
                                       60, "the re-publication, with the change made while the broker was down")
                events.append({"t": republished - t0, "event": "every pact re-published"})
                result["outage"] = {"killed_s": down - t0, "started_s": up - t0, "republished_s": republished - t0,
                                    "republished_after_start_s": republished - up,
                                    "window": [down, republished + 2.0]}
            time.sleep(0.05)
        read_thread.join(timeout=10)
        load_end = time.monotonic()
        if not summary_line:
            raise RuntimeError(f"the client ended (exit {client.returncode}) without a summary")
        summary = json.loads(summary_line[0])
        result["load"] = summary

        # Nothing lost: the last swap is in the broker and served by every mock.
        try:
            converged = wait_for(lambda: all(broker_set(broker_port, p) == current_set and
                                             probe_set(ports[p], p) == current_set for p in PROVIDERS), 60,
                                 f"set {current_set} published and served everywhere")
            result["final"] = {"set": current_set, "converged_after_load_s": converged - load_end}
        except RuntimeError as e:  # lost: recorded with what each side holds, the figures still count
            result["final"] = {"set": current_set, "converged_after_load_s": None, "error": str(e),
                               "broker": {p: broker_set(broker_port, p) for p in PROVIDERS},
                               "served": {p: probe_set(ports[p], p) for p in PROVIDERS}}
        time.sleep(2.0)  # two samples at rest after the load
        result["after_load"] = quiet_figures()
        result["events"] = events
    finally:
        stop_sampling.set()
        if client and client.poll() is None:
            client.kill()
        for name, p in procs.items():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for name, p in procs.items():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs_open:
            log.close()
        shutil.rmtree(work, ignore_errors=True)
    result["exit_codes"] = {name: p.returncode for name, p in procs.items()}

    # Outage-time refusals must lie inside the outage window; errors are whatever the client judged wrong.
    window = result.get("outage", {}).get("window")
    outside = {}
    for name, (first, last) in result["load"]["windows"].items():
        if "refused" in name and window and (first < window[0] or last > window[1]):
            outside[name] = [first - t0, last - t0]
    result["refusals_outside_outage"] = outside

    memory = {}
    duration = load_end - t0
    for name, rows in samples.items():
        rows = [r for r in rows if t0 <= r[0] <= load_end]
        pid_rows = [r for r in rows if r[4] == rows[-1][4]] if rows else []  # the broker's last life only
        warm = [r for r in pid_rows if r[0] >= t0 + args.warmup * duration] if name != "broker" else pid_rows
        if not warm:
            continue
        memory[name] = {"rss_start_kib": warm[0][1], "rss_end_kib": warm[-1][1], "rss_max_kib": max(r[1] for r in warm),
                        "slope_kib_per_min": slope_per_minute([(r[0], r[1]) for r in warm]),
                        "samples": len(warm)}
    result["memory"] = memory
    result["samples"] = {k: [[round(r[0] - t0, 2), r[1], r[2], r[3]] for r in v] for k, v in samples.items()}
    with open(os.path.join(args.out, "soak.json"), "w") as f:
        json.dump(result, f, indent=1)
    md = report(result)
    with open(os.path.join(args.out, "soak.md"), "w") as f:
        f.write(md)
    print(md)
    bad = result["load"]["errors"] or outside or result["final"]["converged_after_load_s"] is None or any(c != 0 for n, c in result["exit_codes"].items() if n != "broker")
    return 1 if bad else 0


def final_text(final):
    if final["converged_after_load_s"] is None:
        return (f"**the last swap (set {final['set']}) was not published and served within 60 s**: broker "
                f"{final['broker']}, served {final['served']}.")
    return (f"the last swap (set {final['set']}) published and served by all three mocks "
            f"{final['converged_after_load_s']:.2f} s after the load.")


def report(r):
    load = r["load"]
    lines = [f"{load['answers']:,} answers in {load['seconds']:.1f} s ({load['rps']:,.0f}/s) on {r['threads']} "
             f"keep-alive client threads; ConfigMap swap every {r['swap_interval_s']:g} s "
             f"({sum(1 for e in r['events'] if e['event'].startswith('swap'))} swaps); broker killed at "
             f"{r['outage']['killed_s']:.1f} s, started empty {r['outage_s']:g} s later, everything re-published "
             f"{r['outage']['republished_after_start_s']:.2f} s after its start; " + final_text(r["final"]),
             "", f"**Errors: {load['errors']}**" + (" — " + "; ".join(load["error_examples"][:5]) if load["errors"] else ""),
             "", "| answer class | count |", "| --- | ---: |"]
    for name, count in sorted(load["classes"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {count:,} |")
    if r["refusals_outside_outage"]:
        lines.append(f"\nRefusals outside the outage window: {r['refusals_outside_outage']}")
    sets = ", ".join(f"{port}: " + "/".join(f"{s} {n:,}" for s, n in sorted(v.items())) for port, v in load["served_sets"].items())
    lines += ["", f"Matches answered by set (port: A/B): {sets}.", "",
              "| process | RSS start MiB | RSS end MiB | RSS max MiB | slope KiB/min | fds before → after | threads before → after |",
              "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for name in ("manager", "aws", "gcp", "azure", "broker"):
        m = r["memory"].get(name)
        b, a = r["before_load"].get(name, {}), r["after_load"].get(name, {})
        if not m:
            continue
        slope = "–" if m["slope_kib_per_min"] is None else f"{m['slope_kib_per_min']:+.1f}"
        label = name + (" (after its restart)" if name == "broker" else "")
        lines.append(f"| {label} | {m['rss_start_kib'] / 1024:.1f} | {m['rss_end_kib'] / 1024:.1f} | "
                     f"{m['rss_max_kib'] / 1024:.1f} | {slope} | {b.get('fds')} → {a.get('fds')} | "
                     f"{b.get('threads')} → {a.get('threads')} |")
    lines.append(f"\nExit codes after SIGTERM: {r['exit_codes']}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
