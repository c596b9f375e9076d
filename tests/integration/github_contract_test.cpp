// Contract test against GitHub's official OpenAPI description: Prism runs as a validating
// proxy (`prism proxy --errors`) in front of FakeGitHub, and ferry's GitHub client talks to
// Prism. A request ferry sends that does not match api.github.com.json is answered 422 by
// Prism; a response of the fake that does not match becomes 500 — either fails this test.
//
// The GitHub calls ferry makes (keep in sync with tests/prism/reduce-spec.js):
//   GET  /user                                        current_user
//   GET  /repos/{owner}/{repo}                        repository, fork readiness
//   GET  /repos/{owner}/{repo}/releases/tags/{tag}    release_by_tag
//   GET  /repos/{owner}/{repo}/releases/latest        latest_release
//   GET  /repos/{owner}/{repo}/contents/{path}        file_content
//   POST /repos/{owner}/{repo}/forks                  ensure_fork
//   GET  /repos/{owner}/{repo}/pulls                  find_pull_requests
//   POST /repos/{owner}/{repo}/pulls                  open_or_update_pull_request
//   PATCH /repos/{owner}/{repo}/pulls/{pull_number}   open_or_update_pull_request
//   GET  /repos/{owner}/{repo}/issues                 report_issue (find the open one)
//   POST /repos/{owner}/{repo}/issues                 report_issue
//   GET/POST /repos/{owner}/{repo}/issues/{n}/comments                comment
//   POST /repos/{owner}/{repo}/issues/comments/{id}/reactions         add_reaction
//   POST /repos/{owner}/{repo}/statuses/{sha}                         set_commit_status
//   GET  /repos/{owner}/{repo}/collaborators/{username}/permission    permission
//   POST /repos/{owner}/{repo}/check-runs                             report_check
#include "clients/forge/github/github_forge.hpp"
#include "fakes/fake_github.hpp"
#include "support/background_process.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

using namespace ferry;
using namespace ferry::clients::forge;
using namespace ferry::testing;

namespace {

std::filesystem::path reduced_spec() {
  if (const char* path = std::getenv("FERRY_GITHUB_OPENAPI"); path != nullptr) {
    return path;
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "/root") /
         ".cache/ferry/github-openapi/reduced.json";
}

std::filesystem::path prism_binary() {
  return std::filesystem::path(FERRY_SOURCE_DIR) / "tests/prism/node_modules/.bin/prism";
}

// Passes requests to the real client and prints Prism's explanation of any violation.
class ViolationReporter final : public infra::http::HttpClient {
public:
  explicit ViolationReporter(std::unique_ptr<infra::http::HttpClient> inner)
      : m_inner(std::move(inner)) {}
  Result<infra::http::Response> send(const infra::http::Request& request) override {
    auto response = m_inner->send(request);
    if (response) {
      if (auto violations = response->header("sl-violations")) {
        WARN(infra::http::to_string(request.method) << " " << request.url << ": " << *violations);
      }
    }
    return response;
  }

private:
  std::unique_ptr<infra::http::HttpClient> m_inner;
};

} // namespace

TEST_CASE("every GitHub call ferry makes, and every answer of the fake, match GitHub's OpenAPI",
          "[integration][github][contract]") {
  if (!std::filesystem::exists(prism_binary()) || !std::filesystem::exists(reduced_spec())) {
    FERRY_PREREQUISITE_MISSING("Prism or the reduced GitHub OpenAPI description is missing: run "
                               "scripts/github-contract-setup.sh");
  }
  FakeGitHub github;
  github.add_user("ferry-bot", "ghp_contract");
  github.add_repository("hello-org", "hello", {{"hello.spec", "Name: hello\n"}});
  github.add_release("hello-org", "hello", "v1.1", "notes");
  github.set_permission("hello-org", "hello", "maintainer", "write");

  TempDir dir;
  std::uint16_t port = free_port();
  BackgroundProcess prism({prism_binary().string(), "proxy", reduced_spec().string(),
                           github.api_url(), "--errors", "-h", "127.0.0.1", "-p",
                           std::to_string(port)},
                          std::getenv("FERRY_PRISM_LOG") != nullptr // keep it for debugging
                              ? std::filesystem::path(std::getenv("FERRY_PRISM_LOG"))
                              : dir / "prism.log");
  REQUIRE(prism.wait_for_port(port, std::chrono::milliseconds(60'000)));
  INFO("prism log:\n" << prism.log_tail());

  infra::http::ClientOptions options;
  options.retry.max_attempts = 1; // a contract violation must not be hidden by a retry
  ViolationReporter http_client(infra::http::make_curl_http_client(options));
  infra::http::HttpClient* http = &http_client;
  ForgeSettings settings;
  settings.api_url = "http://127.0.0.1:" + std::to_string(port);
  settings.token = "ghp_contract";
  settings.fork_poll_interval = std::chrono::milliseconds(1);
  auto forge = github::make_github_forge(*http, settings);
  const RepoRef upstream{"hello-org", "hello"};

  auto user = forge->current_user();
  INFO((user ? "" : user.error().describe()));
  REQUIRE(user);
  CHECK(*user == "ferry-bot");
  auto info = forge->repository(upstream);
  INFO((info ? "" : info.error().describe()));
  REQUIRE(info);
  CHECK(info->default_branch == "main");
  auto release = forge->release_by_tag(upstream, "v1.1");
  INFO((release ? "" : release.error().describe()));
  REQUIRE(release);
  CHECK(release->value().body == "notes");
  auto latest = forge->latest_release(upstream);
  INFO((latest ? "" : latest.error().describe()));
  REQUIRE(latest);
  CHECK(latest->value().tag == "v1.1");
  auto file = forge->file_content(upstream, "hello.spec", "main");
  INFO((file ? "" : file.error().describe()));
  REQUIRE(file);
  CHECK(file->value() == "Name: hello\n");
  auto fork = forge->ensure_fork(upstream);
  INFO((fork ? "" : fork.error().describe()));
  REQUIRE(fork);

  TempDir work;
  auto repo = infra::git::Repository::clone(forge->git_remote(*fork), work / "clone");
  REQUIRE(repo);
  REQUIRE(repo->switch_to_new_branch("ferry/main", "HEAD"));
  std::ofstream(work / "clone" / "hello.spec") << "Name: hello\nVersion: 1.1\n";
  infra::git::Signature bot{"Ferry Bot", "ferry@example.org", std::nullopt};
  REQUIRE(repo->commit_all("Update", bot, bot));
  REQUIRE(repo->push(forge->git_remote(*fork), "refs/heads/ferry/main", "refs/heads/ferry/main"));

  PullRequestDraft draft{"Update to 1.1", "body", "ferry-bot", "ferry/main", "main"};
  auto pr = forge->open_or_update_pull_request(upstream, draft);
  INFO((pr ? "" : pr.error().describe()));
  REQUIRE(pr);
  draft.body = "new body";
  REQUIRE(forge->open_or_update_pull_request(upstream, draft));
  auto comment = forge->comment(upstream, Thread{ThreadKind::pull_request, pr->number}, "done");
  REQUIRE(comment);
  REQUIRE(forge->add_reaction(upstream, Thread{}, comment->id, Reaction::rocket));
  REQUIRE(
      forge->set_commit_status(upstream, CommitStatus{std::string(40, 'c'), CommitState::success,
                                                      "ferry", "ok", "https://example.org"}));
  CHECK(forge->permission(upstream, "maintainer").value() == Permission::write);
  auto check = forge->report_check(upstream, CheckRun{std::string(40, 'c'), "ferry/tests",
                                                      CommitState::pending, "Running",
                                                      "Testing Farm request queued", ""});
  INFO((check ? "" : check.error().describe()));
  REQUIRE(check);
  auto issue = forge->report_issue(upstream, "ferry failed", "details");
  REQUIRE(issue);
  REQUIRE(forge->report_issue(upstream, "ferry failed", "again"));
}
