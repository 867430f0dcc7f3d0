#include <catch2/catch.hpp>

#include "core/Base64.h"

using pactmocks::base64Decode;
using pactmocks::base64Encode;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[core][base64]") {
  CHECK(base64Encode("") == "");
  CHECK(base64Encode("f") == "Zg==");
  CHECK(base64Encode("fo") == "Zm8=");
  CHECK(base64Encode("foo") == "Zm9v");
  CHECK(base64Encode("foob") == "Zm9vYg==");
  CHECK(base64Encode("fooba") == "Zm9vYmE=");
  CHECK(base64Encode("foobar") == "Zm9vYmFy");
  CHECK(base64Encode("pact:pact") == "cGFjdDpwYWN0");
}

TEST_CASE("base64 decodes standard and URL-safe text, with or without padding", "[core][base64]") {
  CHECK(base64Decode("Zm9vYmE=") == std::optional<std::string>("fooba"));
  CHECK(base64Decode("Zm9vYmE") == std::optional<std::string>("fooba"));
  CHECK(base64Decode("Zm9v\nYmFy") == std::optional<std::string>("foobar"));
  CHECK(base64Decode("-_-_") == base64Decode("+/+/"));
  const std::string binary("\x00\xff\x10", 3);
  CHECK(base64Decode(base64Encode(binary)) == std::optional<std::string>(binary));
}

TEST_CASE("base64 rejects characters outside the alphabets", "[core][base64]") {
  CHECK_FALSE(base64Decode("Zm9v*YmFy").has_value());
  CHECK_FALSE(base64Decode("Zm9v YmFy!").has_value());
}
