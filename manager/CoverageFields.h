#pragma once
// Tolerant reads of coverage documents (CoverageMerge.h) fetched from other processes: a field
// that is missing or of another type reads as empty, so one odd mock cannot break a page or report.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pactmocks::manager::fields {

inline std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::uint64_t count(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  return it->get<std::int64_t>() < 0 ? 0 : it->get<std::uint64_t>();  // counts built in code are signed
}

inline std::vector<std::string> texts(const nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// The array under `key`, or an empty one.
inline const nlohmann::json& array(const nlohmann::json& object, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

}  // namespace pactmocks::manager::fields
