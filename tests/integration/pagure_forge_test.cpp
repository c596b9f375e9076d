// The Pagure client (dist-git on src.fedoraproject.org) over real HTTP and real git against
// FakePagure: fork → push → one PR (Pagure itself would accept duplicates) → updated on
// re-run → comment → commit flag → permissions from access lists and groups → failure issue;
// lost answers leave no duplicates; missing ACLs are named.
#include "clients/forge/pagure/pagure_forge.hpp"
#include "fakes/fake_pagure.hpp"
#include "fakes/push_branch.hpp"
#include "infra/git/repository.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

const RepoRef k_package{"rpms", "hello"};

struct DistGit {
  FakePagure pagure;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<Forge> forge;

  explicit DistGit(std::string token = "pagure-bot-token") {
    pagure.add_user("ferry-bot", "pagure-bot-token");
    pagure.add_user("limited", "pagure-limited-token", {"fork_project"});
    pagure.add_package("hello", {{"hello.spec", "Name: hello\nVersion: 1.0\n"}, {"sources", ""}});
    pagure.set_access("hello", "owner", "packager");
    pagure.set_access("hello", "commit", "comaintainer");
    pagure.add_group("hello", "commit", "python-packagers-sig", {"sig-member"});
    infra::http::ClientOptions options;
    options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(options);
    ForgeSettings settings;
    settings.api_url = pagure.base_url();
    settings.token = std::move(token);
    settings.sleep = [](std::chrono::milliseconds) {};
    forge = pagure::make_pagure_forge(*http, settings);
  }

  void push_branch(const RepositoryInfo& fork, const std::string& branch,
                   const std::string& version) {
    push_spec_change(*forge, fork, branch, "Name: hello\nVersion: " + version + "\n");
  }
};

PullRequestDraft draft(const std::string& title, const std::string& body) {
  return PullRequestDraft{title, body, "ferry-bot", "rawhide-update-1.1", "rawhide"};
}

} // namespace

TEST_CASE("a dist-git update becomes one Pagure pull request from the bot's fork",
          "[integration][pagure]") {
  DistGit dist_git;
  CHECK(dist_git.forge->current_user().value() == "ferry-bot");
  auto info = dist_git.forge->repository(k_package);
  REQUIRE(info);
  CHECK(info->default_branch == "rawhide");
  CHECK(dist_git.forge->file_content(k_package, "hello.spec", "rawhide").value() ==
        "Name: hello\nVersion: 1.0\n");
  CHECK_FALSE(dist_git.forge->file_content(k_package, "nope.txt", "rawhide")->has_value());

  auto fork = dist_git.forge->ensure_fork(k_package);
  INFO((fork ? "" : fork.error().describe()));
  REQUIRE(fork);
  CHECK(fork->ref.owner == "fork/ferry-bot/rpms");
  CHECK(fork->clone_url == dist_git.pagure.base_url() + "/forks/ferry-bot/rpms/hello.git");
  CHECK(dist_git.forge->ensure_fork(k_package)->ref.owner == "fork/ferry-bot/rpms");

  dist_git.push_branch(*fork, "rawhide-update-1.1", "1.1");
  auto pr = dist_git.forge->open_or_update_pull_request(
      k_package, draft("Update to 1.1", "Upstream tag: v1.1"));
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  CHECK(pr->number == 1);
  CHECK(pr->head_owner == "ferry-bot");
  REQUIRE(dist_git.forge->open_or_update_pull_request(
      k_package, draft("Update to 1.1", "Upstream tag: v1.1")));
  auto updated = dist_git.forge->open_or_update_pull_request(
      k_package, draft("Update to 1.2", "Upstream tag: v1.2"));
  REQUIRE(updated);
  CHECK(updated->number == 1);
  auto prs = dist_git.pagure.pull_requests("hello");
  REQUIRE(prs.size() == 1);
  CHECK(prs[0]["title"] == "Update to 1.2");
  CHECK(prs[0]["initial_comment"] == "Upstream tag: v1.2");

  auto read = dist_git.forge->pull_request(k_package, 1);
  INFO((read ? "" : read.error().describe()));
  REQUIRE(read);
  CHECK(read->author == "ferry-bot");
  CHECK(read->title == "Update to 1.2");
  CHECK(read->head_branch == "rawhide-update-1.1");
  CHECK(read->base_branch == "rawhide");
  CHECK_FALSE(read->merged);
  CHECK_FALSE(dist_git.forge->pull_request(k_package, 99));
}

TEST_CASE("comments, commit flags, permissions and failure issues on Pagure",
          "[integration][pagure]") {
  DistGit dist_git;
  auto fork = dist_git.forge->ensure_fork(k_package);
  REQUIRE(fork);
  dist_git.push_branch(*fork, "rawhide-update-1.1", "1.1");
  auto pr = dist_git.forge->open_or_update_pull_request(k_package, draft("Update to 1.1", "body"));
  REQUIRE(pr);
  REQUIRE(dist_git.forge->comment(k_package, Thread{ThreadKind::pull_request, pr->number},
                                  "Koji build scheduled"));
  REQUIRE(dist_git.forge->add_reaction(k_package, Thread{}, 0,
                                       Reaction::eyes)); // no reactions on Pagure
  CHECK(dist_git.pagure.pull_requests("hello")[0]["comments"].size() == 1);

  CommitStatus status{std::string(40, 'd'), CommitState::pending, "ferry/koji-build", "building",
                      ""};
  REQUIRE(dist_git.forge->set_commit_status(k_package, status));
  status.state = CommitState::success;
  REQUIRE(dist_git.forge->set_commit_status(k_package, status));
  auto flags = dist_git.pagure.flags("hello");
  REQUIRE(flags.size() == 1);
  CHECK(flags[0]["status"] == "success");

  CHECK(dist_git.forge->permission(k_package, "packager").value() == Permission::admin);
  CHECK(dist_git.forge->permission(k_package, "comaintainer").value() == Permission::write);
  CHECK(dist_git.forge->permission(k_package, "sig-member").value() == Permission::write);
  CHECK(dist_git.forge->permission(k_package, "stranger").value() == Permission::read);

  auto issue = dist_git.forge->report_issue(k_package, "ferry: koji_build failed", "first");
  REQUIRE(issue);
  CHECK(issue->created);
  auto again = dist_git.forge->report_issue(k_package, "ferry: koji_build failed", "second");
  REQUIRE(again);
  CHECK_FALSE(again->created);
  auto issues = dist_git.pagure.issues("hello");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0]["comments"].size() == 1);
}

TEST_CASE("lost answers from Pagure leave exactly one pull request and one comment",
          "[integration][pagure]") {
  DistGit dist_git;
  TestResponse drop;
  drop.fault = Fault::drop;
  dist_git.pagure.inject("POST /api/0/fork", TestResponse{503, {}, ""});
  dist_git.pagure.inject("POST /api/0/rpms/hello/pull-request/new",
                         TestResponse{502, {}, "<html>proxy</html>"}, 1, true);
  dist_git.pagure.inject("POST /api/0/rpms/hello/pull-request/1/comment", drop, 1, true);
  dist_git.pagure.inject("GET /api/0/rpms/hello/pull-requests", drop);

  auto fork = dist_git.forge->ensure_fork(k_package);
  REQUIRE(fork);
  dist_git.push_branch(*fork, "rawhide-update-1.1", "1.1");
  auto pr = dist_git.forge->open_or_update_pull_request(k_package, draft("Update to 1.1", "body"));
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  REQUIRE(dist_git.forge->comment(k_package, Thread{ThreadKind::pull_request, pr->number}, "done"));
  CHECK(dist_git.pagure.pull_requests("hello").size() == 1);
  CHECK(dist_git.pagure.pull_requests("hello")[0]["comments"].size() == 1);
}

TEST_CASE("Pagure auth failures say which token or ACL is missing", "[integration][pagure]") {
  SECTION("unknown token") {
    DistGit dist_git("not-a-token");
    auto user = dist_git.forge->current_user();
    REQUIRE_FALSE(user);
    CHECK(user.error().kind() == ErrorKind::auth);
    CHECK(user.error().message().find("EINVALIDTOK") != std::string::npos);
    CHECK(user.error().describe().find("not-a-token") == std::string::npos);
  }
  SECTION("missing ACL") {
    DistGit dist_git("pagure-limited-token");
    auto fork = dist_git.forge->ensure_fork(k_package);
    REQUIRE(fork);
    auto pr = dist_git.forge->open_or_update_pull_request(
        k_package, PullRequestDraft{"t", "b", "limited", "x", "rawhide"});
    REQUIRE_FALSE(pr);
    CHECK(pr.error().kind() == ErrorKind::auth);
    CHECK(pr.error().message().find("Missing ACLs: pull_request_create") != std::string::npos);
  }
}
