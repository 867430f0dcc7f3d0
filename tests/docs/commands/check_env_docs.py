#!/usr/bin/env python3
"""Checks the documented environment variables and defaults against the binaries themselves.

- Every Markdown table whose header starts with `| variable | default |` must be preceded by a
  marker `<!-- env: manager|mocks|mock-webhook|logging|run-local -->` saying whose variables it lists.
  For the binaries, each variable in it must be one the binary reads (its `--print-config` "env"
  object for an empty environment) and the documented default must be that value.
- docs/configuration.md documents every variable each binary reads.
- `--help` of every binary lists its flags, every variable with the same default, and the exit codes.
- Bad values exit 2 with the variable named (https URLs, non-numeric listen addresses, a flag
  taken as a value), before anything is bound or contacted.

Usage: check_env_docs.py SOURCE_DIR BINARY_DIR
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

DOCS = ["README.md", "docs/configuration.md", "docs/manager.md", "docs/mockserver.md"]
MOCKS = ["aws-mock-server", "gcp-mock-server", "azure-mock-server"]
BINARIES = {"manager": "manager/manager", "aws-mock-server": "mockserver/aws-mock-server",
            "gcp-mock-server": "mockserver/gcp-mock-server", "azure-mock-server": "mockserver/azure-mock-server",
            "mock-webhook": "mockserver/mock-webhook"}
NAMES_ONLY = {"as manager", "per binary", "the profile's"}  # the default is stated elsewhere
UNSET = {"unset", "–", "-", ""}

failures = []


def fail(message):
    failures.append(message)


def clean_env():
    # Only what a process needs to run: a developer's exported PORT or BROKER_URL must not leak in.
    # The sanitizer stages' runtime options do pass, so a report in a binary is logged and counted.
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS")
    return {k: v for k, v in os.environ.items() if k in keep}


def run(binary, args=(), env=None):
    full = clean_env()
    full.update(env or {})
    return subprocess.run([str(binary), *args], env=full, text=True, capture_output=True, timeout=20)


def normalise(value):
    """A --print-config value or a documented default, in one comparable form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().strip("`").strip()
    if text in UNSET:
        return None
    if re.fullmatch(r"\d+ MiB", text):
        return float(int(text.split()[0]) * 1024 * 1024)
    try:
        return float(text)
    except ValueError:
        return text


def display(value):
    """As --help prints a default."""
    if value is None or value == "":
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def tables(path: Path):
    """(marker, line number, rows) of each `| variable | default |` table; rows are (names, default)."""
    lines = path.read_text().splitlines()
    out = []
    for i, line in enumerate(lines):
        if not re.match(r"\|\s*variable\s*\|\s*default\s*\|", line):
            continue
        marker = None
        for back in range(max(0, i - 3), i):
            m = re.search(r"<!--\s*env:\s*([\w-]+)", lines[back])
            if m:
                marker = m.group(1)
        rows = []
        for row in lines[i + 2:]:
            if not row.startswith("|"):
                break
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0])
            rows.append((names, cells[1]))
        out.append((marker, i + 1, rows))
    return out


def defaults_for(names, cell, binaries):
    """{(binary, name): documented default} or a string saying why the cell cannot be read."""
    text = cell.strip()
    if text.strip("`") in NAMES_ONLY:
        return {}
    parts = [p.strip() for p in re.split(r"\s+/\s+", text)]
    if len(parts) == 1:
        return {(b, n): parts[0] for b in binaries for n in names}
    if len(parts) == len(names):
        return {(b, n): p for b in binaries for n, p in zip(names, parts)}
    if len(names) == 1 and len(parts) == len(binaries):
        return {(b, names[0]): p for b, p in zip(binaries, parts)}
    return f"cannot pair {names} with {parts}"


def main():
    source, build = Path(sys.argv[1]), Path(sys.argv[2])
    env_of = {}
    for name, rel in BINARIES.items():
        done = run(build / rel, ["--print-config"])
        if done.returncode != 0:
            fail(f"{name} --print-config exited {done.returncode}: {done.stderr}")
            continue
        env_of[name] = json.loads(done.stdout)["env"]
    if failures:
        return report()

    groups = {"manager": ["manager"], "mocks": MOCKS, "mock-webhook": ["mock-webhook"],
              "logging": list(BINARIES), "run-local": []}
    checked = 0
    for rel in DOCS:
        for marker, line, rows in tables(source / rel):
            where = f"{rel}:{line}"
            if marker not in groups:
                fail(f"{where}: a variable/default table without an <!-- env: ... --> marker ({marker!r})")
                continue
            binaries = groups[marker]
            for names, cell in rows:
                if not names:
                    fail(f"{where}: a row without a `VARIABLE`: {cell}")
                    continue
                for b in binaries:
                    for n in names:
                        if n not in env_of[b]:
                            fail(f"{where}: {n} is documented for {b}, which does not read it")
                documented = defaults_for(names, cell, binaries)
                if isinstance(documented, str):
                    fail(f"{where}: {documented}")
                    continue
                for (b, n), text in documented.items():
                    if n not in env_of[b]:
                        continue
                    checked += 1
                    if normalise(text) != normalise(env_of[b][n]):
                        fail(f"{where}: {n} default documented as {text!r}, {b} --print-config says "
                             f"{env_of[b][n]!r}")

    config_doc = (source / "docs/configuration.md").read_text()
    for b, env in env_of.items():
        for n in env:
            if f"`{n}`" not in config_doc:
                fail(f"docs/configuration.md does not document {n}, which {b} reads")

    for b, rel in BINARIES.items():
        done = run(build / rel, ["--help"])
        if done.returncode != 0:
            fail(f"{b} --help exited {done.returncode}")
            continue
        text = done.stdout
        for flag in ["--print-config", "--version", "--help"] + (["--port N", "--pacts-dir DIR"] if b in MOCKS else []):
            if flag not in text:
                fail(f"{b} --help does not list {flag}")
        if "Exit codes" not in text or not re.search(r"^\s+2\s+bad configuration", text, re.M):
            fail(f"{b} --help does not list the exit codes")
        for n, v in env_of[b].items():
            if not re.search(rf"^\s+{n}\s+\[default: {re.escape(display(v))}\]", text, re.M):
                fail(f"{b} --help does not list {n} with [default: {display(v)}]")
    controller = run(build / "tests/e2e/controller/pact-mode-controller", ["--help"])
    if controller.returncode != 0 or "Exit codes" not in controller.stdout or "PACT_MODE" not in controller.stdout:
        fail("pact-mode-controller --help does not list its variables and exit codes")

    bad = [
        ("manager", {"BROKER_URL": "https://broker.example.com"}, [], "BROKER_URL"),
        ("manager", {"BROKER_URL": "http://broker:notaport"}, [], "BROKER_URL"),
        ("manager", {"HEALTH_ADDRESS": "notanip", "HEALTH_PORT": "1"}, [], "HEALTH_ADDRESS"),
        ("aws-mock-server", {"BROKER_URL": "https://broker"}, [], "BROKER_URL"),
        ("aws-mock-server", {"MANAGER_URL": "https://manager:1238"}, [], "MANAGER_URL"),
        ("gcp-mock-server", {"BIND_ADDRESS": "nope", "PORT": "1"}, [], "BIND_ADDRESS"),
        ("azure-mock-server", {}, ["--pacts-dir", "--print-config"], "--pacts-dir"),
        ("mock-webhook", {"BIND_ADDRESS": "nope", "PORT": "1"}, [], "BIND_ADDRESS"),
    ]
    for b, env, args, variable in bad:
        done = run(build / BINARIES[b], args, env)
        if done.returncode != 2 or variable not in done.stderr:
            fail(f"{b} with {env} {args}: expected exit 2 naming {variable}, got {done.returncode}: {done.stderr.strip()}")
    nosync = run(build / "tests/e2e/controller/pact-mode-controller", ["--no-sync"],
                 {"PACT_MODE": "true", "AWS_SECRETS_MANAGER_ENDPOINT": "http://127.0.0.1:9"})
    if nosync.returncode != 2:
        fail(f"pact-mode-controller --no-sync (nothing to check) exited {nosync.returncode}, expected 2")

    print(f"{checked} documented defaults checked against --print-config")
    return report()


def report():
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
