#!/usr/bin/env python3
"""Regenerates the seed corpora of the fuzz targets from the example pacts, the built-in default
contracts and the pact-spec request cases (tests/conformance/pact-spec, MIT licensed).
Usage: tests/fuzz/make-seeds.py [path/to/pact-spec]"""
import json
import pathlib
import shutil
import sys

here = pathlib.Path(__file__).resolve().parent
root = here.parents[1]
spec = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests" / "conformance" / "pact-spec"
corpus = here / "corpus"
versions = {"v1": "V1", "v1.1": "V1_1", "v2": "V2", "v3": "V3", "v4": "V4"}
spec_version_field = {"V1": "1.0.0", "V1_1": "1.1.0", "V2": "2.0.0", "V3": "3.0.0", "V4": "4.0"}


def reset(name):
    d = corpus / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def spec_cases():
    for path in sorted(spec.glob("v*/request/*/*.json")):
        rel = path.relative_to(spec)
        version = versions[rel.parts[0]]
        slug = "-".join([rel.parts[0], rel.parts[2], path.stem]).replace(" ", "_").replace(",", "")
        yield version, slug, json.loads(path.read_text())


# Matcher: each spec case, tagged with its version.
d = reset("fuzz_matcher")
for version, slug, case in spec_cases():
    case["spec"] = version
    (d / f"{slug}.json").write_text(json.dumps(case, indent=1))

# Pact parser: the example pacts, the default contracts and one pact per spec version built
# from the expected requests of that version's cases (so every matching-rule syntax appears).
d = reset("fuzz_pact_parser")
for src in sorted((root / "examples" / "pacts").glob("*.json")) + sorted(
        (root / "mockserver" / "default_pacts").glob("*.json")):
    shutil.copy(src, d / f"{src.parent.name}-{src.name}")
by_version = {}
for version, slug, case in spec_cases():
    by_version.setdefault(version, []).append((slug, case))
for version, cases in by_version.items():
    for part in range(0, len(cases), 12):
        interactions = []
        for slug, case in cases[part:part + 12]:
            interactions.append({"description": slug, "request": case["expected"],
                                 "response": {"status": 200, "body": {"ok": True}}})
        if version == "V4":
            for i in interactions:
                i["type"] = "Synchronous/HTTP"
        pact = {"consumer": {"name": "fuzz-consumer"}, "provider": {"name": "fuzz-provider"},
                "interactions": interactions,
                "metadata": {"pactSpecification": {"version": spec_version_field[version]}}}
        (d / f"spec-{version}-{part // 12:02d}.json").write_text(json.dumps(pact, indent=1))

# Environment config: NAME=VALUE lines as the binaries read them.
d = reset("fuzz_env_config")
seeds = {
    "manager": "BROKER_URL=http://pact-broker:9292/\nBROKER_USERNAME=pact\nBROKER_PASSWORD=secret\n"
               "HEALTH_PORT=1238\nLOG_LEVEL=debug\nLOG_FORMAT=json\nGIT_BRANCH=main\n",
    "mock": "PROVIDER_NAME=AWS-Secrets-Manager\nPORT=1234\nSTARTUP_TIMEOUT_SECONDS=90\n"
            "RELOAD_INTERVAL_SECONDS=0.5\nPACTS_DIR=/pacts\n",
    "bad": "PORT=70000\nSTARTUP_TIMEOUT_SECONDS=nan\nBROKER_URL=ftp://x\nLOG_FORMAT=xml\nX=+\n",
    "edge": "PORT= 1 \nA=-9223372036854775808\nB=1e308\nC=https:///\nD=YES\n",
}
for name, text in seeds.items():
    (d / name).write_text(text)

# HTTP: requests as a controller or an SDK sends them, plus framing edge cases.
d = reset("fuzz_http_request")
crlf = "\r\n"
seeds = {
    "get": "GET /providers/AWS-Secrets-Manager/ready HTTP/1.1\r\nHost: x\r\n\r\n",
    "post-json": "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
                 "X-Amz-Target: secretsmanager.GetSecretValue\r\nContent-Length: 18\r\n\r\n{\"SecretId\":\"abc\"}",
    "chunked": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "pipelined": "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /files/a/b%20c HTTP/1.1\r\nHost: x\r\n\r\n"
                 "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
    "expect": "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    "http10": "GET /?a=1&b=%zz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "head": "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
    "big-header": "GET / HTTP/1.1\r\nX-Long: " + "a" * 3000 + "\r\n\r\n",
    "big-body": "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + "b" * 5000,
    "bad-length": "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "options": "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
}
for name, text in seeds.items():
    (d / name).write_bytes(text.encode())
print("seeds written to", corpus)
