#!/usr/bin/env python3
"""Turns the requests a mock server journaled into Pact interaction skeletons.

Point a client (an SDK, the controller) at a mock that has no interaction for its calls, preferably
with NO_MATCH_STATUS=501 so that the SDKs do not retry; every request is journaled unmatched with its
method, path, query, headers and body. This tool reads GET /__admin/requests and prints a V3 pact
whose interactions are exactly those requests, with a placeholder 200 response to fill in.

Usage: pact-record.py MOCK_URL [--provider NAME] [--keep-header NAME ...] [--all-headers]
  --keep-header   request headers to copy into the skeleton (default: Content-Type, X-Amz-Target)
  --all-headers   copy every header (to see what the SDK sends; most are noise for a contract)
"""
import argparse
import json
import sys
import urllib.parse
import urllib.request


def fetch_journal(base):
    with urllib.request.urlopen(base.rstrip("/") + "/__admin/requests", timeout=10) as r:
        return json.load(r)


def skeleton(entry, keep, all_headers):
    req = entry["request"]
    out = {"method": req["method"], "path": req["path"]}
    if req.get("query"):
        query = {}
        for k, v in urllib.parse.parse_qsl(req["query"], keep_blank_values=True):
            query.setdefault(k, []).append(v)
        out["query"] = query
    headers = {k: v for k, v in (req.get("headers") or {}).items() if all_headers or k.lower() in keep}
    if headers:
        out["headers"] = headers
    if req.get("body") is not None:
        out["body"] = req["body"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mock")
    ap.add_argument("--provider", default="RECORDED-PROVIDER")
    ap.add_argument("--consumer", default="Secret-Manager-Controller")
    ap.add_argument("--keep-header", action="append", default=None)
    ap.add_argument("--all-headers", action="store_true")
    a = ap.parse_args()
    keep = {h.lower() for h in (a.keep_header or ["Content-Type", "X-Amz-Target"])}
    journal = fetch_journal(a.mock)
    interactions, seen, challenges = [], set(), 0
    for entry in journal.get("requests", []):
        if entry.get("outcome") == "challenge":
            challenges += 1
            continue
        if "request" not in entry:
            continue
        request = skeleton(entry, keep, a.all_headers)
        key = json.dumps(request, sort_keys=True)
        if key in seen:  # SDK retries of the same call
            continue
        seen.add(key)
        interactions.append({
            "description": "recorded: %s %s" % (request["method"], request["path"]),
            "request": request,
            "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {}},
        })
    if challenges:
        print("pact-record: %d token-less request(s) answered with the Key Vault challenge (not listed)" % challenges,
              file=sys.stderr)
    json.dump({"consumer": {"name": a.consumer}, "provider": {"name": a.provider}, "interactions": interactions,
               "metadata": {"pactSpecification": {"version": "3.0.0"}}}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
