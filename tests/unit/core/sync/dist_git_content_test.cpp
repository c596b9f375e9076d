// What a release sync writes into dist-git: spec, sources, .gitignore.
#include "core/sync/dist_git_content.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::sync;

namespace {

const char* k_upstream = "Name: hello\nVersion: 1.3.0\nRelease: 1%{?dist}\nSummary: new summary\n"
                         "License: MIT\n\n%description\nHi.\n\n%changelog\n"
                         "* Mon Jan 01 2024 Up Stream <up@example.org> - 0.1-1\n- upstream's own\n";
const char* k_dist_git = "Name: hello\nVersion: 1.2.0\nRelease: 3%{?dist}\nSummary: old summary\n"
                         "License: MIT\n\n%description\nHi.\n\n%changelog\n"
                         "* Mon Sep 01 2025 Packager <p@example.org> - 1.2.0-3\n- rebuilt\n";

} // namespace

TEST_CASE("the upstream spec is synced but dist-git's changelog is kept", "[unit][sync]") {
  auto text = spec_with_dist_git_changelog(k_upstream, k_dist_git, "hello.spec");
  REQUIRE(text);
  CHECK(text->find("Summary: new summary") != std::string::npos);
  CHECK(text->find("- rebuilt") != std::string::npos);
  CHECK(text->find("upstream's own") == std::string::npos);

  SpecUpdate update{"1.3.0",
                    {"Fixes %{lua: os.exit()}", "* a list item"},
                    "Bot <bot@example.org>",
                    "2025-11-22",
                    std::nullopt};
  auto result = update_spec(*text, "hello.spec", update);
  REQUIRE(result);
  CHECK(result->text.find("Release: 1%{?dist}") != std::string::npos);
  CHECK(result->text.find("* Sat Nov 22 2025 Bot <bot@example.org> - 1.3.0-1\n"
                          "- Fixes %%{lua: os.exit()}\n") != std::string::npos);
  CHECK(result->text.find("\n* a list item") == std::string::npos);
}

TEST_CASE("an upstream spec without %changelog gets dist-git's", "[unit][sync]") {
  auto text = spec_with_dist_git_changelog("Name: hello\nVersion: 1\n", k_dist_git, "hello.spec");
  REQUIRE(text);
  CHECK(text->ends_with("%changelog\n* Mon Sep 01 2025 Packager <p@example.org> - 1.2.0-3\n"
                        "- rebuilt\n"));
}

TEST_CASE("release notes become changelog items", "[unit][sync]") {
  auto items =
      changelog_items_from_release_notes("## Highlights\n\n* one\n- two\n  + three\nfour\n");
  CHECK(items == std::vector<std::string>{"Highlights", "one", "two", "three", "four"});
  CHECK(changelog_items_from_release_notes("\n\n").empty());
}

TEST_CASE("sources lists exactly the archives and .gitignore gains each once", "[unit][sync]") {
  auto sources = sources_file_for({{"sha512", "hello-1.3.0.tar.gz", std::string(128, 'a')}});
  REQUIRE(sources);
  CHECK(*sources == "SHA512 (hello-1.3.0.tar.gz) = " + std::string(128, 'a') + "\n");
  CHECK(gitignore_with("", {"a.tar.gz"}) == "/a.tar.gz\n");
  CHECK(gitignore_with("/a.tar.gz\n", {"a.tar.gz", "b.tgz"}) == "/a.tar.gz\n/b.tgz\n");
  CHECK(gitignore_with("a.tar.gz", {"a.tar.gz"}) == "a.tar.gz");
}
