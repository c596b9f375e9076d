// A stateful fake of GitLab's REST API v4 (under /api/v4) and its git smart HTTP on one host:
// PRIVATE-TOKEN auth with token scopes (403 insufficient_scope naming the scope), projects
// addressed by id or URL-encoded path, asynchronous forks (import_status), merge requests
// opened on the fork with target_project_id (409 for a duplicate), notes and award emoji,
// issues, commit statuses (400 when the state does not change), members/all access levels,
// Link pagination. Faults can be injected per route.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/git_http_server.hpp"
#include "support/http_test_server.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace ferry::testing {

class FakeGitLab {
public:
  FakeGitLab();
  ~FakeGitLab();

  std::string api_url() const { return m_server->url("/api/v4"); }

  void add_user(const std::string& username, const std::string& token,
                std::set<std::string> scopes = {"api", "write_repository"});
  void add_project(const std::string& path_with_namespace,
                   const std::map<std::string, std::string>& files,
                   const std::string& default_branch = "main");
  void add_release(const std::string& project, const std::string& tag, const std::string& notes);
  void set_member(const std::string& project, const std::string& username, int access_level);
  // A note written by someone else (kind "issues" or "merge_requests"); returns its id (`id`
  // when given, as a webhook payload names it, else the next free one).
  long add_note(const std::string& project, const std::string& kind, long iid,
                const std::string& author, const std::string& body, long id = 0);
  // Forks report import_status "started" for this many reads before "finished".
  void set_fork_import_reads(int reads) { m_import_reads = reads; }
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  nlohmann::json merge_requests(const std::string& project) const;
  nlohmann::json notes(const std::string& project, const std::string& kind, long iid) const;
  nlohmann::json issues(const std::string& project) const;
  nlohmann::json statuses(const std::string& project) const;
  nlohmann::json award_emoji(const std::string& project) const;

private:
  struct Project;
  TestResponse handle(const TestRequest& request);
  TestResponse answer(const TestRequest& request);
  TestResponse api(const TestRequest& request, const std::string& user,
                   const std::vector<std::string>& parts);
  TestResponse project_api(const TestRequest& request, const std::string& user, Project& project,
                           const std::vector<std::string>& tail);
  Project* find_project(const std::string& id_or_path);
  nlohmann::json project_json(Project& project);
  nlohmann::json user_json(const std::string& username) const;

  TempDir m_dir;
  GitServerOptions m_git;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::recursive_mutex m_mutex;
  std::map<std::string, std::pair<std::string, std::set<std::string>>> m_tokens;
  std::map<std::string, long> m_user_ids;
  std::map<std::string, std::unique_ptr<Project>> m_projects; // by path_with_namespace
  FaultInjector m_faults;
  int m_import_reads = 0;
  long m_next_id = 100;
};

} // namespace ferry::testing
