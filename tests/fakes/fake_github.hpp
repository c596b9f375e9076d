// A stateful fake of GitHub's REST API v3 for integration tests, on 127.0.0.1 with a free
// port, whose repositories are real bare git repositories served over smart HTTP (so ferry's
// libgit2 pushes and fetches are real). It keeps users and their tokens (with fine-grained
// permissions), repositories, forks, pull requests, issues, comments, reactions, statuses and
// collaborator permissions, and answers as api.github.com does: status codes, error bodies
// (401 "Bad credentials", 403 with X-Accepted-GitHub-Permissions, 404, 422 "A pull request
// already exists for owner:branch."), Link pagination and rate-limit headers.
// Faults can be injected per route for reliability tests.
//
// With Flavor::forgejo it fakes the Forgejo/Gitea API v1 instead, whose REST shape follows
// GitHub's: API under /api/v1, `limit` paging with X-Total-Count, 409 for an existing fork or
// a duplicate pull request, 201 for an edited pull request, "owner" permissions, token scopes.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/git_http_server.hpp"
#include "support/http_test_server.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeGitHub {
public:
  enum class Flavor { github, forgejo };
  explicit FakeGitHub(Flavor flavor = Flavor::github);
  ~FakeGitHub();

  // API root, e.g. http://127.0.0.1:PORT (GITHUB_API_URL).
  std::string api_url() const;

  // A user whose token may do what `permissions` grants ("pull_requests=write", "issues=write",
  // "statuses=write", "contents=write", or "*" for everything).
  void add_user(const std::string& login, const std::string& token,
                std::set<std::string> permissions = {"*"});
  // A repository with one commit on `default_branch` holding `files`.
  void add_repository(const std::string& owner, const std::string& name,
                      const std::map<std::string, std::string>& files,
                      const std::string& default_branch = "main");
  // Another branch of a repository, starting where `from` points.
  void add_branch(const std::string& owner, const std::string& name, const std::string& branch,
                  const std::string& from);
  void add_release(const std::string& owner, const std::string& name, const std::string& tag,
                   const std::string& body);
  void set_permission(const std::string& owner, const std::string& name, const std::string& user,
                      const std::string& permission);
  // A pull request by `author` into `base`, merged as `merge_commit` (a commit the test put
  // on `base` in git_dir()); returns its number.
  long add_merged_pull_request(const std::string& owner, const std::string& name,
                               const std::string& author, const std::string& base,
                               const std::string& merge_commit);
  // The server's bare repository (tests push to it directly, as a merge on the forge would).
  std::filesystem::path git_dir(const std::string& owner, const std::string& name) const;
  // A pull request by `author` from branch `head_branch` of the same repository, whose one
  // commit on top of the default branch writes `files`. Returns the head commit.
  std::string add_pull_request(const std::string& owner, const std::string& name, long number,
                               const std::string& author, const std::string& head_branch,
                               const std::map<std::string, std::string>& files);
  // The clone URL of a repository (smart HTTP, anonymous reads).
  std::string clone_url(const std::string& owner, const std::string& name) const;
  // The next `count` requests matching "METHOD /path-prefix" get this fault or status instead;
  // with `after_processing`, the request is carried out first and only its answer is lost.
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);
  // Fork requests are accepted, but the fork answers 404 for this many reads first.
  void set_fork_delay(int reads) { m_fork_delay = reads; }
  void set_page_size(std::size_t size) { m_page_size = size; }

  // State, for assertions.
  nlohmann::json pulls(const std::string& owner, const std::string& name) const;
  nlohmann::json issues(const std::string& owner, const std::string& name) const;
  nlohmann::json comments(const std::string& owner, const std::string& name, long number) const;
  nlohmann::json statuses(const std::string& owner, const std::string& name) const;
  nlohmann::json reactions(const std::string& owner, const std::string& name) const;
  nlohmann::json check_runs(const std::string& owner, const std::string& name) const;
  // `git show <ref>:<path>` in the server's copy of the repository.
  std::string file_at(const std::string& owner, const std::string& name, const std::string& ref,
                      const std::string& path) const;
  std::size_t request_count() const { return m_api->request_count(); }
  std::vector<TestRequest> requests() const { return m_api->requests(); }

private:
  struct Repo;
  TestResponse handle(const TestRequest& request);
  TestResponse answer_authorised(const TestRequest& request);
  TestResponse route(const TestRequest& request, const std::string& login);
  Repo* find_repo(const std::string& owner, const std::string& name);
  const Repo* find_repo(const std::string& owner, const std::string& name) const;
  nlohmann::json repo_json(const Repo& repo) const;

  bool is_forgejo() const { return m_flavor == Flavor::forgejo; }
  TestResponse error(int status, const std::string& message, TestHeaders headers = {}) const;

  Flavor m_flavor;
  TempDir m_dir;
  std::unique_ptr<GitHttpServer> m_git;
  std::unique_ptr<HttpTestServer> m_api;
  mutable std::recursive_mutex m_mutex;
  std::map<std::string, std::pair<std::string, std::set<std::string>>> m_tokens; // token -> user
  std::map<std::string, std::unique_ptr<Repo>> m_repos;                          // "o/r"
  FaultInjector m_faults;
  int m_fork_delay = 0;
  std::size_t m_page_size = 30;
  long m_next_id = 1000;
};

} // namespace ferry::testing
