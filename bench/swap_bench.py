#!/usr/bin/env python3
"""ConfigMap swap benchmark: time from a kubelet-style ConfigMap update to the mock serving the new interaction.

Runs the real chain on loopback: pact-broker-standin, the manager watching a ConfigMap-shaped directory, and
aws-mock-server in broker mode. Each swap writes a new `..<timestamp>` directory holding a pact with one new
interaction, renames a `..data_tmp` symlink over `..data` (what the kubelet's AtomicWriter does) and removes
the old directory; the clock starts at the rename. It then polls, every few milliseconds, the broker (until
the new pact is there: "published") and the mock with the new interaction's request (until 200: "served").
Prints the median, min and max of several swaps and writes swap.json / swap.md into --out.

With --load-requests (the generator's requests.json of the base pact), a constant load runs against the mock
for the whole swap phase: keep-alive clients cycling through the base pact's requests, which every generation
keeps. Every answer must be 2xx; a non-2xx answer, a refused, reset or truncated connection counts as failed.

Env passed through to the mock and manager as in a pod; RELOAD_INTERVAL_SECONDS is left at the product default
unless --reload-interval is given.
"""
import argparse
import contextlib
from http.client import HTTPConnection, HTTPException
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PROVIDER = "AWS-Secrets-Manager"
CONSUMER = "Bench-Consumer"
PACT_FILE = f"{CONSUMER}-{PROVIDER}.json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=2.0):
    """(status, body text); status None when the connection fails."""
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, HTTPException, ConnectionError, socket.timeout, TimeoutError):
        # A broken or truncated answer counts as "not yet"; the harness keeps polling.
        return None, ""


class KubeletVolume:
    """The kubelet's AtomicWriter layout: ..<ts>/<key>, ..data -> ..<ts>, <key> -> ..data/<key>."""

    def __init__(self, root):
        self.root, self.generation, self.current = root, 0, None
        os.makedirs(root, exist_ok=True)

    def update(self, payload):
        """Writes the new generation; returns the monotonic time of the atomic ..data rename."""
        self.generation += 1
        ts = "..%s.%d" % (time.strftime("%Y_%m_%d_%H_%M_%S", time.gmtime()), self.generation)
        os.mkdir(os.path.join(self.root, ts))
        for key, content in payload.items():
            with open(os.path.join(self.root, ts, key), "w") as f:
                f.write(content)
        tmp = os.path.join(self.root, "..data_tmp")
        os.symlink(ts, tmp)
        os.rename(tmp, os.path.join(self.root, "..data"))
        swapped = time.monotonic()
        for key in payload:
            link = os.path.join(self.root, key)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", key), link)
        if self.current:
            shutil.rmtree(os.path.join(self.root, self.current))
        self.current = ts
        return swapped


def swap_interaction(k):
    secret = f"swap-secret-{k:03d}"
    return secret, {
        "description": f"GetSecretValue {secret} (ConfigMap generation {k})",
        "providerStates": [{"name": f"secret {secret} exists"}],
        "request": {"method": "POST", "path": "/",
                    "headers": {"Content-Type": "application/x-amz-json-1.1",
                                "X-Amz-Target": "secretsmanager.GetSecretValue"},
                    "body": {"SecretId": secret}},
        "response": {"status": 200, "headers": {"Content-Type": "application/x-amz-json-1.1"},
                     "body": {"Name": secret, "SecretString": f"generation-{k}", "VersionStages": ["AWSCURRENT"]}},
    }


def pact_with(base, k):
    secret, inter = swap_interaction(k)
    doc = dict(base)
    doc["interactions"] = list(base["interactions"]) + [inter]
    return secret, json.dumps(doc, indent=1)


def mock_serves(port, secret):
    status, _ = http("POST", f"http://127.0.0.1:{port}/", body=json.dumps({"SecretId": secret}),
                     headers={"Content-Type": "application/x-amz-json-1.1",
                              "X-Amz-Target": "secretsmanager.GetSecretValue"}, timeout=1.0)
    return status == 200


def broker_has(port, secret):
    status, text = http("GET", f"http://127.0.0.1:{port}/pacts/provider/{PROVIDER}/consumer/{CONSUMER}/latest",
                        timeout=1.0)
    return status == 200 and secret in text


class ConstantLoad:
    """Keep-alive clients cycling through recorded requests; counts answers and failures until stopped."""

    def __init__(self, port, requests, clients):
        self.port, self.requests = port, requests
        self.ok = self.failed = 0
        self.failures = []  # the first few, for the report
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(clients)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def record(self, good, what=None):
        with self.lock:
            if good:
                self.ok += 1
            else:
                self.failed += 1
                if len(self.failures) < 5:
                    self.failures.append(what)

    def run(self, offset):
        conn, i = None, offset * 7
        while not self.stop.is_set():
            wire = self.requests[i % len(self.requests)]
            i += 1
            try:
                if conn is None:
                    conn = HTTPConnection("127.0.0.1", self.port, timeout=5)
                body = wire.get("body")
                conn.request(wire["method"], wire["path"], body=body.encode() if body is not None else None,
                             headers=wire["headers"])
                r = conn.getresponse()
                r.read()
                self.record(200 <= r.status < 300, f"HTTP {r.status} for {wire['method']} {wire['path']}")
                if r.will_close:
                    conn.close()
                    conn = None
            except (OSError, HTTPException) as e:
                self.record(False, f"{type(e).__name__}: {e}")
                if conn is not None:
                    conn.close()
                conn = None


def start(cmd, env, log_path):
    log = open(log_path, "wb")
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env), log


def run_swaps(args, base, volume, broker_port, mock_port, result):
    rng = random.Random(7)
    for k in range(1, args.swaps + 1):
        # A random pause so the swaps do not phase-lock with the mock's poll interval.
        time.sleep(0.5 + rng.random() * 1.5)
        secret, content = pact_with(base, k)
        swapped = volume.update({PACT_FILE: content})
        published = served = None
        while served is None and time.monotonic() - swapped < args.timeout:
            if published is None and broker_has(broker_port, secret):
                published = time.monotonic() - swapped
            if mock_serves(mock_port, secret):
                served = time.monotonic() - swapped
                if published is None:
                    published = served
            else:
                time.sleep(0.005)
        row = {"swap": k, "published_s": published, "served_s": served}
        result["swaps"].append(row)
        print(f"swap {k}: published {fmt_s(published)}, served {fmt_s(served)}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manager", required=True, help="manager binary")
    ap.add_argument("--mock", required=True, help="aws-mock-server binary")
    ap.add_argument("--standin", required=True, help="pact-broker-standin binary")
    ap.add_argument("--base-pact", required=True, help="AWS pact the swaps extend (e.g. a generated N=100 set)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--swaps", type=int, default=7)
    ap.add_argument("--reload-interval", help="RELOAD_INTERVAL_SECONDS for the mock (default: product default)")
    ap.add_argument("--tag", default="swap", help="name of the output files and logs (TAG.json, TAG.md)")
    ap.add_argument("--timeout", type=float, default=30, help="per swap and for startup, seconds")
    ap.add_argument("--load-requests", help="requests.json of the base pact: constant load during the swaps")
    ap.add_argument("--load-clients", type=int, default=4, help="keep-alive clients of the constant load")
    args = ap.parse_args()

    with open(args.base_pact) as f:
        base = json.load(f)
    base["consumer"] = {"name": CONSUMER}
    base["provider"] = {"name": PROVIDER}
    work = tempfile.mkdtemp(prefix="swap-bench-")
    logs = os.path.join(args.out, "logs")
    os.makedirs(logs, exist_ok=True)
    broker_port, manager_port, mock_port = free_port(), free_port(), free_port()
    volume = KubeletVolume(os.path.join(work, "configmap"))
    secret, content = pact_with(base, 0)
    volume.update({PACT_FILE: content})

    env = dict(os.environ, LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "info"))
    env.pop("RELOAD_INTERVAL_SECONDS", None)
    procs = []
    result = {"swaps": [], "reload_interval": args.reload_interval or "default"}
    try:
        procs.append(start([args.standin, "--port", str(broker_port)], env, os.path.join(logs, f"{args.tag}-broker.log")))
        menv = dict(env, CONFIGMAP_PATH=volume.root, BROKER_URL=f"http://127.0.0.1:{broker_port}",
                    HEALTH_PORT=str(manager_port), PUBLISHED_FLAG_PATH=os.path.join(work, "published"),
                    GIT_BRANCH="main", GIT_COMMIT="bench", CONFIGMAP_NAME="pact-contracts", NAMESPACE="bench")
        procs.append(start([args.manager], menv, os.path.join(logs, f"{args.tag}-manager.log")))
        kenv = dict(env, PORT=str(mock_port), BROKER_URL=f"http://127.0.0.1:{broker_port}",
                    MANAGER_URL=f"http://127.0.0.1:{manager_port}", STARTUP_TIMEOUT_SECONDS="60")
        if args.reload_interval:
            kenv["RELOAD_INTERVAL_SECONDS"] = args.reload_interval
        t0 = time.monotonic()
        procs.append(start([args.mock], kenv, os.path.join(logs, f"{args.tag}-mock.log")))
        while not mock_serves(mock_port, secret):
            if time.monotonic() - t0 > args.timeout * 2:
                raise RuntimeError(f"the mock never served the initial contract (see {logs}/{args.tag}-*.log)")
            if any(p.poll() is not None for p, _ in procs):
                raise RuntimeError(f"a process exited early (see {logs}/{args.tag}-*.log)")
            time.sleep(0.02)
        result["initial_served_s"] = time.monotonic() - t0
        load = None
        if args.load_requests:
            with open(args.load_requests) as f:
                load = ConstantLoad(mock_port, json.load(f), args.load_clients)
        with load if load else contextlib.nullcontext():
            run_swaps(args, base, volume, broker_port, mock_port, result)
        if load:
            result["load"] = {"clients": args.load_clients, "answered": load.ok + load.failed, "failed": load.failed,
                              "first_failures": load.failures}
            print(f"constant load: {load.ok + load.failed} requests, {load.failed} failed", flush=True)
    finally:
        for p, log in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
            log.close()
        shutil.rmtree(work, ignore_errors=True)

    served = [r["served_s"] for r in result["swaps"] if r["served_s"] is not None]
    published = [r["published_s"] for r in result["swaps"] if r["published_s"] is not None]
    result["failed"] = len(result["swaps"]) - len(served)
    md = [f"### ConfigMap swap → served (mock RELOAD_INTERVAL_SECONDS={result['reload_interval']})", "",
          f"{len(result['swaps'])} swaps of a {len(base['interactions']) + 1}-interaction AWS pact through "
          f"pact-broker-standin, the manager (inotify) and aws-mock-server in broker mode; mock "
          f"RELOAD_INTERVAL_SECONDS={result['reload_interval']}; initial contract served "
          f"{result['initial_served_s']:.2f} s after the mock started.", "",
          "| stage | median | min | max |", "| --- | ---: | ---: | ---: |"]
    for name, xs in (("swap → in the broker (published)", published), ("swap → served by the mock", served)):
        if xs:
            md.append(f"| {name} | {statistics.median(xs) * 1000:.0f} ms | {min(xs) * 1000:.0f} ms | {max(xs) * 1000:.0f} ms |")
        else:
            md.append(f"| {name} | – | – | – |")
    if result["failed"]:
        md.append(f"\n{result['failed']} swap(s) not served within {args.timeout:g} s.")
    if "load" in result:
        ld = result["load"]
        md.append(f"\nConstant load during the swaps ({ld['clients']} keep-alive clients cycling through the base "
                  f"pact's requests): {ld['answered']} requests, **{ld['failed']} failed**"
                  + (": " + "; ".join(ld["first_failures"]) if ld["failed"] else "") + ".")
    with open(os.path.join(args.out, f"{args.tag}.json"), "w") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(args.out, f"{args.tag}.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    return 1 if result["failed"] or result.get("load", {}).get("failed") else 0


def fmt_s(v):
    return "–" if v is None else f"{v * 1000:.0f} ms"


if __name__ == "__main__":
    sys.exit(main())
