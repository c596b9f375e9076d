#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/config/aliases.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

namespace {

using ferry::core::config::Aliases;
using Strings = std::vector<std::string>;

// The recorded Bodhi answer: F40, F41 current; F42 branched; F43 Rawhide; EPEL 8, 9, 10.0.
Aliases recorded_aliases() {
  auto page = ferry::clients::fedora::bodhi::parse_releases_page(
      ferry::testing::read_file_text(ferry::testing::fixture_path("bodhi/releases.json")));
  REQUIRE(page);
  return Aliases::from_releases(page->releases);
}

Strings branches(const Aliases& aliases, Strings names) {
  auto result = aliases.dist_git_branches(names, "rawhide");
  REQUIRE(result);
  return *result;
}

} // namespace

TEST_CASE("Fedora aliases resolve to dist-git branches from Bodhi's releases",
          "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  CHECK(branches(aliases, {"fedora-all"}) == Strings{"f40", "f41", "f42", "rawhide"});
  CHECK(branches(aliases, {"fedora-stable"}) == Strings{"f40", "f41"});
  CHECK(branches(aliases, {"fedora-development"}) == Strings{"f42", "rawhide"});
  CHECK(branches(aliases, {"fedora-latest"}) == Strings{"f42"});
  CHECK(branches(aliases, {"fedora-latest-stable"}) == Strings{"f41"});
  CHECK(branches(aliases, {"fedora-branched"}) == Strings{"f40", "f41", "f42"});
  CHECK(branches(aliases, {"fedora-rawhide"}) == Strings{"rawhide"});
  CHECK(branches(aliases, {"rawhide"}) == Strings{"rawhide"});
}

TEST_CASE("EPEL aliases ignore EPEL Next and distinguish leading minors",
          "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  CHECK(branches(aliases, {"epel-all"}) == Strings{"epel8", "epel9", "epel10"});
  CHECK(branches(aliases, {"epel-10"}) == Strings{"epel10"});
  CHECK(branches(aliases, {"epel-10-all"}) == Strings{"epel10"});
  CHECK(branches(aliases, {"epel-10-branched"}).empty());
  CHECK(branches(aliases, {"epel-9", "epel9"}) == Strings{"epel9"});
}

TEST_CASE("Release names normalise, other names are kept verbatim", "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  CHECK(branches(aliases, {"fedora-41", "f41", "c9s", "main"}) == Strings{"f41", "c9s", "main"});
  CHECK(branches(aliases, {"fedora-rawhide"}) == Strings{"rawhide"});
  auto eol = aliases.resolve("fedora-38");
  REQUIRE(eol);
  CHECK(eol->verbatim == "fedora-38");
  CHECK(eol->note.find("not an active release") != std::string::npos);
}

TEST_CASE("Rawhide maps to the repository's default branch", "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  CHECK(branches(aliases, {"fedora-all"}).back() == "rawhide");
  auto main = aliases.dist_git_branches(Strings{"fedora-rawhide"}, "main");
  REQUIRE(main);
  CHECK(*main == Strings{"main"});
}

TEST_CASE("An unknown alias is an error with the nearest alias", "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  auto result = aliases.dist_git_branches(Strings{"fedora-stabel"}, "rawhide");
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ferry::ErrorKind::config);
  CHECK(result.error().message() == "unknown alias 'fedora-stabel': not a Fedora/EPEL alias nor "
                                    "an active release (did you mean 'fedora-stable'?)");
}

TEST_CASE("During the branching window the older Rawhide claimant becomes its own branch",
          "[core][config][aliases]") {
  std::vector<ferry::model::BodhiRelease> releases{
      {"F41", "Fedora 41", "41", "current", "f41", "FEDORA"},
      {"F42", "Fedora 42", "42", "pending", "rawhide", "FEDORA"},
      {"F43", "Fedora 43", "43", "pending", "rawhide", "FEDORA"},
      {"ELN", "Fedora ELN", "eln", "pending", "eln", "FEDORA"},
      {"F40", "Fedora 40", "40", "archived", "f40", "FEDORA"},
      {"F42C", "Fedora 42 Containers", "42", "pending", "f42", "FEDORA-CONTAINER"},
  };
  Aliases aliases = Aliases::from_releases(releases);
  CHECK(branches(aliases, {"fedora-all"}) == Strings{"f41", "f42", "rawhide"});
  CHECK(branches(aliases, {"fedora-latest"}) == Strings{"f42"});
}

TEST_CASE("Targets become chroots with an architecture", "[core][config][aliases]") {
  Aliases aliases = recorded_aliases();
  auto chroots = aliases.chroots(
      Strings{"fedora-stable-aarch64", "fedora-rawhide", "epel-10", "centos-stream-9-x86_64"});
  REQUIRE(chroots);
  CHECK(*chroots == Strings{"fedora-40-aarch64", "fedora-41-aarch64", "fedora-rawhide-x86_64",
                            "epel-10-x86_64", "centos-stream-9-x86_64"});
}

TEST_CASE("Koji targets are rawhide or the branch's candidate tag", "[core][config][aliases]") {
  CHECK(Aliases::koji_targets(Strings{"rawhide", "f41", "epel9", "el6"}, "rawhide") ==
        Strings{"rawhide", "f41-candidate", "epel9-candidate", "epel6-candidate"});
}
