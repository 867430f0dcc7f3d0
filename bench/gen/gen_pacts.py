#!/usr/bin/env python3
"""Generates realistic, deterministic pact sets for the three providers and the matching request lists.

For each provider and each N it writes
  OUT/<provider>/n<N>/pacts/<provider>.json   one V3 pact (consumer Bench-Consumer) with N interactions
  OUT/<provider>/n<N>/requests.lua            a Lua table with one request per interaction (wrk cycles it)
  OUT/<provider>/n<N>/requests.json           the same list as JSON (for the Python side of the harness)

Every interaction is reachable by exactly one request of the list:
  - AWS: all `POST /`, told apart by `X-Amz-Target` and the JSON body (as the real API does);
  - GCP: REST paths with `:` verbs and bodies; a share of interactions carry a path regex rule and their
    request uses a different concrete path that only that regex accepts;
  - Azure: `/secrets/...` paths with the `api-version` query, some with path regex rules.
Every response is 2xx, so any non-2xx answer under load is a matching failure.

Usage: gen_pacts.py --out DIR [--n 1 100 1000 10000] [--providers aws gcp azure] [--seed 42]
"""
import argparse
import base64
import json
import os
import random

CONSUMER = "Bench-Consumer"
PROVIDERS = {"aws": "AWS-Secrets-Manager", "gcp": "GCP-Secret-Manager", "azure": "Azure-Key-Vault"}
# One interaction in REGEX_EVERY carries a path regex rule (realistic: ids in paths); AWS has no path to vary.
REGEX_EVERY = 20
AWS_HEADERS_EXTRA = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/secretsmanager/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=deadbeef",
    "X-Amz-Date": "20260101T000000Z",
    "User-Agent": "aws-sdk-rust/1.3.0 os/linux lang/rust/1.80.0",
}


def secret_name(i):
    return f"bench-secret-{i:05d}"


def uuid_from(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def iso_time(rng):
    return "2026-%02d-%02dT%02d:%02d:%02dZ" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                                               rng.randint(0, 59), rng.randint(0, 59))


def keeps_regex(i, ops_cycle):
    """True for about one interaction in REGEX_EVERY among those of an operation that recurs every ops_cycle."""
    return (i // ops_cycle) % max(1, REGEX_EVERY // ops_cycle) == 0


def type_rules(paths):
    return {p: {"matchers": [{"match": "type"}]} for p in paths}


# --- AWS Secrets Manager: JSON 1.1 protocol, POST / with X-Amz-Target -------------------------------------
AWS_OPS = ["GetSecretValue", "DescribeSecret", "PutSecretValue", "CreateSecret", "UpdateSecret",
           "ListSecretVersionIds", "TagResource", "DeleteSecret", "RestoreSecret", "GetResourcePolicy"]


def aws_interaction(i, rng):
    op = AWS_OPS[i % len(AWS_OPS)]
    name = secret_name(i)
    arn = f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-{rng.randint(100000, 999999)}"
    version = uuid_from(rng)
    req_body = {"SecretId": name}
    body_rules = None
    resp = {"ARN": arn, "Name": name}
    if op == "GetSecretValue":
        req_body["VersionStage"] = "AWSCURRENT"
        resp.update({"VersionId": version, "SecretString": json.dumps({"password": "%016x" % rng.getrandbits(64)}),
                     "VersionStages": ["AWSCURRENT"], "CreatedDate": 1767225600 + i})
    elif op == "DescribeSecret":
        resp.update({"Description": f"benchmark secret {i}", "LastChangedDate": 1767225600 + i,
                     "VersionIdsToStages": {version: ["AWSCURRENT"]}, "Tags": [{"Key": "team", "Value": "bench"}]})
    elif op == "PutSecretValue":
        req_body.update({"SecretString": "value-%d" % i, "ClientRequestToken": uuid_from(rng)})
        body_rules = {"$.ClientRequestToken": {"matchers": [{"match": "regex",
                                                             "regex": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}]}}
        resp.update({"VersionId": version, "VersionStages": ["AWSCURRENT"]})
    elif op == "CreateSecret":
        req_body = {"Name": name, "SecretString": "initial-%d" % i, "Description": f"benchmark secret {i}",
                    "Tags": [{"Key": "team", "Value": "bench"}]}
        resp.update({"VersionId": version})
    elif op == "UpdateSecret":
        req_body.update({"Description": f"updated {i}"})
        resp.update({"VersionId": version})
    elif op == "ListSecretVersionIds":
        req_body.update({"MaxResults": 10})
        resp.update({"Versions": [{"VersionId": version, "VersionStages": ["AWSCURRENT"],
                                   "CreatedDate": 1767225600 + i}]})
    elif op == "TagResource":
        req_body.update({"Tags": [{"Key": "env", "Value": "bench-%d" % (i % 7)}]})
        resp = {}
    elif op == "DeleteSecret":
        req_body.update({"RecoveryWindowInDays": 7})
        resp.update({"DeletionDate": 1767225600 + i + 7 * 86400})
    elif op == "RestoreSecret":
        pass
    elif op == "GetResourcePolicy":
        resp.update({"ResourcePolicy": json.dumps({"Version": "2012-10-17", "Statement": []})})
    # Keys sorted: pact-stub-server treats x-amz-json-1.1 as text and compares it with its own serialisation of
    # the contract body (sorted keys); our mock compares JSON-aware, so the order does not matter to it.
    body_text = json.dumps(req_body, separators=(",", ":"), sort_keys=True)
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"secretsmanager.{op}"}
    request = {"method": "POST", "path": "/", "headers": headers, "body": req_body}
    if body_rules:
        request["matchingRules"] = {"body": body_rules}
    response = {"status": 200, "headers": {"Content-Type": "application/x-amz-json-1.1"}, "body": resp}
    if "VersionId" in resp:
        response["matchingRules"] = {"body": type_rules(["$.VersionId", "$.ARN"])}
    interaction = {"description": f"{op} {name}", "providerStates": [{"name": f"secret {name} exists"}],
                   "request": request, "response": response}
    wire = {"method": "POST", "path": "/", "headers": dict(headers, **AWS_HEADERS_EXTRA), "body": body_text}
    return interaction, wire


# --- GCP Secret Manager: REST v1 ---------------------------------------------------------------------------
GCP_OPS = ["access", "get", "addVersion", "create", "listVersions", "getVersion", "delete", "disable"]
GCP_PROJECT = "bench-project"


def gcp_interaction(i, rng):
    op = GCP_OPS[i % len(GCP_OPS)]
    name = secret_name(i)
    base = f"/v1/projects/{GCP_PROJECT}/secrets/{name}"
    full = f"projects/{GCP_PROJECT}/secrets/{name}"
    query = None
    req_body = None
    path_regex = None
    wire_path = None
    status = 200
    if op == "access":
        version = rng.randint(1, 40)
        path = f"{base}/versions/{version}:access"
        # Clients ask for any numeric version or "latest"; the contract says so with a regex.
        path_regex = f"^/v1/projects/[a-z][a-z0-9-]+/secrets/{name}/versions/([0-9]+|latest):access$"
        wire_path = f"/v1/projects/other-project/secrets/{name}/versions/latest:access"
        data = base64.b64encode(("payload-%d" % i).encode()).decode()
        resp = {"name": f"{full}/versions/{version}", "payload": {"data": data, "dataCrc32c": str(rng.getrandbits(32))}}
    elif op == "get":
        path = base
        resp = {"name": full, "replication": {"automatic": {}}, "createTime": iso_time(rng),
                "labels": {"team": "bench"}, "etag": "\"%012x\"" % rng.getrandbits(48)}
    elif op == "addVersion":
        path = f"{base}:addVersion"
        req_body = {"payload": {"data": base64.b64encode(("value-%d" % i).encode()).decode()}}
        resp = {"name": f"{full}/versions/{rng.randint(1, 40)}", "createTime": iso_time(rng), "state": "ENABLED"}
    elif op == "create":
        path = f"/v1/projects/{GCP_PROJECT}/secrets"
        query = {"secretId": [name]}
        req_body = {"replication": {"automatic": {}}, "labels": {"team": "bench"}}
        resp = {"name": full, "replication": {"automatic": {}}, "createTime": iso_time(rng)}
    elif op == "listVersions":
        path = f"{base}/versions"
        query = {"pageSize": ["10"]}
        resp = {"versions": [{"name": f"{full}/versions/{v}", "state": "ENABLED", "createTime": iso_time(rng)}
                             for v in range(1, 4)], "totalSize": 3}
    elif op == "getVersion":
        version = rng.randint(1, 40)
        path = f"{base}/versions/{version}"
        resp = {"name": f"{full}/versions/{version}", "state": "ENABLED", "createTime": iso_time(rng)}
    elif op == "delete":
        path = base
        resp = {}
    else:  # disable
        version = rng.randint(1, 40)
        path = f"{base}/versions/{version}:disable"
        req_body = {"etag": "\"%012x\"" % rng.getrandbits(48)}
        resp = {"name": f"{full}/versions/{version}", "state": "DISABLED"}
    method = {"access": "GET", "get": "GET", "addVersion": "POST", "create": "POST", "listVersions": "GET",
              "getVersion": "GET", "delete": "DELETE", "disable": "POST"}[op]
    # About one interaction in REGEX_EVERY keeps its path rule, as in real contracts most paths are literal.
    if path_regex and not keeps_regex(i, len(GCP_OPS)):
        path_regex, wire_path = None, None
    request = {"method": method, "path": path}
    if query:
        request["query"] = query
    headers = {"Accept": "application/json"}
    if req_body is not None:
        headers["Content-Type"] = "application/json"
        request["body"] = req_body
    request["headers"] = headers
    if path_regex:
        request["matchingRules"] = {"path": {"matchers": [{"match": "regex", "regex": path_regex}]}}
    response = {"status": status, "headers": {"Content-Type": "application/json"}, "body": resp}
    if "createTime" in resp:
        response["generators"] = {"body": {"$.createTime": {"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"}}}
        response["matchingRules"] = {"body": {"$.createTime": {"matchers": [{"match": "timestamp",
                                                                            "timestamp": "yyyy-MM-dd'T'HH:mm:ss'Z'"}]}}}
    interaction = {"description": f"{op} {name}", "providerStates": [{"name": f"secret {name} exists"}],
                   "request": request, "response": response}
    wire_path = wire_path or path
    if query:
        wire_path += "?" + "&".join(f"{k}={v[0]}" for k, v in query.items())
    wire_headers = {"Accept": "application/json", "User-Agent": "google-cloud-rust/0.3 gl-rust/1.80"}
    wire = {"method": method, "path": wire_path, "headers": wire_headers, "body": None}
    if req_body is not None:
        wire_headers["Content-Type"] = "application/json"
        wire["body"] = json.dumps(req_body, separators=(",", ":"))
    return interaction, wire


# --- Azure Key Vault: REST with api-version ------------------------------------------------------------------
AZURE_OPS = ["get", "set", "getVersion", "listVersions", "delete", "update", "backup"]


def azure_interaction(i, rng):
    op = AZURE_OPS[i % len(AZURE_OPS)]
    name = secret_name(i)
    vault = "https://bench-vault.vault.azure.net"
    version = "%032x" % rng.getrandbits(128)
    attrs = {"enabled": True, "created": 1767225600 + i, "updated": 1767225600 + i, "recoveryLevel": "Recoverable+Purgeable"}
    req_body = None
    path_regex = None
    wire_path = None
    method = "GET"
    if op == "get":
        path = f"/secrets/{name}"
        resp = {"value": "secret-value-%d" % i, "id": f"{vault}/secrets/{name}/{version}", "attributes": attrs}
    elif op == "set":
        method, path = "PUT", f"/secrets/{name}"
        req_body = {"value": "new-value-%d" % i, "contentType": "text/plain", "tags": {"team": "bench"}}
        resp = {"value": "new-value-%d" % i, "id": f"{vault}/secrets/{name}/{version}", "attributes": attrs,
                "tags": {"team": "bench"}}
    elif op == "getVersion":
        path = f"/secrets/{name}/{version}"
        path_regex = f"^/secrets/{name}/[0-9a-f]{{32}}$"
        wire_path = f"/secrets/{name}/{'%032x' % rng.getrandbits(128)}"
        resp = {"value": "versioned-%d" % i, "id": f"{vault}/secrets/{name}/{version}", "attributes": attrs}
    elif op == "listVersions":
        path = f"/secrets/{name}/versions"
        resp = {"value": [{"id": f"{vault}/secrets/{name}/{version}", "attributes": attrs}], "nextLink": None}
    elif op == "delete":
        method, path = "DELETE", f"/secrets/{name}"
        resp = {"recoveryId": f"{vault}/deletedsecrets/{name}", "deletedDate": 1767225600 + i,
                "scheduledPurgeDate": 1767225600 + i + 90 * 86400, "id": f"{vault}/secrets/{name}/{version}",
                "attributes": attrs}
    elif op == "update":
        method, path = "PATCH", f"/secrets/{name}/{version}"
        req_body = {"attributes": {"enabled": False}}
        resp = {"id": f"{vault}/secrets/{name}/{version}", "attributes": dict(attrs, enabled=False)}
    else:  # backup
        method, path = "POST", f"/secrets/{name}/backup"
        resp = {"value": base64.urlsafe_b64encode(("backup-blob-%d-" % i).encode() * 4).decode()}
    if path_regex and not keeps_regex(i, len(AZURE_OPS)):
        path_regex, wire_path = None, None
    query = {"api-version": ["7.4"]}
    request = {"method": method, "path": path, "query": query}
    headers = {"Accept": "application/json"}
    if req_body is not None:
        headers["Content-Type"] = "application/json"
        request["body"] = req_body
    request["headers"] = headers
    if path_regex:
        request["matchingRules"] = {"path": {"matchers": [{"match": "regex", "regex": path_regex}]}}
    response = {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8"}, "body": resp}
    if "id" in resp:
        response["matchingRules"] = {"body": type_rules(["$.id"])}
    interaction = {"description": f"{op} {name}", "providerStates": [{"name": f"secret {name} exists"}],
                   "request": request, "response": response}
    wire_headers = {"Accept": "application/json", "User-Agent": "azsdk-rust-security_keyvault/0.20 (1.80; linux)"}
    wire = {"method": method, "path": (wire_path or path) + "?api-version=7.4", "headers": wire_headers, "body": None}
    if req_body is not None:
        wire_headers["Content-Type"] = "application/json"
        wire["body"] = json.dumps(req_body, separators=(",", ":"))
    return interaction, wire


BUILDERS = {"aws": aws_interaction, "gcp": gcp_interaction, "azure": azure_interaction}


def lua_string(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32:
            out.append("\\%03d" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def lua_request(r):
    headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r["headers"].items())
    body = lua_string(r["body"]) if r["body"] is not None else "nil"
    return f"  {{method = {lua_string(r['method'])}, path = {lua_string(r['path'])}, headers = {{{headers}}}, body = {body}}},"


def pact_document(provider_key, interactions):
    return {"consumer": {"name": CONSUMER}, "provider": {"name": PROVIDERS[provider_key]},
            "interactions": interactions,
            "metadata": {"pactSpecification": {"version": "3.0.0"}, "pact-mocks-bench": {"generator": "gen_pacts.py"}}}


def generate(out, provider_key, n, seed):
    rng = random.Random(f"{seed}-{provider_key}-{n}")
    interactions, wires = [], []
    for i in range(n):
        inter, wire = BUILDERS[provider_key](i, rng)
        interactions.append(inter)
        wires.append(wire)
    # The list is shuffled so consecutive requests hit unrelated interactions (no accidental locality).
    order = list(range(n))
    rng.shuffle(order)
    wires = [wires[k] for k in order]
    base = os.path.join(out, provider_key, f"n{n}")
    os.makedirs(os.path.join(base, "pacts"), exist_ok=True)
    pact_path = os.path.join(base, "pacts", f"{PROVIDERS[provider_key]}.json")
    with open(pact_path, "w") as f:
        json.dump(pact_document(provider_key, interactions), f, indent=1)
    with open(os.path.join(base, "requests.lua"), "w") as f:
        f.write("-- generated by bench/gen/gen_pacts.py; one request per interaction\nreturn {\n")
        f.write("\n".join(lua_request(w) for w in wires))
        f.write("\n}\n")
    with open(os.path.join(base, "requests.json"), "w") as f:
        json.dump(wires, f)
    return pact_path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, nargs="+", default=[1, 100, 1000, 10000])
    ap.add_argument("--providers", nargs="+", default=["aws", "gcp", "azure"], choices=sorted(PROVIDERS))
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    for p in args.providers:
        for n in args.n:
            path = generate(args.out, p, n, args.seed)
            print(f"gen: {p} N={n}: {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
