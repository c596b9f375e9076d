#include "core/event/ci_environment.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace {

using ferry::core::event::EnvLookup;
using ferry::model::EventKind;
using ferry::model::Forge;
using ferry::testing::fixture_path;

EnvLookup fake_env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

} // namespace

TEST_CASE("The forge is detected Forgejo first, then Gitea, GitHub and GitLab", "[core][event]") {
  using ferry::core::event::detect_forge;
  CHECK(detect_forge(fake_env({{"GITHUB_ACTIONS", "true"}})) == Forge::github);
  CHECK(detect_forge(fake_env({{"GITHUB_ACTIONS", "true"}, {"FORGEJO_ACTIONS", "true"}})) ==
        Forge::forgejo);
  CHECK(detect_forge(fake_env({{"GITHUB_ACTIONS", "true"}, {"GITEA_ACTIONS", "true"}})) ==
        Forge::forgejo);
  CHECK(detect_forge(fake_env({{"GITLAB_CI", "true"}})) == Forge::gitlab);
  CHECK_FALSE(detect_forge(fake_env({})));
}

TEST_CASE("GitHub Actions events come from GITHUB_EVENT_NAME and GITHUB_EVENT_PATH",
          "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({
      {"GITHUB_ACTIONS", "true"},
      {"GITHUB_EVENT_NAME", "release"},
      {"GITHUB_EVENT_PATH", fixture_path("events/github/release_published.json").string()},
      {"GITHUB_SHA", "abc123"},
  }));
  REQUIRE(event);
  CHECK(event->forge == Forge::github);
  CHECK(event->kind == EventKind::release);
  CHECK(event->commit_sha == "abc123");
}

TEST_CASE("Forgejo Actions prefer FORGEJO_ variables", "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({
      {"FORGEJO_ACTIONS", "true"},
      {"FORGEJO_EVENT_NAME", "issue_comment"},
      {"FORGEJO_EVENT_PATH", fixture_path("events/forgejo/issue_comment_on_pr.json").string()},
      {"GITHUB_EVENT_NAME", "push"},
  }));
  REQUIRE(event);
  CHECK(event->forge == Forge::forgejo);
  CHECK(event->kind == EventKind::pr_comment);
}

TEST_CASE("A missing payload file is an event error naming the file", "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({
      {"GITHUB_ACTIONS", "true"},
      {"GITHUB_EVENT_NAME", "release"},
      {"GITHUB_EVENT_PATH", "/nonexistent/event.json"},
  }));
  REQUIRE_FALSE(event);
  CHECK(event.error().kind() == ferry::ErrorKind::event);
  CHECK(event.error().message().find("/nonexistent/event.json") != std::string::npos);
}

TEST_CASE("A GitLab tag pipeline is a release of CI_COMMIT_TAG", "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({
      {"GITLAB_CI", "true"},
      {"CI_PIPELINE_SOURCE", "push"},
      {"CI_COMMIT_TAG", "v2.0"},
      {"CI_PROJECT_PATH", "group/widget"},
      {"CI_COMMIT_SHA", "feed"},
  }));
  REQUIRE(event);
  CHECK(event->forge == Forge::gitlab);
  CHECK(event->kind == EventKind::release);
  CHECK(event->tag == "v2.0");
  CHECK(event->repo_full_name == "group/widget");
}

TEST_CASE("A GitLab trigger pipeline reads the note from the TRIGGER_PAYLOAD file",
          "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({
      {"GITLAB_CI", "true"},
      {"CI_PIPELINE_SOURCE", "trigger"},
      {"TRIGGER_PAYLOAD", fixture_path("events/gitlab/note_on_issue.json").string()},
  }));
  REQUIRE(event);
  CHECK(event->kind == EventKind::issue_comment);
  CHECK(event->comment_body == "/packit propose-downstream");
}

TEST_CASE("GitLab merge request and scheduled pipelines map to their kinds", "[core][event]") {
  auto mr = ferry::core::event::read_ci_event(fake_env({
      {"GITLAB_CI", "true"},
      {"CI_PIPELINE_SOURCE", "merge_request_event"},
      {"CI_MERGE_REQUEST_IID", "12"},
      {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"},
  }));
  REQUIRE(mr);
  CHECK(mr->kind == EventKind::pull_request);
  CHECK(mr->pr_number == 12u);
  auto scheduled = ferry::core::event::read_ci_event(
      fake_env({{"GITLAB_CI", "true"}, {"CI_PIPELINE_SOURCE", "schedule"}}));
  REQUIRE(scheduled);
  CHECK(scheduled->kind == EventKind::schedule);
}

TEST_CASE("Outside CI reading the event is an event error that says what to pass",
          "[core][event]") {
  auto event = ferry::core::event::read_ci_event(fake_env({}));
  REQUIRE_FALSE(event);
  CHECK(event.error().message().find("--event") != std::string::npos);
}

TEST_CASE("A local release event needs a tag", "[core][event]") {
  ferry::core::event::LocalEventOptions options;
  options.kind = "release";
  auto missing = ferry::core::event::local_event(options);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ferry::ErrorKind::usage);
  options.tag = "v1.0";
  auto event = ferry::core::event::local_event(options);
  REQUIRE(event);
  CHECK(event->kind == EventKind::release);
  CHECK(event->ref == "refs/tags/v1.0");
}
