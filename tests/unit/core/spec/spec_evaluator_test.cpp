#include "core/spec/spec_evaluator.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace spec = ferry::core::spec;

namespace {

spec::SpecInfo evaluate(std::string text, spec::EvalOptions options = {}) {
  auto file = spec::SpecFile::parse(std::move(text), "t.spec");
  REQUIRE(file);
  auto info = spec::evaluate_spec(*file, options);
  REQUIRE(info);
  return std::move(*info);
}

} // namespace

TEST_CASE("spec: name, epoch, version, release and sources evaluate like rpmspec", "[core][spec]") {
  spec::EvalOptions options;
  options.defines = {{"dist", ".fc42"}, {"fedora", "42"}};
  auto info = evaluate(
      "%global ver 2.1\n%if 0%{?fedora} >= 40\n%global rel 3\n%else\n%global rel 9\n%endif\n"
      "Name: demo\nEpoch: 1\nVersion: %{ver}\nRelease: %{rel}%{?dist}\n"
      "URL: https://example.com\nSource: %{url}/%{name}-%{version}.tar.gz\n"
      "Source5: extra.txt\nSource: more.txt\nPatch: a.patch\n%ifarch x86_64\nPatch9: "
      "x.patch\n%endif\n"
      "%description\nd\n%sourcelist\nlisted.tar\n%patchlist\nlisted.patch\n"
      "%changelog\n* Mon Jan 06 2025 A <a@b> - 1:2.1-3\n- x\n\n* Sun Jan 05 2025 A <a@b> - "
      "1:2.0-1\n- y\n",
      options);
  CHECK(info.name == "demo");
  CHECK(info.epoch == "1");
  CHECK(info.version == "2.1");
  CHECK(info.release == "3.fc42");
  REQUIRE(info.sources.size() == 4);
  CHECK(info.sources[0].url == "https://example.com/demo-2.1.tar.gz");
  CHECK(info.sources[0].filename == "demo-2.1.tar.gz");
  CHECK(info.sources[1].number == 5);
  CHECK(info.sources[2].number == 6);
  CHECK(info.sources[3].number == 7);
  CHECK(info.sources[3].url == "listed.tar");
  REQUIRE(info.patches.size() == 3);
  CHECK(info.patches[1].number == 9);
  CHECK(info.patches[2].number == 10);
  CHECK(info.changelog_entries == 2);
  CHECK(!info.autorelease);
  CHECK(info.unevaluated.empty());
}

TEST_CASE("spec: command-line defines and %autorelease/%autochangelog are reported",
          "[core][spec]") {
  spec::EvalOptions options;
  options.defines = {{"autorelease", "1%{?dist}"}};
  auto info = evaluate(
      "Name: a\nVersion: 1\nRelease: %autorelease\n%description\n%changelog\n%autochangelog\n",
      options);
  CHECK(info.release == "1");
  CHECK(info.autorelease);
  CHECK(info.autochangelog);
  CHECK(info.changelog_entries == 0);
}

TEST_CASE("spec: shell expansions in reported fields are listed as unevaluated", "[core][spec]") {
  auto info =
      evaluate("%global commit abcdef\n%global short %(c=%{commit}; echo ${c:0:7})\n"
               "Name: a\nVersion: 1^git%{short}\nRelease: 1\n%if %(test -f x && echo 1 || echo 0)\n"
               "Source0: never\n%endif\n");
  CHECK(info.version == "1^git%(c=%{commit}; echo ${c:0:7})");
  REQUIRE(info.unevaluated.size() == 3);
  CHECK(info.unevaluated[0] == "t.spec:4: %(c=%{commit}; echo ${c:0:7})");
  CHECK(info.unevaluated[2].starts_with("t.spec:6: condition taken as false"));
  CHECK(info.sources.empty());
}

TEST_CASE("spec: %include reads files relative to the spec and a missing one is an error",
          "[core][spec]") {
  std::map<std::string, std::string> files = {{"/d/parts.inc", "Version: 7\nSource3: inc.tgz\n"}};
  spec::EvalOptions options;
  options.spec_dir = "/d";
  options.read_file = [&](std::string_view path) -> ferry::Result<std::string> {
    auto it = files.find(std::string(path));
    if (it == files.end()) {
      return ferry::fail(ferry::ErrorKind::io, std::string(path) + ": No such file or directory");
    }
    return it->second;
  };
  auto info = evaluate("Name: a\nSource1: parts.inc\n%include %{SOURCE1}\nRelease: 1\n", options);
  CHECK(info.version == "7");
  REQUIRE(info.sources.size() == 2);
  CHECK(info.sources[1].number == 3);
  CHECK(!info.version_tag); // lives in the include, not editable in the main file

  auto file = spec::SpecFile::parse("Name: a\n\n%include missing.inc\n", "t.spec");
  REQUIRE(file);
  auto missing = spec::evaluate_spec(*file, options);
  REQUIRE(!missing);
  CHECK(missing.error().message() ==
        "t.spec:3: cannot %include missing.inc: /d/missing.inc: No such file or directory");
}

TEST_CASE("spec: a bad %if expression is an error naming file and line", "[core][spec]") {
  auto file = spec::SpecFile::parse("Name: a\n%if fedora\n%endif\n", "t.spec");
  REQUIRE(file);
  auto result = spec::evaluate_spec(*file, {});
  REQUIRE(!result);
  CHECK(result.error().message().starts_with("t.spec:2: bare words"));
}
