#include "infra/util/text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace ferry::infra::util;

namespace {

// "’" (U+2019) is three bytes; "€" three; "𝄞" (U+1D11E) four.
const std::string k_quoted = "‘main’ was not declared";

} // namespace

TEST_CASE("shorten_front keeps the first characters and marks the cut", "[infra][util][text]") {
  CHECK(shorten_front("hello", 5) == "hello");
  CHECK(shorten_front("hello", 4) == "hel…");
  CHECK(shorten_front("hello", 1) == "…");
  CHECK(shorten_front("hello", 0) == "");
  CHECK(shorten_front("", 3) == "");
  // Counted in characters, not bytes: 23 characters, 29 bytes.
  CHECK(shorten_front(k_quoted, 23) == k_quoted);
  CHECK(shorten_front(k_quoted, 6) == "‘main…");
  CHECK(shorten_front("𝄞𝄞𝄞", 2) == "𝄞…");
}

TEST_CASE("shorten_back keeps the last characters and marks the cut", "[infra][util][text]") {
  CHECK(shorten_back("hello", 5) == "hello");
  CHECK(shorten_back("hello", 4) == "…llo");
  CHECK(shorten_back("hello", 1) == "…");
  CHECK(shorten_back("hello", 0) == "");
  CHECK(shorten_back(k_quoted, 23) == k_quoted);
  CHECK(shorten_back("€€€€", 3) == "…€€");
  CHECK(shorten_back("𝄞𝄞𝄞", 2) == "…𝄞");
}

TEST_CASE("every cut of multi-byte text is valid UTF-8", "[infra][util][text]") {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "’€𝄞x";
  }
  for (std::size_t n = 0; n <= 210; ++n) {
    INFO(n);
    std::string front = shorten_front(text, n);
    std::string back = shorten_back(text, n);
    CHECK(valid_utf8(front) == front);
    CHECK(valid_utf8(back) == back);
    CHECK(character_count(front) == std::min<std::size_t>(n, 200));
    CHECK(character_count(back) == std::min<std::size_t>(n, 200));
  }
}

TEST_CASE("valid_utf8 replaces each invalid byte with U+FFFD", "[infra][util][text]") {
  const std::string r = "\xEF\xBF\xBD";
  CHECK(valid_utf8("plain ascii\n") == "plain ascii\n");
  CHECK(valid_utf8(k_quoted) == k_quoted);
  CHECK(valid_utf8("a\xE2\x80") == "a" + r + r);          // a truncated "’"
  CHECK(valid_utf8("\x80x") == r + "x");                  // a stray continuation byte
  CHECK(valid_utf8("\xC0\xAF") == r + r);                 // an overlong '/'
  CHECK(valid_utf8("\xED\xA0\x80") == r + r + r);         // a UTF-16 surrogate
  CHECK(valid_utf8("\xF4\x90\x80\x80") == r + r + r + r); // beyond U+10FFFF
  CHECK(valid_utf8("\xFF") == r);
  CHECK(valid_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3)); // NUL is valid UTF-8
}

TEST_CASE("shortening repairs invalid input too", "[infra][util][text]") {
  CHECK(shorten_front("ab\xE2\x80", 10) == "ab\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(shorten_back("\x80\x80xyz", 3) == "…yz");
}

TEST_CASE("without_control_characters keeps newlines and tabs only", "[infra][util][text]") {
  CHECK(without_control_characters(std::string("a\0b\x1b[31mc\x7f\r\n\td", 14)) == "ab[31mc\n\td");
  CHECK(without_control_characters(k_quoted) == k_quoted);
}

TEST_CASE("character_count counts code points, an invalid byte as one", "[infra][util][text]") {
  CHECK(character_count("") == 0);
  CHECK(character_count("abc") == 3);
  CHECK(character_count(k_quoted) == 23);
  CHECK(character_count("𝄞\x80") == 2);
}

TEST_CASE("strip_whitespace leaves what Python's str.strip() leaves", "[infra][util][text]") {
  CHECK(strip_whitespace("Body line\n<!-- marker -->\n") == "Body line\n<!-- marker -->");
  CHECK(strip_whitespace(" \t\r\n\v\fT2  ") == "T2");
  CHECK(strip_whitespace("inner  spaces stay") == "inner  spaces stay");
  CHECK(strip_whitespace(" \n\t ").empty());
  CHECK(strip_whitespace("").empty());
}
