// Reliability of the forge clients: for every call a propose-downstream run makes, each kind
// of fault — 502, 503, a dropped connection, a stall past the timeout, and an answer lost
// after the server acted — is injected once, and the run must still succeed and leave the
// same end state as a run without faults: one fork, one pull request, one comment, one
// reaction, the last status, one failure issue with one comment. The token is a canary that
// is not registered for redaction: it must not appear in any log line, at debug level.
#include "clients/forge/gitlab/gitlab_forge.hpp"
#include "clients/forge/pagure/pagure_forge.hpp"
#include "fakes/fake_gitlab.hpp"
#include "fakes/fake_pagure.hpp"
#include "fakes/github_world.hpp"
#include "fakes/push_branch.hpp"
#include "support/log_capture.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

struct FaultCase {
  const char* name;
  TestResponse response;
  bool after_processing;
};

std::vector<FaultCase> fault_cases() {
  TestResponse drop;
  drop.fault = Fault::drop;
  TestResponse stall;
  stall.fault = Fault::stall;
  stall.stall_for = std::chrono::milliseconds(3000);
  return {{"502", TestResponse{502, {}, "bad gateway"}, false},
          {"503", TestResponse{503, {{"Retry-After", "0"}}, ""}, false},
          {"dropped connection", drop, false},
          {"stall past the timeout", stall, false},
          {"answer lost after the change", drop, true}};
}

infra::http::ClientOptions fast_retries() {
  infra::http::ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  options.total_timeout = std::chrono::milliseconds(700);
  options.retry.max_attempts = 3;
  return options;
}

// The calls of one run, in order; `push` puts the bot branch on the fork.
template <typename Push>
void run_story(Forge& forge, const RepoRef& upstream, const PullRequestDraft& draft, Push push) {
  auto fork = forge.ensure_fork(upstream);
  INFO((fork ? "" : fork.error().describe()));
  REQUIRE(fork);
  push(*fork);
  auto pr = forge.open_or_update_pull_request(upstream, draft);
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  Thread thread{ThreadKind::pull_request, pr->number};
  auto comment = forge.comment(upstream, thread, "Koji build scheduled");
  INFO((comment ? "" : comment.error().describe()));
  REQUIRE(comment);
  auto reaction = forge.add_reaction(upstream, thread, comment->id, Reaction::rocket);
  INFO((reaction ? "" : reaction.error().describe()));
  REQUIRE(reaction);
  auto status = forge.set_commit_status(
      upstream, CommitStatus{std::string(40, 'a'), CommitState::success, "ferry", "done", ""});
  INFO((status ? "" : status.error().describe()));
  REQUIRE(status);
  auto permission = forge.permission(upstream, "maintainer");
  REQUIRE(permission);
  CHECK(*permission >= Permission::write);
  auto issue = forge.report_issue(upstream, "ferry: run failed", "details");
  INFO((issue ? "" : issue.error().describe()));
  REQUIRE(issue);
  REQUIRE(forge.report_issue(upstream, "ferry: run failed", "again"));
}

} // namespace

// GitHub and Forgejo share the client and the fake, so one matrix serves both; Forgejo's API
// lives under /api/v1.
static void github_style_matrix(FakeGitHub::Flavor flavor, const std::string& api_prefix) {
  const std::vector<std::string> paths = {"GET /user",
                                          "GET /repos/ferry-bot/hello",
                                          "POST /repos/hello-org/hello/forks",
                                          "GET /repos/hello-org/hello/pulls",
                                          "POST /repos/hello-org/hello/pulls",
                                          "POST /repos/hello-org/hello/issues/1/comments",
                                          "POST /repos/hello-org/hello/issues/comments",
                                          "POST /repos/hello-org/hello/statuses",
                                          "GET /repos/hello-org/hello/collaborators",
                                          "GET /repos/hello-org/hello/issues",
                                          "POST /repos/hello-org/hello/issues"};
  for (const std::string& path : paths) {
    std::size_t space = path.find(' ');
    std::string route = path.substr(0, space + 1) + api_prefix + path.substr(space + 1);
    for (const FaultCase& fault : fault_cases()) {
      DYNAMIC_SECTION(route << " / " << fault.name) {
        ScopedLogCapture capture;
        GitHubWorld world(k_bot_token, flavor);
        world.http = infra::http::make_curl_http_client(fast_retries());
        ForgeSettings settings;
        settings.api_url = world.github.api_url();
        settings.token = k_bot_token;
        settings.sleep = [](std::chrono::milliseconds) {};
        world.forge = flavor == FakeGitHub::Flavor::github
                          ? github::make_github_forge(*world.http, settings)
                          : forgejo::make_forgejo_forge(*world.http, settings);
        world.github.set_permission("hello-org", "hello", "maintainer", "write");
        world.github.inject(route, fault.response, 1, fault.after_processing);
        run_story(*world.forge, RepoRef{"hello-org", "hello"},
                  PullRequestDraft{"Update to 1.1", "body", "ferry-bot", "ferry/rawhide", "main"},
                  [&](const RepositoryInfo& fork) {
                    world.push_bot_branch(fork, "ferry/rawhide", "1.1");
                  });
        CHECK(world.github.pulls("hello-org", "hello").size() == 1);
        CHECK(world.github.comments("hello-org", "hello", 1).size() == 1);
        CHECK(world.github.reactions("hello-org", "hello").size() == 1);
        CHECK(world.github.statuses("hello-org", "hello").back()["state"] == "success");
        auto issues = world.github.issues("hello-org", "hello");
        REQUIRE(issues.size() == 1);
        CHECK(world.github.comments("hello-org", "hello", issues[0]["number"].get<long>()).size() ==
              1);
        CHECK(capture.text().find(k_bot_token) == std::string::npos);
      }
    }
  }
}

TEST_CASE("GitHub: a fault at any call leaves the same end state",
          "[integration][github][faults]") {
  github_style_matrix(FakeGitHub::Flavor::github, "");
}

TEST_CASE("Forgejo: a fault at any call leaves the same end state",
          "[integration][forgejo][faults]") {
  github_style_matrix(FakeGitHub::Flavor::forgejo, "/api/v1");
}

TEST_CASE("GitLab: a fault at any call leaves the same end state",
          "[integration][gitlab][faults]") {
  const std::vector<std::string> routes = {
      "GET /api/v4/user",
      "POST /api/v4/projects/group%2Fhello/fork",
      "GET /api/v4/projects/group%2Fhello/merge_requests",
      "POST /api/v4/projects/ferry-bot%2Fhello/merge_requests",
      "POST /api/v4/projects/group%2Fhello/merge_requests/1/notes",
      "POST /api/v4/projects/group%2Fhello/statuses",
      "GET /api/v4/projects/group%2Fhello/members",
      "POST /api/v4/projects/group%2Fhello/issues"};
  for (const std::string& route : routes) {
    for (const FaultCase& fault : fault_cases()) {
      DYNAMIC_SECTION(route << " / " << fault.name) {
        ScopedLogCapture capture;
        FakeGitLab gitlab;
        gitlab.add_user("ferry-bot", "glpat-bot");
        gitlab.add_project("group/hello", {{"hello.spec", "Name: hello\n"}});
        gitlab.set_member("group/hello", "maintainer", 40);
        gitlab.inject(route, fault.response, 1, fault.after_processing);
        auto http = infra::http::make_curl_http_client(fast_retries());
        ForgeSettings settings;
        settings.api_url = gitlab.api_url();
        settings.token = "glpat-bot";
        settings.sleep = [](std::chrono::milliseconds) {};
        auto forge = gitlab::make_gitlab_forge(*http, settings);
        run_story(*forge, RepoRef{"group", "hello"},
                  PullRequestDraft{"Update", "body", "ferry-bot", "ferry/main", "main"},
                  [&](const RepositoryInfo& fork) {
                    push_spec_change(*forge, fork, "ferry/main", "Name: hello\nVersion: 2\n");
                  });
        CHECK(gitlab.merge_requests("group/hello").size() == 1);
        CHECK(gitlab.notes("group/hello", "merge_requests", 1).size() == 1);
        CHECK(gitlab.award_emoji("group/hello").size() == 1);
        CHECK(gitlab.statuses("group/hello").back()["status"] == "success");
        REQUIRE(gitlab.issues("group/hello").size() == 1);
        CHECK(gitlab.notes("group/hello", "issues", 1).size() == 1);
        CHECK(capture.text().find("glpat-bot") == std::string::npos);
      }
    }
  }
}

TEST_CASE("Pagure: a fault at any call leaves the same end state",
          "[integration][pagure][faults]") {
  const std::vector<std::string> routes = {"POST /api/0/-/whoami",
                                           "POST /api/0/fork",
                                           "GET /api/0/rpms/hello/pull-requests",
                                           "POST /api/0/rpms/hello/pull-request/new",
                                           "POST /api/0/rpms/hello/pull-request/1/comment",
                                           "POST /api/0/rpms/hello/c/",
                                           "GET /api/0/rpms/hello",
                                           "POST /api/0/rpms/hello/new_issue"};
  for (const std::string& route : routes) {
    for (const FaultCase& fault : fault_cases()) {
      DYNAMIC_SECTION(route << " / " << fault.name) {
        ScopedLogCapture capture;
        FakePagure pagure;
        pagure.add_user("ferry-bot", "pagure-token");
        pagure.add_package("hello", {{"hello.spec", "Name: hello\n"}});
        pagure.set_access("hello", "commit", "maintainer");
        pagure.inject(route, fault.response, 1, fault.after_processing);
        auto http = infra::http::make_curl_http_client(fast_retries());
        ForgeSettings settings;
        settings.api_url = pagure.base_url();
        settings.token = "pagure-token";
        settings.sleep = [](std::chrono::milliseconds) {};
        auto forge = pagure::make_pagure_forge(*http, settings);
        run_story(*forge, RepoRef{"rpms", "hello"},
                  PullRequestDraft{"Update", "body", "ferry-bot", "rawhide-update", "rawhide"},
                  [&](const RepositoryInfo& fork) {
                    push_spec_change(*forge, fork, "rawhide-update", "Name: hello\nVersion: 2\n");
                  });
        auto prs = pagure.pull_requests("hello");
        REQUIRE(prs.size() == 1);
        CHECK(prs[0]["comments"].size() == 1);
        REQUIRE(pagure.flags("hello").size() == 1);
        CHECK(pagure.flags("hello")[0]["status"] == "success");
        REQUIRE(pagure.issues("hello").size() == 1);
        CHECK(pagure.issues("hello")[0]["comments"].size() == 1);
        CHECK(capture.text().find("pagure-token") == std::string::npos);
      }
    }
  }
}
