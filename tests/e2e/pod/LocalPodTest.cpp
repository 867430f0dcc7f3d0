// Unit test of the pure part of LocalPod: reading the curl calls run-local.sh prints.
#include <catch2/catch.hpp>

#include "LocalPod.h"

using pactmocks::testsupport::parseCurlCalls;

TEST_CASE("the printed curl calls are read with their continuation lines", "[e2e][pod]") {
  const std::string output =
      "pact-mocks pod is ready\n"
      "  logs            tail -f /tmp/x/logs/*.log\n"
      "\n"
      "Try:\n"
      "  curl -s http://127.0.0.1:1238/ready\n"
      "  curl -s -X POST http://127.0.0.1:1234/ -H 'Content-Type: application/x-amz-json-1.1' \\\n"
      "       -H 'X-Amz-Target: secretsmanager.GetSecretValue' -d '{\"SecretId\":\"test-secret\"}'\n"
      "  curl -s 'http://127.0.0.1:1236/secrets/test-secret?api-version=7.4'\n"
      "\n"
      "Edit /tmp/x/configmap-src/*.json and run\n"
      "  examples/make-configmap-layout.sh a b\n";
  auto calls = parseCurlCalls(output);
  REQUIRE(calls.size() == 3);
  CHECK(calls[0] == "curl -s http://127.0.0.1:1238/ready");
  CHECK(calls[1] ==
        "curl -s -X POST http://127.0.0.1:1234/ -H 'Content-Type: application/x-amz-json-1.1'  "
        "-H 'X-Amz-Target: secretsmanager.GetSecretValue' -d '{\"SecretId\":\"test-secret\"}'");
  CHECK(calls[2] == "curl -s 'http://127.0.0.1:1236/secrets/test-secret?api-version=7.4'");
  CHECK(parseCurlCalls("no block here\n").empty());
}
