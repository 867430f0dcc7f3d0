#pragma once
#include <string>
#include <string_view>

namespace pactmocks {
// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view data);
}  // namespace pactmocks
