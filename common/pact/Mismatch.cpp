#include "pact/Mismatch.h"

#include <nlohmann/json.hpp>

namespace pactmocks::pact {

namespace {
const char* kindName(Mismatch::Kind k) {
  switch (k) {
    case Mismatch::Kind::Method: return "method";
    case Mismatch::Kind::Path: return "path";
    case Mismatch::Kind::Query: return "query";
    case Mismatch::Kind::Header: return "header";
    case Mismatch::Kind::Body: return "body";
    case Mismatch::Kind::BodyType: return "body-type";
  }
  return "unknown";
}
}  // namespace

std::string Mismatch::describe() const {
  std::string out = location.empty() ? std::string(kindName(kind)) : location;
  out += ": ";
  out += reason;
  return out;
}

nlohmann::json toJson(const Mismatch& m) {
  return nlohmann::json{{"type", kindName(m.kind)}, {"location", m.location}, {"expected", m.expected},
                        {"actual", m.actual}, {"reason", m.reason}};
}

}  // namespace pactmocks::pact
