#!/usr/bin/env python3
"""boto3 (Debian's python3-boto3) against the AWS mock, configured as docs/controller-pact-mode.md says.

Prints one "PASS|FAIL aws-boto3 <check> <detail>" line per check; exit 1 when any failed.
Usage: boto3_e2e.py ENDPOINT_URL [--record]
"""
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

SECRET, VALUE, VALUE_V2 = "test-secret", "s3cr3t-value", "s3cr3t-value-v2"
failures = 0
record = "--record" in sys.argv
endpoint = [a for a in sys.argv[1:] if not a.startswith("--")][0]
fault_headers = {}


def report(name, ok, detail):
    global failures
    if not ok:
        failures += 1
    print("%s aws-boto3 %s %s" % ("PASS" if ok else "FAIL", name, " ".join(str(detail).split())[:600]), flush=True)


def check(name, fn):
    started = time.monotonic()
    try:
        detail = fn()
        report(name, True, "%s (%d ms)" % (detail or "", (time.monotonic() - started) * 1000))
    except Exception as e:  # noqa: BLE001 - every failure is reported, the run goes on
        if record:
            report(name, True, "recorded (%s)" % e)
        else:
            report(name, False, "%s: %s" % (type(e).__name__, e))


def expect_client_error(call, classify):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return classify(e)
    raise AssertionError("expected an error but the call succeeded")


client = boto3.client(
    "secretsmanager",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="AKIAPACTMOCKS000000",
    aws_secret_access_key="pact-mode-secret-key",
    config=botocore.config.Config(retries={"mode": "standard"}),
)


def add_fault_headers(request, **_):
    for k, v in fault_headers.items():
        request.headers[k] = v


client.meta.events.register("before-send.secretsmanager.*", add_fault_headers)


def create():
    out = client.create_secret(Name=SECRET, SecretString=VALUE)
    assert out["Name"] == SECRET and out["ARN"], out
    return out["ARN"]


def get():
    out = client.get_secret_value(SecretId=SECRET)
    assert out["SecretString"] == VALUE, out
    assert out["CreatedDate"].year >= 2020, out["CreatedDate"]
    return "SecretString=" + out["SecretString"]


def put():
    out = client.put_secret_value(SecretId=SECRET, SecretString=VALUE_V2)
    assert "AWSCURRENT" in out["VersionStages"], out
    return out["VersionId"]


def describe():
    out = client.describe_secret(SecretId=SECRET)
    assert out["Name"] == SECRET, out
    return "LastChangedDate=%s" % out["LastChangedDate"].isoformat()


def delete():
    out = client.delete_secret(SecretId=SECRET, RecoveryWindowInDays=7)
    return "DeletionDate=%s" % out["DeletionDate"].isoformat()


def not_found():
    def classify(e):
        code = e.response["Error"]["Code"]
        assert code == "ResourceNotFoundException", code
        assert isinstance(e, client.exceptions.ResourceNotFoundException), type(e)
        return code
    return expect_client_error(lambda: client.get_secret_value(SecretId="missing"), classify)


def faulted(headers, status, code=None):
    def run():
        fault_headers.update(headers)
        try:
            def classify(e):
                meta = e.response["ResponseMetadata"]
                assert meta["HTTPStatusCode"] == status, meta
                assert code is None or e.response["Error"]["Code"] == code, e.response["Error"]
                assert meta.get("RetryAttempts", 0) >= 1, meta
                return "%s after %d retries" % (e.response["Error"]["Code"], meta["RetryAttempts"])
            return expect_client_error(lambda: client.get_secret_value(SecretId=SECRET), classify)
        finally:
            fault_headers.clear()
    return run


def no_match():
    def classify(e):
        assert e.response["Error"]["Code"] == "PactRequestMismatch", e.response["Error"]
        assert "No matching interaction found" in str(e), str(e)
        return str(e)[:160]
    return expect_client_error(lambda: client.get_secret_value(SecretId=SECRET, VersionStage="AWSPENDING"), classify)


for name, fn in [("CreateSecret", create), ("GetSecretValue", get), ("PutSecretValue", put),
                 ("DescribeSecret", describe), ("DeleteSecret", delete)]:
    check(name, fn)
if not record:
    check("not-found", not_found)
    check("throttling-retried", faulted({"X-Rate-Limit": "true", "X-Rate-Limit-Retry-After": "0"}, 429,
                                        "ThrottlingException"))
    check("unavailable-retried", faulted({"X-Service-Unavailable": "true"}, 503))
    check("no-match-reason", no_match)
print("SUMMARY failures=%d" % failures)
sys.exit(1 if failures else 0)
