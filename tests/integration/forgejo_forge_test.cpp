// The Forgejo/Gitea client against FakeGitHub in its Forgejo flavour (API v1 under /api/v1,
// token header, 409 duplicates, limit paging), with real git: the same story as on GitHub.
#include "fakes/github_world.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

const RepoRef k_upstream{"hello-org", "hello"};

PullRequestDraft draft(const std::string& title, const std::string& body) {
  return PullRequestDraft{title, body, "ferry-bot", "ferry/rawhide/propose-downstream", "main"};
}

} // namespace

TEST_CASE("on Forgejo, a release becomes one pull request from the bot's fork, updated on re-run",
          "[integration][forgejo]") {
  GitHubWorld world(k_bot_token, FakeGitHub::Flavor::forgejo);
  world.github.set_page_size(1);
  CHECK(world.forge->current_user().value() == "ferry-bot");
  CHECK(world.forge->release_by_tag(k_upstream, "v1.1").value()->body == "* fixed a bug");
  CHECK(world.forge->file_content(k_upstream, "hello.spec", "main").value() ==
        "Name: hello\nVersion: 1.0\n");

  auto fork = world.forge->ensure_fork(k_upstream);
  INFO((fork ? "" : fork.error().describe()));
  REQUIRE(fork);
  CHECK(fork->ref.full_name() == "ferry-bot/hello");
  world.push_bot_branch(*fork, "other", "0.9");
  REQUIRE(world.forge->open_or_update_pull_request(
      k_upstream, PullRequestDraft{"other", "", "ferry-bot", "other", "main"}));
  world.push_bot_branch(*fork, "ferry/rawhide/propose-downstream", "1.1");
  auto pr = world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "one"));
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  auto updated =
      world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.2", "two"));
  REQUIRE(updated);
  CHECK(updated->number == pr->number);
  auto pulls = world.github.pulls("hello-org", "hello");
  REQUIRE(pulls.size() == 2);
  CHECK(pulls[1]["title"] == "Update to 1.2");
}

TEST_CASE("on Forgejo, a pull request created before a lost answer is found through the 409",
          "[integration][forgejo]") {
  GitHubWorld world(k_bot_token, FakeGitHub::Flavor::forgejo);
  auto fork = world.forge->ensure_fork(k_upstream);
  REQUIRE(fork);
  world.push_bot_branch(*fork, "ferry/rawhide/propose-downstream", "1.1");
  world.github.inject("POST /api/v1/repos/hello-org/hello/pulls", TestResponse{502, {}, ""}, 1,
                      true);
  auto pr = world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "body"));
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  CHECK(world.github.pulls("hello-org", "hello").size() == 1);
}

TEST_CASE("on Forgejo, comments, statuses, permissions and issues work as on GitHub",
          "[integration][forgejo]") {
  GitHubWorld world(k_bot_token, FakeGitHub::Flavor::forgejo);
  auto issue = world.forge->report_issue(k_upstream, "ferry failed", "first");
  REQUIRE(issue);
  REQUIRE(world.forge->report_issue(k_upstream, "ferry failed", "second"));
  CHECK(world.github.issues("hello-org", "hello").size() == 1);
  auto comment = world.forge->comment(k_upstream, Thread{ThreadKind::issue, issue->number},
                                      "/packit propose-downstream");
  REQUIRE(comment);
  REQUIRE(world.forge->add_reaction(k_upstream, Thread{}, comment->id, Reaction::eyes));
  REQUIRE(world.forge->set_commit_status(
      k_upstream, CommitStatus{std::string(40, 'e'), CommitState::failure, "ferry", "x", ""}));
  CHECK(world.github.statuses("hello-org", "hello").size() == 1);
  CHECK(world.forge->permission(k_upstream, "hello-org").value() == Permission::admin);
  CHECK(world.forge->permission(k_upstream, "maintainer").value() == Permission::write);
  CHECK(world.forge->permission(k_upstream, "nobody").value() == Permission::none);
}

TEST_CASE("on Forgejo, a token without a scope is refused with the scope named",
          "[integration][forgejo]") {
  GitHubWorld world("ghp_limited", FakeGitHub::Flavor::forgejo);
  auto status = world.forge->set_commit_status(
      k_upstream, CommitStatus{std::string(40, 'f'), CommitState::success, "ferry", "", ""});
  REQUIRE_FALSE(status);
  CHECK(status.error().kind() == ErrorKind::auth);
  CHECK(status.error().message().find("statuses=write") != std::string::npos);
}

TEST_CASE("the pull request a pushed commit merged is found, on Forgejo and on GitHub",
          "[integration][forgejo][github]") {
  auto flavor = GENERATE(FakeGitHub::Flavor::forgejo, FakeGitHub::Flavor::github);
  GitHubWorld world(k_bot_token, flavor);
  std::string merged(40, 'a');
  long number = world.github.add_merged_pull_request("hello-org", "hello", "dave", "main", merged);
  auto found = world.forge->merged_pull_request(k_upstream, merged);
  INFO((found ? "" : found.error().describe()));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->number == number);
  CHECK((*found)->author == "dave");
  CHECK((*found)->merged);
  CHECK((*found)->merge_commit == merged);
  CHECK((*found)->base_branch == "main");

  auto direct = world.forge->merged_pull_request(k_upstream, std::string(40, 'b'));
  REQUIRE(direct);
  CHECK_FALSE(*direct); // a direct push
}
