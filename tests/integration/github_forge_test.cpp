// The GitHub client over real HTTP (libcurl) and real git (libgit2) against FakeGitHub:
// fork → push → open PR → re-run updates it → comment → reaction → status → permission →
// failure issue created, then commented on; faults at each call leave the same end state;
// auth failures fail fast naming what is missing; the token never shows.
#include "clients/forge/github/github_forge.hpp"
#include "fakes/github_world.hpp"
#include "support/log_capture.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

const RepoRef k_upstream{"hello-org", "hello"};

PullRequestDraft draft(const std::string& title, const std::string& body) {
  return PullRequestDraft{title, body, "ferry-bot", "ferry/main/propose-downstream", "main"};
}

} // namespace

TEST_CASE("a release becomes one pull request from the bot's fork, updated on re-run",
          "[integration][github]") {
  GitHubWorld world;
  world.github.set_fork_delay(2);
  CHECK(world.forge->current_user().value() == "ferry-bot");

  auto release = world.forge->release_by_tag(k_upstream, "v1.1");
  REQUIRE(release);
  REQUIRE(release->has_value());
  CHECK((*release)->body == "* fixed a bug");
  CHECK_FALSE(world.forge->release_by_tag(k_upstream, "v9")->has_value());
  CHECK(world.forge->file_content(k_upstream, "hello.spec", "main")->value() ==
        "Name: hello\nVersion: 1.0\n");
  CHECK_FALSE(world.forge->file_content(k_upstream, "missing.txt", "main")->has_value());

  auto fork = world.forge->ensure_fork(k_upstream);
  REQUIRE(fork);
  CHECK(fork->ref.full_name() == "ferry-bot/hello");
  CHECK(fork->is_fork);
  CHECK(world.forge->ensure_fork(k_upstream)->ref.full_name() == "ferry-bot/hello"); // exists now

  world.push_bot_branch(*fork, "ferry/main/propose-downstream", "1.1");
  auto pr = world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "body 1"));
  REQUIRE(pr);
  CHECK(pr->number == 1);
  CHECK(pr->head_owner == "ferry-bot");

  auto again =
      world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "body 1"));
  REQUIRE(again);
  CHECK(again->number == 1);
  auto updated =
      world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.2", "body 2"));
  REQUIRE(updated);
  CHECK(updated->number == 1);
  auto pulls = world.github.pulls("hello-org", "hello");
  REQUIRE(pulls.size() == 1);
  CHECK(pulls[0]["title"] == "Update to 1.2");
  CHECK(pulls[0]["body"] == "body 2");
}

TEST_CASE("comments, reactions, statuses and permissions reach GitHub once each",
          "[integration][github]") {
  GitHubWorld world;
  auto issue = world.forge->report_issue(k_upstream, "ferry: propose-downstream failed", "first");
  REQUIRE(issue);
  CHECK(issue->created);
  auto comment = world.forge->comment(k_upstream, Thread{ThreadKind::issue, issue->number},
                                      "/packit propose-downstream");
  REQUIRE(comment);
  CHECK(comment->author == "ferry-bot");
  REQUIRE(world.forge->add_reaction(k_upstream, Thread{}, comment->id, Reaction::eyes));
  REQUIRE(world.forge->add_reaction(k_upstream, Thread{}, comment->id, Reaction::eyes));
  CHECK(world.github.reactions("hello-org", "hello").size() == 1);

  REQUIRE(world.forge->set_commit_status(k_upstream,
                                         CommitStatus{std::string(40, 'a'), CommitState::success,
                                                      "ferry/propose-downstream/f42", "PR opened",
                                                      "https://example.org/pr/1"}));
  auto statuses = world.github.statuses("hello-org", "hello");
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0]["state"] == "success");

  CHECK(world.forge->permission(k_upstream, "hello-org").value() == Permission::admin);
  CHECK(world.forge->permission(k_upstream, "maintainer").value() == Permission::write);
  CHECK(world.forge->permission(k_upstream, "reader").value() == Permission::read);
  CHECK(world.forge->permission(k_upstream, "stranger").value() == Permission::none);

  auto second = world.forge->report_issue(k_upstream, "ferry: propose-downstream failed", "second");
  REQUIRE(second);
  CHECK_FALSE(second->created);
  CHECK(second->number == issue->number);
  CHECK(world.github.issues("hello-org", "hello").size() == 1);
  auto thread = world.github.comments("hello-org", "hello", issue->number);
  REQUIRE(thread.size() == 2);
  CHECK(thread[1]["body"] == "second");
}

TEST_CASE("transient faults at each call are retried and change nothing in the end",
          "[integration][github]") {
  GitHubWorld world;
  TestResponse drop;
  drop.fault = Fault::drop;
  TestResponse bad_gateway{502, {}, "bad gateway"};
  world.github.inject("GET /user", bad_gateway);
  world.github.inject("POST /repos/hello-org/hello/forks", drop, 1, true);
  world.github.inject("POST /repos/hello-org/hello/pulls", bad_gateway, 1, true);
  world.github.inject("POST /repos/hello-org/hello/issues/1/comments", drop, 1, true);
  world.github.inject("POST /repos/hello-org/hello/statuses", TestResponse{503, {}, ""});
  world.github.inject("GET /repos/hello-org/hello/collaborators", drop);

  auto fork = world.forge->ensure_fork(k_upstream);
  REQUIRE(fork);
  world.push_bot_branch(*fork, "ferry/main/propose-downstream", "1.1");
  auto pr = world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "body"));
  REQUIRE(pr);
  auto comment = world.forge->comment(k_upstream, Thread{ThreadKind::pull_request, pr->number},
                                      "Koji build scheduled");
  REQUIRE(comment);
  REQUIRE(world.forge->set_commit_status(
      k_upstream, CommitStatus{std::string(40, 'b'), CommitState::pending, "ferry", "", ""}));
  CHECK(world.forge->permission(k_upstream, "maintainer").value() == Permission::write);

  CHECK(world.github.pulls("hello-org", "hello").size() == 1);
  CHECK(world.github.comments("hello-org", "hello", pr->number).size() == 1);
  CHECK(world.github.statuses("hello-org", "hello").size() == 1);
}

TEST_CASE("the latest release skips drafts and prereleases", "[integration][github]") {
  GitHubWorld world;
  world.github.add_release("hello-org", "hello", "v1.2", "newer");
  auto latest = world.forge->latest_release(k_upstream);
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK((*latest)->tag == "v1.2");
  world.github.add_repository("hello-org", "empty", {{"README", "x"}});
  CHECK_FALSE(world.forge->latest_release(RepoRef{"hello-org", "empty"}).value().has_value());
}

TEST_CASE("checks become check runs where the token may, commit statuses otherwise",
          "[integration][github]") {
  GitHubWorld world;
  CheckRun check{std::string(40, 'c'), "ferry/copr-build", CommitState::success,
                 "Build done",         "**3** chroots",    "https://copr.example.org/1"};
  REQUIRE(world.forge->report_check(k_upstream, check));
  auto runs = world.github.check_runs("hello-org", "hello");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["conclusion"] == "success");
  CHECK(runs[0]["output"]["summary"] == "**3** chroots");

  GitHubWorld limited("ghp_status");
  limited.github.add_user("status-bot", "ghp_status", {"statuses=write"});
  REQUIRE(limited.forge->report_check(k_upstream, check));
  CHECK(limited.github.check_runs("hello-org", "hello").empty());
  REQUIRE(limited.github.statuses("hello-org", "hello").size() == 1);
  CHECK(limited.github.statuses("hello-org", "hello")[0]["context"] == "ferry/copr-build");
}

TEST_CASE("a bad token fails fast as an auth error and never shows", "[integration][github]") {
  ScopedLogCapture capture;
  GitHubWorld world("ghp_WrongTokenCanary99999999999999");
  infra::log::logger().register_secret("ghp_WrongTokenCanary99999999999999");
  auto user = world.forge->current_user();
  REQUIRE_FALSE(user);
  CHECK(user.error().kind() == ErrorKind::auth);
  CHECK(user.error().message().find("rejected the token") != std::string::npos);
  CHECK(user.error().describe().find("WrongTokenCanary") == std::string::npos);
  CHECK(capture.text().find("WrongTokenCanary") == std::string::npos);
  CHECK(world.github.request_count() == 1); // no retry of a 401
}

TEST_CASE("a token without a permission gets a message naming it", "[integration][github]") {
  GitHubWorld world("ghp_limited");
  auto pr = world.forge->open_or_update_pull_request(k_upstream, draft("x", "y"));
  REQUIRE_FALSE(pr);
  CHECK(pr.error().kind() == ErrorKind::auth);
  CHECK(pr.error().message().find("pull_requests=write") != std::string::npos);
}

TEST_CASE("pull request lookups follow pagination", "[integration][github]") {
  GitHubWorld world;
  world.github.set_page_size(1);
  auto fork = world.forge->ensure_fork(k_upstream);
  REQUIRE(fork);
  for (const char* branch : {"a", "b", "c"}) {
    world.push_bot_branch(*fork, branch, branch);
    PullRequestDraft d{std::string("PR ") + branch, "", "ferry-bot", branch, "main"};
    REQUIRE(world.forge->open_or_update_pull_request(k_upstream, d));
  }
  auto found = world.forge->find_pull_requests(k_upstream, "ferry-bot", "c");
  REQUIRE(found);
  REQUIRE(found->size() == 1);
  CHECK(found->front().title == "PR c");
}

TEST_CASE("a pull request's head and the latest checks of a commit are read back",
          "[integration][github]") {
  GitHubWorld world;
  std::string head = world.github.add_pull_request("hello-org", "hello", 3, "alice", "topic",
                                                   {{"NEWS", "more\n"}});
  auto pull = world.forge->pull_request(k_upstream, 3);
  INFO((pull ? "" : pull.error().describe()));
  REQUIRE(pull);
  CHECK(pull->head_sha == head);
  CHECK(pull->head_branch == "topic");
  CHECK(pull->author == "alice");
  CHECK(pull->head_clone_url == world.github.clone_url("hello-org", "hello"));
  CHECK(world.forge->pull_request(k_upstream, 99).error().kind() == ErrorKind::not_found);

  CheckRun pending{head, "rpm-build:fedora-41-x86_64", CommitState::pending, "Building", "", ""};
  CheckRun done{head, "rpm-build:fedora-41-x86_64", CommitState::failure, "Failed", "", "u"};
  REQUIRE(world.forge->report_check(k_upstream, pending));
  REQUIRE(world.forge->report_check(k_upstream, done));
  REQUIRE(world.forge->set_commit_status(
      k_upstream, CommitStatus{head, CommitState::success, "lint", "fine", "https://ci/1"}));
  REQUIRE(world.forge->set_commit_status(
      k_upstream, CommitStatus{std::string(40, 'f'), CommitState::failure, "lint", "", ""}));
  auto checks = world.forge->commit_checks(k_upstream, head);
  INFO((checks ? "" : checks.error().describe()));
  REQUIRE(checks);
  REQUIRE(checks->size() == 2);
  std::map<std::string, CheckRun> by_name;
  for (const CheckRun& check : *checks) {
    by_name[check.name] = check;
  }
  CHECK(by_name["rpm-build:fedora-41-x86_64"].state == CommitState::failure);
  CHECK(by_name["rpm-build:fedora-41-x86_64"].title == "Failed");
  CHECK(by_name["rpm-build:fedora-41-x86_64"].details_url == "u");
  CHECK(by_name["lint"].state == CommitState::success);
  CHECK(by_name["lint"].details_url == "https://ci/1");
}
