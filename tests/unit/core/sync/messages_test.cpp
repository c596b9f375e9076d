// Commit messages, pull request texts, markers and failure issues of a release sync.
#include "core/sync/messages.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::sync;

namespace {

SyncFacts facts() {
  SyncFacts f;
  f.package = "hello";
  f.version = "1.3.0";
  f.tag = "v1.3.0";
  f.commit = "0123456789abcdef0123456789abcdef01234567";
  f.tag_url = "https://github.com/o/hello/releases/tag/v1.3.0";
  f.resolved_bugs = {"rhbz#42"};
  f.run_url = "https://github.com/o/hello/actions/runs/1";
  return f;
}

} // namespace

TEST_CASE("the commit message follows Packit's and carries ferry's trailers", "[unit][sync]") {
  std::string message = commit_message(facts(), "0.1.0");
  CHECK(message.starts_with("Update to 1.3.0 upstream release\n\n- Resolves: rhbz#42\n\n"
                            "Upstream tag: v1.3.0\nUpstream commit: 0123456789abcdef"));
  CHECK(message.ends_with("\nUpstream-Tag: v1.3.0\nFerry-Version: 0.1.0\n"));
  CHECK(upstream_tag_trailer(message) == "v1.3.0");
  CHECK(is_ferry_commit(message));
  CHECK_FALSE(is_ferry_commit("Fix a typo\n\nSigned-off-by: A <a@b>\n"));
}

TEST_CASE("pull request bodies carry a marker ferry can read back", "[unit][sync]") {
  CHECK(pull_request_title("f41", "1.3.0") == "Update f41 to upstream release 1.3.0");
  SyncFacts hostile = facts();
  hostile.tag = "v1 --> <script>";
  std::string body = pull_request_body(hostile, "f41");
  CHECK(body.find("Upstream tag: [v1 --> <script>]") != std::string::npos);
  auto marker = find_marker(body);
  REQUIRE(marker);
  CHECK((*marker)["branch"] == "f41");
  CHECK((*marker)["tag"] == "v1 --> <script>");
  CHECK(body.find("-->", body.find("<!-- ferry: ") + 12) == body.rfind("-->"));
  CHECK_FALSE(find_marker("no marker here"));
  CHECK_FALSE(find_marker("<!-- ferry: {broken -->"));
}

TEST_CASE("the failure issue lists branches and how to retry", "[unit][sync]") {
  CHECK(failure_issue_title(facts()) == "[ferry] Propose downstream failed for release v1.3.0");
  std::string body =
      failure_issue_body(facts(), {{"f41", "lookaside | down\nagain"}}, "/ferry", "cc @team");
  CHECK(body.find("| `f41` | lookaside \\| down again |") != std::string::npos);
  CHECK(body.find("comment `/ferry propose-downstream`") != std::string::npos);
  CHECK(body.ends_with("cc @team\n"));
  CHECK(bot_branch("pull_from_upstream", "rawhide") == "ferry/rawhide/pull-from-upstream");
}

TEST_CASE("a pull request whose title could not be updated is told once which version it holds",
          "[unit][sync]") {
  SyncFacts newer = facts();
  newer.version = "1.4.0";
  newer.tag = "v1.4.0";
  std::string note = outdated_title_note(newer, "You are not allowed to view this pull-request");
  CHECK(note.starts_with("This pull request now carries version **1.4.0** (upstream tag v1.4.0)."));
  CHECK(note.find("(You are not allowed to view this pull-request)") != std::string::npos);
  CHECK(note.ends_with(outdated_title_marker("1.4.0")));
  CHECK(outdated_title_marker("1.4.0") != outdated_title_marker("1.4.1"));
}
