// Fuzzes the pact file parser with arbitrary bytes (seeded with the example pacts and the
// pact-spec cases). Anything but a Pact or a PactParseError is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pact/PactParser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto pact = pactmocks::pact::parsePact(text, "fuzz.json");
    std::size_t touched = 0;  // walk the model so ASan sees every string it holds
    for (const auto& interaction : pact.interactions) {
      touched += interaction.description.size() + interaction.request.path.size() + interaction.request.method.size();
    }
    volatile std::size_t sink = touched;
    (void)sink;
  } catch (const pactmocks::pact::PactParseError& e) {
    if (e.source() != "fuzz.json") __builtin_trap();  // errors must name their source
  }
  return 0;
}
