#include "clients/fedora/lookaside/sources_file.hpp"

#include <catch2/catch.hpp>

using namespace ferry::clients::fedora::lookaside;

TEST_CASE("sources files are read in the tagged and the old md5 form", "[clients][lookaside]") {
  auto entries = parse_sources("SHA512 (hello-1.0.tar.gz) = ABCDEF01\n"
                               "\n"
                               "d41d8cd98f00b204e9800998ecf8427e  old file.tar.gz\r\n");
  REQUIRE(entries);
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0] == SourceEntry{"sha512", "hello-1.0.tar.gz", "abcdef01"});
  CHECK((*entries)[1] == SourceEntry{"md5", "old file.tar.gz", "d41d8cd98f00b204e9800998ecf8427e"});
  CHECK(parse_sources("")->empty());
}

TEST_CASE("a malformed sources line is reported with its line number", "[clients][lookaside]") {
  auto entries = parse_sources("SHA512 (a.tar.gz) = 00\nthis is not a source\n");
  REQUIRE_FALSE(entries);
  CHECK(entries.error().message().starts_with("sources:2:"));
  CHECK_FALSE(parse_sources("SHA512 (a.tar.gz) = not-hex\n"));
}

TEST_CASE("sources are written in the tagged form with upper-case hash names",
          "[clients][lookaside]") {
  auto text = format_sources({{"sha512", "a-1.tar.gz", "00ff"}, {"sha512", "b.zip", "11"}});
  REQUIRE(text);
  CHECK(*text == "SHA512 (a-1.tar.gz) = 00ff\nSHA512 (b.zip) = 11\n");
  CHECK(parse_sources(*text)->size() == 2);
}

TEST_CASE("names the tagged form cannot hold and mixed hash types are refused",
          "[clients][lookaside]") {
  CHECK_FALSE(format_sources({{"sha512", "a b.tar.gz", "00"}}));
  CHECK_FALSE(format_sources({{"sha512", "a).tar.gz", "00"}}));
  CHECK_FALSE(format_sources({{"sha512", "../x.tar.gz", "00"}}));
  CHECK_FALSE(format_sources({{"sha512", "a", "00"}, {"md5", "b", "11"}}));
}

TEST_CASE("a new archive replaces the line of the same file or is appended",
          "[clients][lookaside]") {
  std::vector<SourceEntry> entries = {{"sha512", "a.tar.gz", "01"}, {"sha512", "b.tar.gz", "02"}};
  auto replaced = with_source(entries, {"sha512", "a.tar.gz", "99"});
  CHECK(replaced[0].hash == "99");
  CHECK(replaced.size() == 2);
  CHECK(with_source(entries, {"sha512", "c.tar.gz", "03"}).size() == 3);
}
