#pragma once
// Small pacts for the mock-server tests.
#include <string>

namespace pactmocks::mockserver::testing {

inline std::string smallPact(const std::string& provider, const std::string& consumer = "Secret-Manager-Controller",
                             const std::string& description = "get secret test-secret") {
  return R"({
  "consumer": {"name": ")" + consumer + R"("},
  "provider": {"name": ")" + provider + R"("},
  "interactions": [
    {
      "description": ")" + description + R"(",
      "providerStates": [{"name": "secret exists"}],
      "request": {"method": "GET", "path": "/secrets/test-secret", "query": {"api-version": ["7.4"]}},
      "response": {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {"value": "s3cr3t", "id": "fixed"},
        "generators": {"body": {"$.id": {"type": "Uuid"}}}
      }
    },
    {
      "description": "get secret test-secret when it is gone",
      "providerStates": [{"name": "secret deleted"}],
      "request": {"method": "GET", "path": "/secrets/test-secret", "query": {"api-version": ["7.4"]}},
      "response": {"status": 404, "headers": {"Content-Type": "application/json"},
                   "body": {"error": {"code": "SecretNotFound", "message": "gone"}}}
    },
    {
      "description": "set secret test-secret",
      "providerStates": [{"name": "secret exists"}],
      "request": {"method": "PUT", "path": "/secrets/test-secret", "query": {"api-version": ["7.4"]},
                  "headers": {"Content-Type": "application/json"}, "body": {"value": "new"}},
      "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"value": "new"}}
    }
  ],
  "metadata": {"pactSpecification": {"version": "3.0.0"}}
})";
}

// A pact whose first interaction has a hostile description: HTML, quotes, an entity, a control
// character XML forbids, 10 kB, then "END-OF-HOSTILE". As parsed, the description starts with
// kHostileStart, then "\x01". (A pact file cannot hold invalid UTF-8: the parser refuses it;
// request paths can, and the tests send those.)
inline constexpr const char* kHostileStart = "<script>alert(1)</script>\"'&amp;";
inline std::string hostilePact(const std::string& provider, const std::string& consumer = "Secret-Manager-Controller") {
  const std::string marker = "HOSTILE-MARK";
  std::string pact = smallPact(provider, consumer, marker);
  const std::string text = R"(<script>alert(1)</script>\"'&amp;\u0001)" + std::string(10000, 'x') + "END-OF-HOSTILE";
  return pact.replace(pact.find(marker), marker.size(), text);
}

}  // namespace pactmocks::mockserver::testing
