#include <catch2/catch.hpp>

#include "core/Sha256.h"

using pactmocks::sha256Hex;

TEST_CASE("sha256 of the FIPS 180-2 test vectors", "[core][sha256]") {
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256Hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 hashes bytes, including NULs", "[core][sha256]") {
  const std::string withNul("a\0b", 3);
  CHECK(sha256Hex(withNul) != sha256Hex("ab"));
  CHECK(sha256Hex(withNul).size() == 64);
}
