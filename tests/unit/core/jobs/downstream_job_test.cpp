// The failure issue a downstream job opens in issue_repository: its title, table and advice.
#include "core/jobs/downstream_job.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core;
using job::OutcomeState;

TEST_CASE("a failed Koji build becomes an issue naming the failed branches and the retry",
          "[unit][jobs]") {
  job::JobOutcome outcome;
  outcome.job = "koji_build";
  outcome.package = "hello";
  outcome.branches = {
      {"rawhide", OutcomeState::success, "built", "", "", ""},
      {"f41", OutcomeState::failed, "auth_failed", "Koji refused | the login\nagain", "", ""}};
  auto issue = jobs::downstream_failure_issue(outcome, "https://ci.example/run/7", "/ferry");
  REQUIRE(issue);
  CHECK(issue->title == "[ferry] Fedora Koji build failed to be triggered");
  CHECK(issue->body.find("ferry could not build hello") != std::string::npos);
  CHECK(issue->body.find("| `f41` | Koji refused \\| the login again |") != std::string::npos);
  CHECK(issue->body.find("rawhide") == std::string::npos); // only what failed
  CHECK(issue->body.find("[CI run](https://ci.example/run/7)") != std::string::npos);
  CHECK(issue->body.find("`/ferry koji-build`") != std::string::npos);

  outcome.job = "bodhi_update";
  issue = jobs::downstream_failure_issue(outcome, "", "/packit");
  REQUIRE(issue);
  CHECK(issue->title == "[ferry] Fedora Bodhi update failed to be created");
  CHECK(issue->body.find("`/packit create-update`") != std::string::npos);
  CHECK(issue->body.find("Logs:") == std::string::npos);
}

TEST_CASE("no issue when nothing failed or the job reports upstream", "[unit][jobs]") {
  job::JobOutcome outcome;
  outcome.job = "koji_build";
  outcome.branches = {{"f41", OutcomeState::skipped, "not_allowed", "", "", ""}};
  CHECK_FALSE(jobs::downstream_failure_issue(outcome, "", "/ferry"));
  outcome.job = "copr_build";
  outcome.branches = {{"fedora-41-x86_64", OutcomeState::failed, "failed", "", "", ""}};
  CHECK_FALSE(jobs::downstream_failure_issue(outcome, "", "/ferry"));
}
