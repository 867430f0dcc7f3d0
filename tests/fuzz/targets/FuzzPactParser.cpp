// Fuzzes the pact file parser with arbitrary bytes (seeded with the example pacts, the default
// contracts and pacts built from the pact-spec cases). A pact that parses then goes the way a
// mock server takes it: indexed, each interaction's own example request matched against the
// index, and the matched response built with its generators (regex generators included).
// Anything but a Pact or a PactParseError is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/Message.h"
#include "pact/InteractionIndex.h"
#include "pact/PactParser.h"
#include "pact/ResponseBuilder.h"

namespace {

using namespace pactmocks;

std::string encodePath(const std::string& path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    out += http::percentEncodeSegment(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

// The request an interaction describes, as a client would send it.
http::Request exampleRequest(const pact::RequestSpec& spec) {
  http::Request r;
  r.method = spec.method;
  r.path = encodePath(spec.path);
  for (const auto& [name, values] : spec.query->params) {
    for (const auto& v : values) {
      if (!r.query.empty()) r.query += '&';
      r.query += http::percentEncodeSegment(name) + "=" + http::percentEncodeSegment(v);
    }
  }
  r.target = r.query.empty() ? r.path : r.path + "?" + r.query;
  for (const auto& [name, value] : spec.headers) r.headers.add(name, value);
  if (spec.body.present) {
    r.body = spec.body.value.is_string() && !spec.body.isJson
                 ? spec.body.value.get<std::string>()
                 : spec.body.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    std::vector<pact::Pact> pacts;
    pacts.push_back(pact::parsePact(text, "fuzz.json"));
    const pact::InteractionIndex index(std::move(pacts));
    const pact::GeneratorContext context{nullptr, 1234};
    for (const auto& interaction : index.pacts().front()->interactions) {
      const auto request = exampleRequest(interaction.request);
      const auto outcome = index.match(request);
      if (outcome.matched) {
        const auto response = pact::buildResponse(*outcome.matched, context);
        if (response.status < 100 || response.status > 599) __builtin_trap();
      }
    }
  } catch (const pact::PactParseError& e) {
    if (e.source() != "fuzz.json") __builtin_trap();  // errors must name their source
  }
  return 0;
}
