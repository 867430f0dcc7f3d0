#include "pact/Pact.h"

namespace pactmocks::pact {

std::string toString(SpecVersion v) {
  switch (v) {
    case SpecVersion::V1: return "1.0.0";
    case SpecVersion::V1_1: return "1.1.0";
    case SpecVersion::V2: return "2.0.0";
    case SpecVersion::V3: return "3.0.0";
    case SpecVersion::V4: return "4.0";
  }
  return "unknown";
}

}  // namespace pactmocks::pact
