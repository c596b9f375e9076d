// The keytab reader behind logins without kinit: principals from MIT's file format (entries,
// holes left by deleted keys, version 1 counting the realm), and refusals of what is not one.
#include "infra/util/keytab.hpp"

#include <catch2/catch.hpp>

using namespace ferry;

namespace {

std::string u16(std::size_t value) {
  return {static_cast<char>((value >> 8) & 0xff), static_cast<char>(value & 0xff)};
}

std::string u32(std::uint32_t value) {
  return u16(value >> 16) + u16(value & 0xffff);
}

std::string counted(const std::string& text) {
  return u16(text.size()) + text;
}

// One keytab entry (version 0x502 layout) for realm and name components.
std::string entry(const std::string& realm, const std::vector<std::string>& components) {
  std::string body = u16(components.size()) + counted(realm);
  for (const std::string& component : components) {
    body += counted(component);
  }
  body +=
      u32(1) + u32(1700000000) + std::string(1, '\x02') + u16(18) + counted(std::string(32, 'k'));
  return u32(static_cast<std::uint32_t>(body.size())) + body;
}

} // namespace

TEST_CASE("keytab principals are read in order, without duplicates", "[unit][keytab]") {
  std::string hole = u32(static_cast<std::uint32_t>(-12)) + std::string(12, '\0');
  std::string keytab = std::string("\x05\x02", 2) + entry("FEDORAPROJECT.ORG", {"packit"}) + hole +
                       entry("FEDORAPROJECT.ORG", {"packit"}) +
                       entry("FERRY.TEST", {"HTTP", "localhost"});
  auto principals = infra::util::keytab_principals(keytab);
  REQUIRE(principals);
  CHECK(*principals ==
        std::vector<std::string>{"packit@FEDORAPROJECT.ORG", "HTTP/localhost@FERRY.TEST"});
}

TEST_CASE("what is not a keytab is refused with advice", "[unit][keytab]") {
  for (const std::string& bytes :
       {std::string(), std::string("not a keytab"), std::string("\x05\x02", 2),
        std::string("\x05\x02\x00\x00\x01\x00", 6),
        std::string("\x05\x02", 2) + entry("R", {"a"}).substr(0, 9)}) {
    auto principals = infra::util::keytab_principals(bytes);
    REQUIRE_FALSE(principals);
    CHECK(principals.error().kind() == ErrorKind::config);
    CHECK(principals.error().message().find("give the base64 of a file made by ktutil") !=
          std::string::npos);
  }
}
