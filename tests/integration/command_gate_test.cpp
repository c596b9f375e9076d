// Who may run a comment command, decided by asking the forge (GitHub and GitLab fakes over
// real HTTP): write access or the PR's author where allowed, a polite refusal posted once,
// and GitLab trigger payloads read back through the API so a forged author or text is caught.
#include "clients/forge/gitlab/gitlab_forge.hpp"
#include "core/permission/command_gate.hpp"
#include "fakes/fake_gitlab.hpp"
#include "fakes/github_world.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::core::permission;
using namespace ferry::testing;

namespace {

CommandRequest request_by(const std::string& commenter, std::string_view required) {
  CommandRequest request;
  request.required = required;
  request.repo = RepoRef{"hello-org", "hello"};
  request.thread = Thread{ThreadKind::issue, 1};
  request.comment_id = 4242;
  request.commenter = commenter;
  request.comment_body = "/packit propose-downstream";
  return request;
}

} // namespace

TEST_CASE("write access lets a command run, others get one polite refusal",
          "[integration][permission]") {
  GitHubWorld world;
  REQUIRE(world.forge->report_issue(RepoRef{"hello-org", "hello"}, "release 1.1", "tracking"));
  auto allowed = check_command(*world.forge, request_by("maintainer", "write"));
  REQUIRE(allowed);
  CHECK(allowed->allowed);
  CHECK(allowed->permission == Permission::write);

  CommandRequest stranger = request_by("stranger", "write");
  auto denied = check_command(*world.forge, stranger);
  REQUIRE(denied);
  CHECK_FALSE(denied->allowed);
  CHECK(denied->reason ==
        "@stranger has none access to hello-org/hello, and this command needs write access");
  REQUIRE(reply_refusal_once(*world.forge, stranger, *denied));
  REQUIRE(reply_refusal_once(*world.forge, stranger, *denied));
  auto thread = world.github.comments("hello-org", "hello", 1);
  REQUIRE(thread.size() == 1);
  CHECK(thread[0]["body"].get<std::string>().find(refusal_marker(4242)) != std::string::npos);
}

TEST_CASE("the pull request's author may run write_or_pr_author commands, anyone may run help",
          "[integration][permission]") {
  GitHubWorld world;
  CommandRequest own = request_by("contributor", "write_or_pr_author");
  own.pr_author = "contributor";
  CHECK(check_command(*world.forge, own)->allowed);
  own.pr_author = "someone-else";
  CHECK_FALSE(check_command(*world.forge, own)->allowed);
  std::size_t before = world.github.request_count();
  CHECK(check_command(*world.forge, request_by("anybody", "anyone"))->allowed);
  CHECK(world.github.request_count() == before); // no API call needed
  auto unknown = check_command(*world.forge, request_by("x", "superuser"));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind() == ErrorKind::internal);
}

TEST_CASE("a GitLab trigger payload is read back: forged authors and texts are refused",
          "[integration][permission][gitlab]") {
  FakeGitLab gitlab;
  gitlab.add_user("ferry-bot", "glpat-bot");
  gitlab.add_project("group/hello", {{"hello.spec", "Name: hello\n"}});
  gitlab.set_member("group/hello", "maintainer", 40);
  gitlab.set_member("group/hello", "reporter", 20);
  long note = gitlab.add_note("group/hello", "merge_requests", 1, "reporter", "/packit build");
  infra::http::ClientOptions options;
  auto http = infra::http::make_curl_http_client(options);
  ForgeSettings settings;
  settings.api_url = gitlab.api_url();
  settings.token = "glpat-bot";
  auto forge = gitlab::make_gitlab_forge(*http, settings);

  CommandRequest request;
  request.required = "write";
  request.repo = RepoRef{"group", "hello"};
  request.thread = Thread{ThreadKind::pull_request, 1};
  request.comment_id = note;
  request.commenter = "maintainer"; // what a forged payload claims
  request.comment_body = "/packit build";
  request.verify_comment = true;
  auto decision = check_command(*forge, request);
  REQUIRE(decision);
  CHECK_FALSE(decision->allowed);
  CHECK(decision->commenter == "reporter");

  request.comment_body = "/packit koji-build";
  decision = check_command(*forge, request);
  REQUIRE(decision);
  CHECK_FALSE(decision->allowed);
  CHECK(decision->reason == "the event's comment text does not match the comment on the forge");

  request.comment_id = 999999;
  decision = check_command(*forge, request);
  REQUIRE(decision);
  CHECK_FALSE(decision->allowed);
  CHECK(decision->reason == "the comment could not be found through the API");

  long real = gitlab.add_note("group/hello", "merge_requests", 1, "maintainer", "/packit build");
  request.comment_id = real;
  request.comment_body = "/packit build";
  decision = check_command(*forge, request);
  REQUIRE(decision);
  CHECK(decision->allowed);
}
