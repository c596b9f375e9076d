#include "core/spec/spec_editor.hpp"

#include <catch2/catch.hpp>

namespace spec = ferry::core::spec;

TEST_CASE("spec: pre-release suffixes become tilde versions", "[core][spec]") {
  auto tilde = [](std::string_view v) {
    auto r = spec::prerelease_to_tilde(v, std::string(spec::k_default_prerelease_pattern));
    REQUIRE(r);
    return *r;
  };
  CHECK(tilde("1.0.0-rc1") == "1.0.0~rc1");
  CHECK(tilde("2.0beta") == "2.0~beta");
  CHECK(tilde("3.1_alpha.2") == "3.1~alpha.2");
  CHECK(tilde("4.0~rc2") == "4.0~rc2");
  CHECK(tilde("5.0.1") == "5.0.1");
  CHECK(*spec::prerelease_to_tilde("1.0-rc1", std::nullopt) == "1.0-rc1");
  CHECK(!spec::prerelease_to_tilde("1", std::string("(")));
}

TEST_CASE("spec: Release resets keep the existing form", "[core][spec]") {
  CHECK(spec::reset_release_value("3%{?dist}") == "1%{?dist}");
  CHECK(spec::reset_release_value("0.4%{?dist}") == "0.1%{?dist}");
  CHECK(spec::reset_release_value("12") == "1");
  CHECK(spec::reset_release_value("2%{?dist}.1") == "1%{?dist}.1");
  CHECK(!spec::reset_release_value("%{rel}%{?dist}"));
}

TEST_CASE("spec: outside changelog text is made safe and wrapped", "[core][spec]") {
  auto lines =
      spec::format_changelog_items({"100% done, %%kept, %{macro}", "* star\n- dash\nmore"});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "- 100%% done, %%kept, %%{macro}");
  CHECK(lines[1] == "- star");
  CHECK(lines[2] == "- dash more");
}

TEST_CASE("spec: changelog headers carry the weekday and EVR", "[core][spec]") {
  auto header = spec::changelog_header("2025-01-06", "Jane <j@x>", "1:2.0-1");
  REQUIRE(header);
  CHECK(*header == "* Mon Jan 06 2025 Jane <j@x> - 1:2.0-1");
  CHECK(spec::changelog_header("2024-02-29", "J", "1-1").value() == "* Thu Feb 29 2024 J - 1-1");
  for (const char* bad : {"2025-13-01", "2025-02-30", "06.01.2025", "2025-1-6"}) {
    INFO(bad);
    auto r = spec::changelog_header(bad, "J", "1-1");
    REQUIRE(!r);
    CHECK(r.error().kind() == ferry::ErrorKind::usage);
  }
}

TEST_CASE("spec: set-version rejects invalid versions and specs without Version", "[core][spec]") {
  auto file = spec::SpecFile::parse("Name: a\nVersion: 1\nRelease: 1\n", "t.spec");
  REQUIRE(file);
  spec::SetVersionOptions options;
  options.version = "1 2";
  auto bad = spec::set_version(*file, options);
  REQUIRE(!bad);
  CHECK(bad.error().kind() == ferry::ErrorKind::usage);
  auto none = spec::SpecFile::parse("Name: a\n", "t.spec");
  options.version = "2";
  auto missing = spec::set_version(*none, options);
  REQUIRE(!missing);
  CHECK(missing.error().message() == "t.spec: no Version tag in the main spec file");
}

TEST_CASE("spec: setting the same version changes nothing but the changelog", "[core][spec]") {
  auto file = spec::SpecFile::parse("Name: a\nVersion: 1\nRelease: 4\n%description\n%changelog\n",
                                    "t.spec");
  REQUIRE(file);
  spec::SetVersionOptions options;
  options.version = "1";
  options.date = "2025-01-06";
  options.author = "J <j@x>";
  auto result = spec::set_version(*file, options);
  REQUIRE(result);
  CHECK(result->text == "Name: a\nVersion: 1\nRelease: 4\n%description\n%changelog\n"
                        "* Mon Jan 06 2025 J <j@x> - 1-4\n- Update to version 1\n");
  CHECK(!result->release_reset);
}
