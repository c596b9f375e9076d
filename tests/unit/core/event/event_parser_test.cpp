#include "core/event/event_parser.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

namespace {

using ferry::ErrorKind;
using ferry::core::event::parse_event;
using ferry::model::EventKind;
using ferry::model::Forge;
using ferry::testing::fixture_path;
using ferry::testing::read_file_text;

ferry::Result<ferry::model::Event> parse_fixture(Forge forge, std::string_view name,
                                                 const std::string& file) {
  return parse_event(forge, name, read_file_text(fixture_path("events/" + file)));
}

} // namespace

TEST_CASE("A published GitHub release becomes a release event with its tag and repository",
          "[core][event]") {
  auto event = parse_fixture(Forge::github, "release", "github/release_published.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::release);
  CHECK(event->tag == "v1.2.3");
  CHECK(event->ref == "refs/tags/v1.2.3");
  CHECK(event->repo_full_name == "acme/widget");
  CHECK(event->actor == "alice");
  CHECK_FALSE(event->prerelease);
}

TEST_CASE("A comment on a GitHub pull request is a PR comment carrying body and association",
          "[core][event]") {
  auto event = parse_fixture(Forge::github, "issue_comment", "github/issue_comment_on_pr.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::pr_comment);
  CHECK(event->pr_number == 42u);
  CHECK_FALSE(event->issue_number);
  CHECK(event->comment_id == 99u);
  CHECK(event->actor == "bob");
  CHECK(event->author_association == "MEMBER");
  CHECK(event->labels == std::vector<std::string>{"packaging"});
  CHECK(event->comment_body.find("/packit build") != std::string::npos);
}

TEST_CASE("A comment on a plain GitHub issue is an issue comment", "[core][event]") {
  auto event = parse_fixture(Forge::github, "issue_comment", "github/issue_comment_propose.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::issue_comment);
  CHECK(event->issue_number == 7u);
}

TEST_CASE("A Forgejo comment on a PR is recognised by is_pull and has no author association",
          "[core][event]") {
  auto event = parse_fixture(Forge::forgejo, "issue_comment", "forgejo/issue_comment_on_pr.json");
  REQUIRE(event);
  CHECK(event->forge == Forge::forgejo);
  CHECK(event->kind == EventKind::pr_comment);
  CHECK(event->pr_number == 8u);
  CHECK(event->author_association.empty());
}

TEST_CASE("A Forgejo pre-release is a release flagged as pre-release", "[core][event]") {
  auto event = parse_fixture(Forge::forgejo, "release", "forgejo/release_published.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::release);
  CHECK(event->prerelease);
}

TEST_CASE("A branch push lists the files its commits changed", "[core][event]") {
  auto event = parse_fixture(Forge::github, "push", "github/push_branch.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::push);
  CHECK(event->branch == "main");
  CHECK(event->changed_files_known);
  CHECK(event->changed_files == std::vector<std::string>{"widget.spec", "README.md"});
}

TEST_CASE("A pushed tag is a tag push, not a release", "[core][event]") {
  auto event = parse_fixture(Forge::github, "push", "github/push_tag.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::tag_push);
  CHECK(event->tag == "v1.2.3");
}

TEST_CASE("An opened pull request names its target branch and head commit", "[core][event]") {
  auto event = parse_fixture(Forge::github, "pull_request", "github/pull_request_opened.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::pull_request);
  CHECK(event->branch == "main");
  CHECK(event->source_branch == "feature");
  CHECK(event->commit_sha == "3333333333333333333333333333333333333333");
}

TEST_CASE("A commit comment names the commented commit", "[core][event]") {
  auto event = parse_fixture(Forge::github, "commit_comment", "github/commit_comment.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::commit_comment);
  CHECK(event->commit_sha == "4444444444444444444444444444444444444444");
}

TEST_CASE("A GitLab note on an issue is an issue comment with the issue iid", "[core][event]") {
  auto event = parse_fixture(Forge::gitlab, "", "gitlab/note_on_issue.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::issue_comment);
  CHECK(event->issue_number == 3u);
  CHECK(event->repo_full_name == "group/widget");
  CHECK(event->comment_body == "/packit propose-downstream");
}

TEST_CASE("A GitLab tag push webhook is a tag push", "[core][event]") {
  auto event = parse_fixture(Forge::gitlab, "", "gitlab/tag_push.json");
  REQUIRE(event);
  CHECK(event->kind == EventKind::tag_push);
  CHECK(event->tag == "v3.1");
  CHECK(event->commit_sha == "5555555555555555555555555555555555555555");
}

TEST_CASE("Without an event name the GitHub event is inferred from the payload", "[core][event]") {
  auto event = parse_fixture(Forge::github, "", "github/release_published.json");
  REQUIRE(event);
  CHECK(event->event_name == "release");
  CHECK(event->kind == EventKind::release);
}

TEST_CASE("A field of the wrong type is an event error naming the field and the type",
          "[core][event]") {
  auto event = parse_fixture(Forge::github, "release", "github/malformed_release.json");
  REQUIRE_FALSE(event);
  CHECK(event.error().kind() == ErrorKind::event);
  CHECK(event.error().message() ==
        "release event payload: field 'release.tag_name' must be a string, not an integer");
}

TEST_CASE("A missing required field is an event error naming the field", "[core][event]") {
  auto event = parse_event(Forge::github, "issue_comment",
                           R"({"action":"created","comment":{"body":"x"},"issue":{"number":1},)"
                           R"("repository":{"full_name":"a/b"}})");
  REQUIRE_FALSE(event);
  CHECK(event.error().message() == "issue_comment event payload: field 'comment.id' is missing");
}

TEST_CASE("A payload that is not JSON, or not an object, is an event error", "[core][event]") {
  for (std::string_view text : {"", "{", "not json", "[1,2]", "\"text\"", "null"}) {
    auto event = parse_event(Forge::github, "release", text);
    REQUIRE_FALSE(event);
    CHECK(event.error().kind() == ErrorKind::event);
  }
}

TEST_CASE("Events ferry does not act on are ignored with a reason", "[core][event]") {
  auto edited = parse_event(Forge::github, "release",
                            R"({"action":"edited","release":{"tag_name":"v1"},)"
                            R"("repository":{"full_name":"a/b"}})");
  REQUIRE(edited);
  CHECK(edited->kind == EventKind::ignored);
  CHECK(edited->ignored_reason.find("'edited'") != std::string::npos);
  auto check = parse_event(Forge::github, "check_run", R"({"action":"created"})");
  REQUIRE(check);
  CHECK(check->kind == EventKind::ignored);
  CHECK(check->ignored_reason == "'check_run' is not an event ferry acts on");
}

TEST_CASE("A comment written by a bot is ignored", "[core][event]") {
  auto event = parse_event(Forge::github, "issue_comment",
                           R"({"action":"created","comment":{"id":1,"body":"/packit build",)"
                           R"("user":{"login":"ferry[bot]","type":"Bot"}},"issue":{"number":1},)"
                           R"("repository":{"full_name":"a/b"}})");
  REQUIRE(event);
  CHECK(event->kind == EventKind::ignored);
}

TEST_CASE("A Forgejo webhook relayed with headers is unwrapped and named by its header",
          "[core][event]") {
  std::string text = R"({"headers":{"x-forgejo-event":"release"},"body":)" +
                     read_file_text(fixture_path("events/forgejo/release_published.json")) + "}";
  auto event = parse_event(Forge::forgejo, "", text);
  REQUIRE(event);
  CHECK(event->event_name == "release");
  CHECK(event->kind == EventKind::release);
}

TEST_CASE("Hostile payload values are kept as inert data", "[core][event]") {
  nlohmann::json payload = {
      {"action", "created"},
      {"comment",
       {{"id", 1}, {"body", std::string("/packit build; rm -rf / $(x) `y`\x01\xe2\x98\x83")}}},
      {"issue", {{"number", 1}}},
      {"repository", {{"full_name", "a/b"}}}};
  auto event = ferry::core::event::parse_event_json(Forge::github, "issue_comment", payload);
  REQUIRE(event);
  CHECK(event->comment_body == payload["comment"]["body"].get<std::string>());
}

TEST_CASE("A workflow dispatch carries its command and tag inputs", "[core][event]") {
  auto event =
      parse_event(Forge::github, "workflow_dispatch",
                  R"({"ref":"refs/heads/main","inputs":{"command":"/ferry propose-downstream",)"
                  R"("tag":"v2.0"},"repository":{"full_name":"a/b"}})");
  REQUIRE(event);
  CHECK(event->kind == EventKind::manual);
  CHECK(event->branch == "main");
  CHECK(event->tag == "v2.0");
  CHECK(event->comment_body == "/ferry propose-downstream");
}
