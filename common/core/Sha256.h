#pragma once
#include <array>
#include <string>
#include <string_view>

namespace pactmocks {
using Sha256Digest = std::array<unsigned char, 32>;
// SHA-256 of the bytes.
Sha256Digest sha256(std::string_view data);
// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view data);
}  // namespace pactmocks
