// What the downstream jobs read from dist-git and Bodhi's releases: a branch's dist and
// release, the NVR of a spec, the changelog since the stable build, Packit's notes and bugs.
#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/jobs/bodhi_update.hpp"
#include "core/jobs/dist_git_build.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ferry::core::jobs;
using Strings = std::vector<std::string>;

namespace {

std::string source_file(const std::string& relative) {
  std::ifstream in(std::filesystem::path(FERRY_SOURCE_DIR) / relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<ferry::model::BodhiRelease> recorded_releases() {
  auto page = ferry::clients::fedora::bodhi::parse_releases_page(
      source_file("tests/fixtures/bodhi/releases.json"));
  REQUIRE(page);
  return page->releases;
}

const char* const k_spec = R"(Name:           hello
Version:        1.3.0
Release:        2%{?dist}
Summary:        Hello
License:        MIT

%description
Hello.

%changelog
* Sat Nov 22 2025 Ferry Bot <bot@example.org> - 1.3.0-2
- Rebuilt, resolves: rhbz#2301234

* Fri Nov 21 2025 Ferry Bot <bot@example.org> - 1.3.0-1
- Update to 1.3.0
- Fixes rhbz#2301234 and closes: fedora#1234567

* Mon Sep 01 2025 Ferry Example <ferry@example.org> - 1.2.0-1
- Update to 1.2.0
)";

} // namespace

TEST_CASE("a branch's release comes from Bodhi's releases", "[unit][jobs]") {
  auto releases = recorded_releases();
  BranchRelease f41 = branch_release("f41", releases);
  CHECK(f41.dist == ".fc41");
  CHECK(f41.macros == std::vector<std::pair<std::string, std::string>>{{"fedora", "41"}});
  REQUIRE(f41.bodhi);
  CHECK(f41.bodhi->name == "F41");
  CHECK(f41.bodhi->stable_tag == "f41-updates");
  CHECK_FALSE(f41.automatic_updates);

  BranchRelease rawhide = branch_release("rawhide", releases);
  CHECK(rawhide.dist == ".fc43");
  CHECK(rawhide.automatic_updates); // composed_by_bodhi: false
  CHECK(branch_release("main", releases).dist == ".fc43");
  CHECK(branch_release("f42", releases).automatic_updates); // before Bodhi activation

  BranchRelease epel = branch_release("epel9", releases);
  CHECK(epel.dist == ".el9");
  CHECK(epel.macros ==
        std::vector<std::pair<std::string, std::string>>{{"rhel", "9"}, {"epel", "9"}});
  REQUIRE(epel.bodhi);
  CHECK(epel.bodhi->name == "EPEL-9");

  BranchRelease unknown = branch_release("f39", releases); // no longer in Bodhi
  CHECK(unknown.dist == ".fc39");
  CHECK_FALSE(unknown.bodhi);
  CHECK(branch_release("epel10.1", {}).dist == ".el10_1");
  CHECK(branch_release("private-x", {}).dist.empty());
}

TEST_CASE("the NVR of a spec is the one built for the branch", "[unit][jobs]") {
  auto facts = read_spec_facts(k_spec, "hello.spec", branch_release("f41", recorded_releases()));
  REQUIRE(facts);
  CHECK(facts->nvr == "hello-1.3.0-2.fc41");
  REQUIRE(facts->changelog.size() == 3);
  CHECK(facts->changelog[0].evr == "1.3.0-2");
  CHECK(facts->changelog[1].header == "* Fri Nov 21 2025 Ferry Bot <bot@example.org> - 1.3.0-1");
  CHECK(facts->changelog[1].text == "- Update to 1.3.0\n- Fixes rhbz#2301234 and closes: "
                                    "fedora#1234567");

  std::string autorelease = k_spec;
  autorelease.replace(autorelease.find("2%{?dist}"), 9, "%autorelease");
  auto automatic = read_spec_facts(autorelease, "hello.spec", branch_release("f41", {}));
  REQUIRE(automatic);
  CHECK_FALSE(automatic->nvr); // counted from git history by rpmautospec: Koji tells
  CHECK(automatic->version == "1.3.0");

  auto broken = read_spec_facts("%if\nName: x\n", "x.spec", branch_release("f41", {}));
  CHECK_FALSE(broken);
}

TEST_CASE("the notes hold the changelog since the latest stable build, and its bugs",
          "[unit][jobs]") {
  auto facts = read_spec_facts(k_spec, "hello.spec", branch_release("f41", recorded_releases()));
  REQUIRE(facts);
  auto since = entries_since(*facts, "1.2.0-1.fc41");
  REQUIRE(since.size() == 2);
  CHECK(since[1].evr == "1.3.0-1");
  CHECK(entries_since(*facts, "1.3.0-1.fc41").size() == 1);
  CHECK(entries_since(*facts, "").size() == 1); // unknown: the newest entry only
  CHECK(entries_since(*facts, "1.3.0-2.fc41").empty());

  std::string notes = update_notes(
      {{"hello", "hello-1.3.0-2.fc41", "- Update\n- More"}, {"world", "world-2.0-1.fc41", ""}});
  CHECK(notes == "Automatic update for hello-1.3.0-2.fc41, world-2.0-1.fc41.\n\n"
                 "##### **Changelog for hello**\n\n```\n- Update\n- More\n```");

  CHECK(bugs_in("- Resolves: rhbz#2301234\n- fixes rhbz#2301234, Closes epel#99999 and "
                "fixes rh#12 and mentions rhbz#7777777") == Strings{"2301234", "99999"});
  CHECK(bugs_in(facts->changelog[1].text) == Strings{"2301234", "1234567"});
}

TEST_CASE("bodhi_extra_params become form values as bodhi-client sends them", "[unit][jobs]") {
  auto settings = nlohmann::ordered_json::parse(
      R"({"bodhi_extra_params": {"stable_karma": 2, "autokarma": false, "severity": "low",
                                  "suggest": "reboot", "ignored": [1]}})");
  CHECK(bodhi_extra_params(settings) ==
        std::vector<std::pair<std::string, std::string>>{{"stable_karma", "2"},
                                                         {"autokarma", "False"},
                                                         {"severity", "low"},
                                                         {"suggest", "reboot"}});
  CHECK(bodhi_extra_params(nlohmann::ordered_json::object()).empty());
}
