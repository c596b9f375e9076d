// Golden tests of spec editing: tests/fixtures/specs/<case>.in.spec edited as the table says
// must equal <case>.expected.spec byte for byte. FERRY_UPDATE_GOLDEN=1 rewrites the expected
// files (review the diff before committing them).
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_io.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
namespace spec = ferry::core::spec;

const fs::path k_fixtures = fs::path(FERRY_SOURCE_DIR) / "tests" / "fixtures" / "specs";

struct GoldenCase {
  const char* name;
  const char* version;
  std::vector<std::string> entries;
  std::vector<std::pair<std::string, std::string>> defines;
  bool reset_release = true;
};

spec::SetVersionOptions options_for(const GoldenCase& c, const fs::path& path) {
  spec::SetVersionOptions options;
  options.version = c.version;
  options.changelog_entry = c.entries;
  options.reset_release = c.reset_release;
  options.author = "Ferry Test <ferry@example.com>";
  options.date = "2025-01-06";
  options.eval = spec::disk_eval_options(path);
  options.eval.defines = c.defines;
  return options;
}

void check_golden(const std::string& name, const std::string& actual) {
  fs::path expected_path = k_fixtures / (name + ".expected.spec");
  if (std::getenv("FERRY_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
  }
  auto expected = spec::read_text_file(expected_path);
  REQUIRE(expected);
  CHECK(actual == *expected);
}

} // namespace

TEST_CASE("spec: set-version edits match the golden files byte for byte", "[core][spec]") {
  const GoldenCase cases[] = {
      {"plain", "1.1", {}, {}},
      {"macro_version", "1.3", {}, {}},
      {"macro_chain", "1.2.4", {}, {}},
      {"macro_composite", "1.5.0", {}, {}},
      {"no_release_reset", "1.1", {"Keep the release"}, {}, false},
      {"prerelease", "2.0.0-rc1", {}, {}},
      {"autorelease", "4.2", {}, {}},
      {"conditional_version", "0.2.0", {}, {}},
      {"conditional_changelog", "2.1", {}, {}},
      {"conditional_autochangelog", "2.1", {}, {{"autorelease", "1%{?dist}"}}},
      {"includes", "0.2", {}, {}},
      {"no_trailing_newline", "3.1", {}, {}},
      {"crlf", "1.1", {}, {}},
      {"empty_changelog", "2", {}, {}},
      {"odd_spacing", "1.0", {}, {}},
      {"changelog_sanitize",
       "1.1",
       {"Fix 100% CPU usage in %{name} when %%escaped",
        "* Star item\n* another star item\n  continued here",
        "A very long changelog line that goes on and on well past the eighty column limit of a "
        "spec "
        "changelog so it must wrap"},
       {}},
  };
  for (const GoldenCase& c : cases) {
    SECTION(c.name) {
      fs::path input = k_fixtures / (std::string(c.name) + ".in.spec");
      auto file = spec::load_spec_file(input);
      REQUIRE(file);
      auto edited = spec::set_version(*file, options_for(c, input));
      REQUIRE(edited);
      check_golden(c.name, edited->text);
    }
  }
}

TEST_CASE("spec: Source and Patch tags are set, added and removed in place", "[core][spec]") {
  fs::path input = k_fixtures / "sources_edit.in.spec";
  auto file = spec::load_spec_file(input);
  REQUIRE(file);
  auto options = spec::disk_eval_options(input);
  auto info = spec::evaluate_spec(*file, options);
  REQUIRE(info);
  auto text = spec::set_source_url(*file, *info, false, 0,
                                   "https://example.com/new/%{name}-%{version}.tar.xz");
  REQUIRE(text);
  auto step = [&](auto edit) {
    auto reparsed = spec::SpecFile::parse(*text, input.string());
    REQUIRE(reparsed);
    auto reinfo = spec::evaluate_spec(*reparsed, options);
    REQUIRE(reinfo);
    text = edit(*reparsed, *reinfo);
    REQUIRE(text);
  };
  step([](auto& f, auto& i) { return spec::add_source(f, i, false, "extra-data.tar.gz"); });
  step([](auto& f, auto& i) { return spec::add_source(f, i, true, "fix-build.patch"); });
  step([](auto& f, auto& i) { return spec::add_source(f, i, true, "fix-tests.patch"); });
  step([](auto& f, auto& i) { return spec::remove_source(f, i, true, 0); });
  check_golden("sources_edit", *text);

  auto missing = spec::remove_source(*file, *info, false, 7);
  REQUIRE(!missing);
  CHECK(missing.error().message() == input.string() + ": no Source7 tag in the main spec file");
}
