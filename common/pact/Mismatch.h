#pragma once
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pactmocks::pact {

// One reason a request does not match an interaction, as data.
struct Mismatch {
  enum class Kind { Method, Path, Query, Header, Body, BodyType };
  Kind kind;
  std::string location;  // e.g. "$.body.name", "query.page", "header.Content-Type", "path"
  std::string expected;
  std::string actual;
  std::string reason;    // human text, e.g. "Expected 'abc' to match regex '\\d+'"

  std::string describe() const;  // one line for logs and the 500 report
};

nlohmann::json toJson(const Mismatch& m);

}  // namespace pactmocks::pact
