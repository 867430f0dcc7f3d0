#!/usr/bin/env python3
"""Runs the copy-paste commands of the README and docs/ against a local pod (scripts/run-local.sh).

A fenced block tagged `sh test` in a Markdown file is runnable. Each command in it (a line, plus the
lines a trailing backslash continues) must exit 0; a following comment line `# => TEXT` means TEXT
must appear in that command's output (stdout and stderr). Other comments are for the reader.

The pod runs on free ports so the test does not collide with a pod a person is running; every
documented default port (9292, 1238, 1234-1237) in a command or an expectation is rewritten to the
test's port. Commands run in a scratch directory whose `build`, `examples` and `scripts` point at the
build and source trees, with RUN_DIR exported, as a reader's shell in the repository root would.

Besides the blocks it checks what the docs promise about run-local.sh itself: the banner's
make-configmap-layout path is absolute, a second run-local.sh on the same ports refuses before
claiming readiness and names the port, and SIGINT stops the pod with exit 0.

Usage: run_doc_commands.py SOURCE_DIR BINARY_DIR [--only FILE...]
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DOC_FILES = ["docs/configuration.md", "docs/manager.md", "docs/mockserver.md", "docs/troubleshooting.md",
             "docs/security.md", "examples/README.md", "README.md"]  # README last: it swaps the ConfigMap
DEFAULT_PORTS = {"BROKER_PORT": 9292, "MANAGER_PORT": 1238, "AWS_PORT": 1234, "GCP_PORT": 1235,
                 "AZURE_PORT": 1236, "WEBHOOK_PORT": 1237}
COMMAND_TIMEOUT = 30


@dataclass
class Command:
    file: str
    line: int
    text: str
    expect: list = field(default_factory=list)


def parse_blocks(path: Path, rel: str):
    """Every command of every `sh test` block in the file, in document order."""
    commands, in_block, current = [], False, None
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not in_block:
            if re.fullmatch(r"```\s*sh\s+test\s*", stripped):
                in_block, current = True, None
            i += 1
            continue
        if stripped.startswith("```"):
            in_block = False
            i += 1
            continue
        expectation = re.match(r"#\s*=>\s?(.*)$", stripped)
        if expectation:
            if current is None:
                raise SystemExit(f"{rel}:{i + 1}: '# =>' without a command before it")
            current.expect.append(expectation.group(1).rstrip())
        elif stripped and not stripped.startswith("#"):
            start, text = i, raw
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text += "\n" + lines[i]
            current = Command(rel, start + 1, text)
            commands.append(current)
        i += 1
    if in_block:
        raise SystemExit(f"{rel}: unterminated `sh test` block")
    return commands


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def rewrite_ports(text, ports, urls_only=False):
    """Commands: every whole-word default port (URLs, `for p in 1234 1235 1236`). Expected output: only
    ports in URLs (`:1234`), since a bare 1238 there is a binary's default, e.g. in --print-config."""
    mapping = {str(DEFAULT_PORTS[name]): str(port) for name, port in ports.items()}
    prefix = r"(?<=:)" if urls_only else r"\b"
    return re.sub(prefix + r"(" + "|".join(mapping) + r")\b", lambda m: mapping[m.group(1)], text)


def run_command(cmd: Command, ports, cwd, env):
    """None when the command and its expectations hold, else the reason."""
    script = rewrite_ports(cmd.text, ports)
    try:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", script], cwd=cwd, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return f"timed out after {COMMAND_TIMEOUT}s; output:\n{e.stdout or ''}"
    if done.returncode != 0:
        return f"exit code {done.returncode}; output:\n{done.stdout}"
    for expected in cmd.expect:
        wanted = rewrite_ports(expected, ports, urls_only=True)
        if wanted not in done.stdout:
            return f"documented output {wanted!r} not found; output:\n{done.stdout}"
    return None


def self_check(cwd, env):
    """The checker itself must fail a failing command and a missing output, or the test proves nothing."""
    ports = {name: port for name, port in DEFAULT_PORTS.items()}
    assert run_command(Command("self", 1, "false"), ports, cwd, env) is not None
    assert run_command(Command("self", 1, "echo a | false | cat"), ports, cwd, env) is not None
    assert run_command(Command("self", 1, "echo present", ["absent"]), ports, cwd, env) is not None
    assert run_command(Command("self", 1, "echo present", ["present"]), ports, cwd, env) is None


def run_local_env(binary, ports, run_dir):
    """run-local.sh on the built binaries and the test's ports, with its own broker stand-in."""
    env = dict(os.environ, SKIP_BUILD="1", BUILD_DIR=str(binary), RUN_DIR=str(run_dir),
               **{k: str(v) for k, v in ports.items()})
    env.pop("BROKER_URL", None)
    env.pop("BROKER", None)
    return env


class Pod:
    """scripts/run-local.sh in its own process group, stopped with SIGINT like Ctrl-C."""

    def __init__(self, source, binary, ports, run_dir):
        self.log = Path(run_dir) / "run-local.out"
        self.out = open(self.log, "w")
        self.process = subprocess.Popen(["bash", str(Path(source) / "scripts/run-local.sh")],
                                        env=run_local_env(binary, ports, run_dir),
                                        stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        return self.log.read_text()

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "POD READY" in self.output():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.2)
        return False

    def stop(self):
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    return self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
                    return None
            return self.process.returncode
        finally:
            self.out.close()


def second_pod_refuses(source, binary, ports, run_dir):
    done = subprocess.run(["bash", str(Path(source) / "scripts/run-local.sh")],
                          env=run_local_env(binary, ports, run_dir), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    problems = []
    if done.returncode == 0:
        problems.append("exited 0")
    if "POD READY" in done.stdout or "pod is ready" in done.stdout:
        problems.append("claimed readiness")
    if "already in use" not in done.stdout or "_PORT" not in done.stdout:
        problems.append("did not name the taken port")
    return problems, done.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("binary")
    parser.add_argument("--only", nargs="*", help="run only these doc files (relative to SOURCE)")
    args = parser.parse_args()
    source, binary = Path(args.source).resolve(), Path(args.binary).resolve()

    files = args.only or DOC_FILES
    commands = []
    for rel in files:
        commands += parse_blocks(source / rel, rel)
    per_file = {rel: sum(1 for c in commands if c.file == rel) for rel in files}
    untested = [rel for rel, n in per_file.items() if n == 0]
    if untested:
        print(f"FAIL: no `sh test` block in {', '.join(untested)}")
        return 1

    failures = []
    with tempfile.TemporaryDirectory(prefix="pactmocks-docs-") as scratch:
        scratch = Path(scratch)
        cwd = scratch / "repo"
        cwd.mkdir()
        (cwd / "build").symlink_to(binary)
        for name in ("examples", "scripts", "docs"):
            (cwd / name).symlink_to(source / name)
        run_dir = scratch / "run"
        run_dir.mkdir()
        env = dict(os.environ, RUN_DIR=str(run_dir))
        self_check(cwd, env)

        ports = dict(zip(DEFAULT_PORTS, free_ports(len(DEFAULT_PORTS))))
        started = time.monotonic()
        pod = Pod(source, binary, ports, run_dir)
        try:
            if not pod.wait_ready(90):
                print("FAIL: scripts/run-local.sh did not print POD READY; its output:\n" + pod.output())
                return 1
            print(f"pod ready in {time.monotonic() - started:.1f}s on ports {ports}")
            banner = pod.output()
            if not re.search(r"^\s+" + re.escape(str(source)) + r"/examples/make-configmap-layout\.sh ", banner, re.M):
                failures.append("run-local banner: make-configmap-layout.sh is not printed with an absolute path")

            problems, output = second_pod_refuses(source, binary, ports, scratch / "run2")
            if problems:
                failures.append("a second run-local.sh on the same ports: " + ", ".join(problems) + "\n" + output)

            for cmd in commands:
                reason = run_command(cmd, ports, cwd, env)
                status = "ok  " if reason is None else "FAIL"
                print(f"{status} {cmd.file}:{cmd.line}: {cmd.text.splitlines()[0][:100]}")
                if reason is not None:
                    failures.append(f"{cmd.file}:{cmd.line}: {cmd.text}\n  -> {reason}")
        finally:
            rc = pod.stop()
        if rc != 0:
            failures.append(f"run-local.sh exited {rc} on SIGINT (documented: Ctrl-C/SIGINT stops it, exit 0)")
        if failures and Path(run_dir, "logs").is_dir():
            for log in sorted(Path(run_dir, "logs").glob("*.log")):
                print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text().splitlines()[-15:]))

    print(f"{len(commands)} documented commands from {len(files)} files, {len(failures)} failure(s), "
          f"{time.monotonic() - started:.1f}s")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
