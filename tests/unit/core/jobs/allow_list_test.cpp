// Packit's allowed_pr_authors / allowed_committers / allowed_builders with ferry's identity
// rule: "packit" stands for this runner's accounts.
#include "core/jobs/allow_list.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::jobs;
using Strings = std::vector<std::string>;

TEST_CASE("\"packit\" in an allow list stands for this runner's accounts", "[unit][jobs]") {
  AllowContext context;
  context.identities = {"ferry-bot", "maintainer"};
  CHECK(is_allowed({"packit"}, "ferry-bot", context).value());
  CHECK(is_allowed({"packit"}, "Maintainer", context).value()); // accounts ignore case
  CHECK(is_allowed({"packit"}, "packit", context).value());     // Packit's own bot still matches
  CHECK_FALSE(is_allowed({"packit"}, "mallory", context).value());
  CHECK(is_allowed({"alice", "mallory"}, "mallory", context).value());
  CHECK_FALSE(is_allowed({"alice"}, "ferry-bot", context).value()); // not listed: no identity
  CHECK_FALSE(is_allowed({}, "ferry-bot", context).value());
  CHECK_FALSE(is_allowed({"packit"}, "", context).value());
  // groups cannot be read; all_committers needs the forge (none here)
  CHECK_FALSE(is_allowed({"@packager"}, "mallory", context).value());
  CHECK_FALSE(is_allowed({"all_committers", "all_admins"}, "mallory", context).value());
}

TEST_CASE("allow lists default as Packit's", "[unit][jobs]") {
  auto settings = nlohmann::ordered_json::parse(
      R"({"allowed_pr_authors": ["all_committers", "packit"], "allowed_builders": "alice"})");
  CHECK(allow_list(settings, "allowed_pr_authors", {"packit"}) ==
        Strings{"all_committers", "packit"});
  CHECK(allow_list(settings, "allowed_builders", {"packit"}) == Strings{"alice"});
  CHECK(allow_list(settings, "allowed_committers", {}).empty());
  CHECK(describe_list({}) == "nobody");
  CHECK(describe_list({"a", "b"}) == "a, b");
}
