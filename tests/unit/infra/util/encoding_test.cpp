#include "infra/util/encoding.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra::util;

TEST_CASE("base64 matches the RFC 4648 test vectors", "[infra][util]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_decode("Zm9vYmE=") == "fooba");
  CHECK(base64_decode("Zm9vYmE") == "fooba");
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
}

TEST_CASE("base64 round-trips every byte value", "[infra][util]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  CHECK(base64_decode(base64_encode(bytes)) == bytes);
}

TEST_CASE("percent-encoding keeps only unreserved characters", "[infra][util]") {
  CHECK(percent_encode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(percent_encode("a b/c+d%") == "a%20b%2Fc%2Bd%25");
  CHECK(percent_decode("a%20b%2fc") == "a b/c");
  CHECK_FALSE(percent_decode("bad%2").has_value());
  CHECK_FALSE(percent_decode("bad%zz").has_value());
}

TEST_CASE("hex is lower case, two digits a byte", "[infra][util]") {
  CHECK(to_hex(std::string("\x00\xff\x10", 3)) == "00ff10");
}
