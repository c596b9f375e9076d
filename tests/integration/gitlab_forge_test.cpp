// The GitLab client over real HTTP and real git against FakeGitLab: fork (asynchronous import)
// → push → one merge request from the fork → updated on re-run → notes and award emoji →
// statuses → member access levels → failure issue; lost answers leave no duplicates; a token
// without the `api` scope is refused with the scope named.
#include "clients/forge/gitlab/gitlab_forge.hpp"
#include "fakes/fake_gitlab.hpp"
#include "fakes/push_branch.hpp"
#include "infra/git/repository.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

const RepoRef k_upstream{"hello-group/libs", "hello"};

struct GitLabWorld {
  FakeGitLab gitlab;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<Forge> forge;

  explicit GitLabWorld(std::string token = "glpat-bot") {
    gitlab.add_user("ferry-bot", "glpat-bot");
    gitlab.add_user("reader-bot", "glpat-read", {"read_api"});
    gitlab.add_project("hello-group/libs/hello", {{"hello.spec", "Name: hello\n"}});
    gitlab.add_release("hello-group/libs/hello", "v1.1", "* fixed");
    gitlab.set_member("hello-group/libs/hello", "maintainer", 40);
    gitlab.set_member("hello-group/libs/hello", "developer", 30);
    gitlab.set_member("hello-group/libs/hello", "reporter", 20);
    gitlab.set_fork_import_reads(2);
    infra::http::ClientOptions options;
    options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(options);
    ForgeSettings settings;
    settings.api_url = gitlab.api_url();
    settings.token = std::move(token);
    settings.sleep = [](std::chrono::milliseconds) {};
    forge = gitlab::make_gitlab_forge(*http, settings);
  }

  void push_branch(const RepositoryInfo& fork, const std::string& branch) {
    push_spec_change(*forge, fork, branch, "Name: hello\nVersion: 1.1\n");
  }
};

PullRequestDraft draft(const std::string& title, const std::string& body) {
  return PullRequestDraft{title, body, "ferry-bot", "ferry/main/propose-downstream", "main"};
}

} // namespace

TEST_CASE("on GitLab, a release becomes one merge request from the bot's fork, updated on re-run",
          "[integration][gitlab]") {
  GitLabWorld world;
  CHECK(world.forge->current_user().value() == "ferry-bot");
  CHECK(world.forge->repository(k_upstream).value().default_branch == "main");
  CHECK(world.forge->release_by_tag(k_upstream, "v1.1").value()->body == "* fixed");
  CHECK_FALSE(world.forge->release_by_tag(k_upstream, "v2").value().has_value());
  world.gitlab.add_release("hello-group/libs/hello", "v1.2", "newer");
  CHECK(world.forge->latest_release(k_upstream).value()->tag == "v1.2");
  CHECK(world.forge->file_content(k_upstream, "hello.spec", "main").value() == "Name: hello\n");
  CHECK_FALSE(world.forge->file_content(k_upstream, "none", "main")->has_value());

  auto fork = world.forge->ensure_fork(k_upstream);
  INFO((fork ? "" : fork.error().describe()));
  REQUIRE(fork);
  CHECK(fork->ref.full_name() == "ferry-bot/hello");
  CHECK(fork->is_fork);
  world.push_branch(*fork, "ferry/main/propose-downstream");
  auto mr = world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.1", "one"));
  INFO((mr ? "" : mr.error().describe()));
  REQUIRE(mr);
  CHECK(mr->number == 1);
  auto updated =
      world.forge->open_or_update_pull_request(k_upstream, draft("Update to 1.2", "two"));
  REQUIRE(updated);
  CHECK(updated->number == 1);
  auto mrs = world.gitlab.merge_requests("hello-group/libs/hello");
  REQUIRE(mrs.size() == 1);
  CHECK(mrs[0]["description"] == "two");

  auto read = world.forge->pull_request(k_upstream, 1);
  INFO((read ? "" : read.error().describe()));
  REQUIRE(read);
  CHECK(read->author == "ferry-bot");
  CHECK(read->title == "Update to 1.2");
  CHECK(read->head_branch == "ferry/main/propose-downstream");
  CHECK_FALSE(read->merged);
  CHECK_FALSE(world.forge->pull_request(k_upstream, 99));
}

TEST_CASE("on GitLab, notes, award emoji, statuses, roles and issues", "[integration][gitlab]") {
  GitLabWorld world;
  auto issue = world.forge->report_issue(k_upstream, "ferry failed", "first");
  REQUIRE(issue);
  CHECK(issue->created);
  REQUIRE(world.forge->report_issue(k_upstream, "ferry failed", "second"));
  CHECK(world.gitlab.issues("hello-group/libs/hello").size() == 1);
  CHECK(world.gitlab.notes("hello-group/libs/hello", "issues", issue->number).size() == 1);

  Thread thread{ThreadKind::issue, issue->number};
  auto note = world.forge->comment(k_upstream, thread, "/packit build");
  REQUIRE(note);
  REQUIRE(world.forge->add_reaction(k_upstream, thread, note->id, Reaction::eyes));
  REQUIRE(world.forge->add_reaction(k_upstream, thread, note->id, Reaction::eyes));
  CHECK(world.gitlab.award_emoji("hello-group/libs/hello").size() == 1);

  CommitStatus status{std::string(40, 'a'), CommitState::pending, "ferry/copr", "queued", ""};
  REQUIRE(world.forge->set_commit_status(k_upstream, status));
  REQUIRE(world.forge->set_commit_status(k_upstream, status)); // unchanged: GitLab says 400, fine
  status.state = CommitState::error;
  REQUIRE(world.forge->set_commit_status(k_upstream, status));
  auto statuses = world.gitlab.statuses("hello-group/libs/hello");
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[1]["status"] == "failed");

  CHECK(world.forge->permission(k_upstream, "maintainer").value() == Permission::admin);
  CHECK(world.forge->permission(k_upstream, "developer").value() == Permission::write);
  CHECK(world.forge->permission(k_upstream, "reporter").value() == Permission::read);
  CHECK(world.forge->permission(k_upstream, "nobody").value() == Permission::none);
}

TEST_CASE("on GitLab, lost answers leave one merge request and one note", "[integration][gitlab]") {
  GitLabWorld world;
  TestResponse drop;
  drop.fault = Fault::drop;
  auto fork = world.forge->ensure_fork(k_upstream);
  REQUIRE(fork);
  world.push_branch(*fork, "ferry/main/propose-downstream");
  world.gitlab.inject("POST /api/v4/projects/ferry-bot%2Fhello/merge_requests",
                      TestResponse{502, {}, ""}, 1, true);
  auto mr = world.forge->open_or_update_pull_request(k_upstream, draft("Update", "body"));
  INFO((mr ? "" : mr.error().describe()));
  REQUIRE(mr);
  world.gitlab.inject("POST /api/v4/projects/hello-group%2Flibs%2Fhello/merge_requests/1/notes",
                      drop, 1, true);
  REQUIRE(world.forge->comment(k_upstream, Thread{ThreadKind::pull_request, mr->number},
                               "Build started"));
  CHECK(world.gitlab.merge_requests("hello-group/libs/hello").size() == 1);
  CHECK(world.gitlab.notes("hello-group/libs/hello", "merge_requests", 1).size() == 1);
}

TEST_CASE("on GitLab, a token without the api scope is refused with the scope named",
          "[integration][gitlab]") {
  GitLabWorld world("glpat-read");
  auto issue = world.forge->report_issue(k_upstream, "x", "y");
  REQUIRE_FALSE(issue);
  CHECK(issue.error().kind() == ErrorKind::auth);
  CHECK(issue.error().message().find("the token needs the scope api") != std::string::npos);
  GitLabWorld unknown("glpat-unknown");
  auto user = unknown.forge->current_user();
  REQUIRE_FALSE(user);
  CHECK(user.error().kind() == ErrorKind::auth);
}
