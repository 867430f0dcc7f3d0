#include "pact/Pact.h"

#include <algorithm>

#include "http/Message.h"

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

std::string_view contentTypeOf(const Body& body, const std::vector<std::pair<std::string, std::string>>& headers) {
  if (!body.contentType().empty()) return body.contentType();
  for (const auto& [name, value] : headers)
    if (http::iequals(name, "Content-Type")) return value;
  return {};
}

const std::vector<std::string>* QuerySpec::find(std::string_view name) const {
  auto it = std::lower_bound(params.begin(), params.end(), name,
                             [](const auto& param, std::string_view n) { return param.first < n; });
  return it != params.end() && it->first == name ? &it->second : nullptr;
}

void InteractionList::relayout(std::size_t from) {
  from = std::min(from, items_.size());
  // Every copy is made before any original goes, so that no copy reuses an original's scattered
  // holes: the copies come from the space the element trees freed, one interaction after another.
  Items copies;
  copies.reserve(items_.size() - from);
  for (std::size_t i = from; i < items_.size(); ++i)
    copies.push_back(items_[i].use_count() == 1 ? std::make_shared<Interaction>(*items_[i]) : items_[i]);
  std::move(copies.begin(), copies.end(), items_.begin() + static_cast<std::ptrdiff_t>(from));
}

}  // namespace pactmocks::pact
