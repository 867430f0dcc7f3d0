#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pactmocks {
using Sha256Digest = std::array<unsigned char, 32>;

// SHA-256 of bytes given in pieces (a file read by chunks).
class Sha256 {
 public:
  void update(std::string_view data);
  Sha256Digest finish();  // the digest of everything given; the object is spent

 private:
  std::array<std::uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<unsigned char, 64> block_{};
  std::size_t blockFill_ = 0;
  std::uint64_t length_ = 0;
};

// SHA-256 of the bytes.
Sha256Digest sha256(std::string_view data);
// Lower-case hex of a digest, and the lower-case hex SHA-256 of the bytes.
std::string toHex(const Sha256Digest& digest);
std::string sha256Hex(std::string_view data);
}  // namespace pactmocks
