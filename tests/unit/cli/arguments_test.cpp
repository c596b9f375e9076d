#include "cli/arguments.hpp"

#include <catch2/catch.hpp>

#include <array>

using namespace ferry::cli;

namespace {

constexpr std::array<OptionSpec, 3> k_options = {{
    {"define", "'NAME VALUE'", "define a macro", true},
    {"date", "YYYY-MM-DD", "entry date"},
    {"no-release-reset", "", "keep Release"},
}};
constexpr std::array<PositionalSpec, 2> k_positionals = {{
    {"FILE", "the spec"},
    {"VERSION", "new version", true},
}};

ferry::Result<ParsedArguments> parse(std::initializer_list<std::string_view> args) {
  std::vector<std::string_view> list(args);
  return parse_arguments(list, k_options, k_positionals);
}

} // namespace

TEST_CASE("options take values in both spellings and may repeat when declared so", "[cli]") {
  auto parsed = parse({"a.spec", "--define", "x 1", "--define=y 2", "--date=2026-01-02", "1.0"});
  REQUIRE(parsed);
  CHECK(parsed->values("define") == std::vector<std::string>{"x 1", "y 2"});
  CHECK(parsed->value_or("date", "") == "2026-01-02");
  CHECK(parsed->positionals() == std::vector<std::string>{"a.spec", "1.0"});
  CHECK_FALSE(parsed->has("no-release-reset"));
}

TEST_CASE("a value that looks like an option is taken as the value", "[cli]") {
  auto parsed = parse({"a.spec", "--date", "--no-release-reset"});
  REQUIRE(parsed);
  CHECK(parsed->value_or("date", "") == "--no-release-reset");
}

TEST_CASE("usage errors name the argument at fault", "[cli]") {
  CHECK(parse({"a.spec", "--colour"}).error().message() == "unknown option '--colour'");
  CHECK(parse({"a.spec", "--date"}).error().message() ==
        "option '--date' needs a value (YYYY-MM-DD)");
  CHECK(parse({"a.spec", "--date=1", "--date=2"}).error().message() ==
        "option '--date' given more than once");
  CHECK(parse({"a.spec", "--no-release-reset=yes"}).error().message() ==
        "option '--no-release-reset' takes no value");
  CHECK(parse({}).error().message() == "missing FILE argument");
  CHECK(parse({"a", "b", "c"}).error().message() == "unexpected argument 'c'");
  CHECK(parse({"a", "-x"}).error().kind() == ferry::ErrorKind::usage);
}

TEST_CASE("after -- everything is positional", "[cli]") {
  auto parsed = parse({"--", "--odd-file-name.spec"});
  REQUIRE(parsed);
  CHECK(parsed->positionals() == std::vector<std::string>{"--odd-file-name.spec"});
}

TEST_CASE("help text lists positionals and options aligned", "[cli]") {
  std::string help = format_option_help(k_options, k_positionals);
  CHECK(help.find("  FILE") != std::string::npos);
  CHECK(help.find("  --define 'NAME VALUE'   define a macro") != std::string::npos);
}
