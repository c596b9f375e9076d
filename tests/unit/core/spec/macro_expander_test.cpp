#include "core/spec/expression.hpp"
#include "core/spec/macro_expander.hpp"

#include <catch2/catch.hpp>

namespace spec = ferry::core::spec;

namespace {

struct Fixture {
  spec::MacroTable table;
  spec::MacroExpander expander{table};
  Fixture() { spec::define_default_macros(table, "/src"); }
  std::string expand(std::string_view text) {
    auto result = expander.expand(text);
    REQUIRE(result);
    return *result;
  }
};

} // namespace

TEST_CASE("spec: macros expand with rpm's conditional forms", "[core][spec]") {
  Fixture f;
  f.table.define("name", "hello");
  f.table.define("empty", "");
  CHECK(f.expand("%{name}-%name.tar") == "hello-hello.tar");
  CHECK(f.expand("a%{?name}b%{?nope}c") == "ahellobc");
  CHECK(f.expand("%{?name:yes}%{?nope:no}") == "yes");
  CHECK(f.expand("%{!?nope:dflt}%{!?name:x}") == "dflt");
  CHECK(f.expand("%?name %!?name") == "hello ");
  CHECK(f.expand("100%% %{nope} %nope") == "100% %{nope} %nope");
  CHECK(f.expand("%{expand:%%{name}}") == "hello");
  CHECK(f.expand("%{defined name}%{undefined name}%{defined nope}") == "100");
  CHECK(f.expand("%{?empty:set}") == "set");
}

TEST_CASE("spec: %global expands at definition and %define when used", "[core][spec]") {
  Fixture f;
  CHECK(f.expand("%global a 1\n%define b %{a}\n%global c %{a}\n%global a 2\n") == "\n\n\n\n");
  CHECK(f.expand("%b %c") == "2 1");
  CHECK(f.expand("%undefine a") == "");
  CHECK(f.expand("%a") == "1");
}

TEST_CASE("spec: parametric macros get arguments and options", "[core][spec]") {
  Fixture f;
  CHECK(f.expand("%define pm(ab:) [%{-a} %{-b*} %1 %2 %# %*]") == "");
  CHECK(f.expand("%pm -a -b x one two") == "[-a x one two 2 one two]");
  CHECK(f.expand("%{pm three}") == "[  three %2 1 three]");
  CHECK(f.expand("%{?-a}") == ""); // locals are gone after the call
}

TEST_CASE("spec: %bcond forms define with_ macros", "[core][spec]") {
  Fixture f;
  f.expand("%bcond_without tests\n%bcond_with docs\n%bcond lto 1\n%bcond asan 0\n");
  CHECK(f.expand("%{with tests}%{with docs}%{with lto}%{with asan}%{without docs}") == "10101");
  f.table.define("_with_docs", "1");
  f.expand("%bcond_with docs");
  CHECK(f.expand("%{with docs}") == "1");
}

TEST_CASE("spec: string built-ins and the Lua subset evaluate", "[core][spec]") {
  Fixture f;
  f.table.define("ver", "1.2.3");
  CHECK(f.expand("%{upper:abc}%{lower:DE}%{len:%{ver}}") == "ABCde5");
  CHECK(f.expand("%{sub %{ver} 1 3}|%{gsub %{ver} 2 x}|%{reverse:ab}|%{rep ab 2}") ==
        "1.2|1.x.3|ba|abab");
  CHECK(f.expand(
            "%{basename:/a/b.tar.gz}|%{dirname:/a/b}|%{suffix:b.gz}|%{url2path:https://h/p/q}") ==
        "b.tar.gz|/a|gz|/p/q");
  CHECK(f.expand("%{shrink:  a   b }|%{shescape:it's}") == "a b|'it'\\''s'");
  CHECK(f.expand("%{lua: print(\"v\" .. rpm.expand(\"%{ver}\"))}") == "v1.2.3");
  CHECK(f.expand("%{lua:print(macros.ver)}") == "1.2.3");
  CHECK(f.expand("%[1 + 2 * 3]|%{expr:\"a\" < \"b\"}") == "7|1");
}

TEST_CASE("spec: shell and unsupported Lua stay unevaluated unless shell is opted in",
          "[core][spec]") {
  Fixture f;
  CHECK(f.expand("v%(echo 1)") == "v%(echo 1)");
  CHECK(f.expand("%{lua: for i=1,3 do print(i) end}") == "%{lua: for i=1,3 do print(i) end}");
  REQUIRE(f.expander.unevaluated().size() == 2);
  CHECK(f.expander.unevaluated()[0] == "%(echo 1)");
  f.expander.set_shell_runner([](std::string_view command) -> ferry::Result<std::string> {
    return std::string(command) + "\n";
  });
  CHECK(f.expand("%(x %{?nope:y}z)") == "x z");
}

TEST_CASE("spec: recursive macros fail cleanly instead of hanging", "[core][spec]") {
  Fixture f;
  f.expand("%define a %a\n%define b %{b}%{b}\n%define c %{?c}%{?c}\n%define d %d%d%d%d%d%d%d%d");
  for (const char* text : {"%a", "%b", "%{c}", "%d"}) {
    auto result = f.expander.expand(text);
    INFO(text);
    REQUIRE(!result);
    CHECK(result.error().kind() == ferry::ErrorKind::spec_parse);
  }
  auto unterminated = f.expander.expand("%{name");
  REQUIRE(!unterminated);
  CHECK(unterminated.error().message().starts_with("unterminated %{"));
}

TEST_CASE("spec: %if expressions follow rpm's typing rules", "[core][spec]") {
  auto value = [](std::string_view text) {
    auto v = spec::evaluate_expression(text);
    REQUIRE(v);
    return v->to_string();
  };
  CHECK(value("1 && 2") == "2");
  CHECK(value("0 || 3") == "3");
  CHECK(value("!0") == "1");
  CHECK(value("(2 + 3) * 4 - 1") == "19");
  CHECK(value("42 >= 40 && 42 < 43") == "1");
  CHECK(value("\"fc\" == \"fc\"") == "1");
  CHECK(value("v\"1.10\" > v\"1.9\"") == "1");
  CHECK(value("v\"1.0~rc1\" < v\"1.0\"") == "1");
  CHECK(value("1 ? \"a\" : \"b\"") == "a");
  CHECK(value("-3 + 1") == "-2");
  for (const char* bad : {"", "1 +", "fedora", "1 == \"1\"", "1 / 0", "((1)", "\"a\" - \"b\""}) {
    INFO(bad);
    CHECK(!spec::evaluate_expression(bad));
  }
}
