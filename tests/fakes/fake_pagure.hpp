// A stateful fake of Pagure API 0 as src.fedoraproject.org runs it (dist-git), API and git on
// one host like the real one: `Authorization: token` with per-token ACL sets, the JSON error
// triple {error, error_code, errors}, string epoch timestamps, the pagination object with
// `next`, synchronous forks (`wait`), PR creation on the target repo naming the fork with
// repo_from*, and — as the real server does — a second PR from the same branch accepted.
// Repositories are real bare git repositories served over smart HTTP.
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

namespace ferry::testing {

class FakePagure {
public:
  FakePagure();
  ~FakePagure();

  // Base URL of the instance (what users write as https://src.fedoraproject.org).
  std::string base_url() const { return m_server->url(""); }

  void add_user(const std::string& name, const std::string& token,
                std::set<std::string> acls = {"*"});
  // A package repository rpms/<name> with one commit on `default_branch`.
  void add_package(const std::string& name, const std::map<std::string, std::string>& files,
                   const std::string& default_branch = "rawhide");
  // Another branch of rpms/<package>, starting where `from` points.
  void add_branch(const std::string& package, const std::string& branch, const std::string& from);
  // The bare repository of "rpms/<package>" or "forks/<user>/rpms/<package>", for git commands.
  std::filesystem::path git_dir(const std::string& repo_path) const;
  void set_access(const std::string& package, const std::string& role, const std::string& user);
  void add_group(const std::string& package, const std::string& role, const std::string& group,
                 const std::vector<std::string>& members);
  // The next `count` requests whose "METHOD path" starts with the prefix get this instead;
  // with `after_processing`, the request is carried out and only the answer is lost.
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  nlohmann::json pull_requests(const std::string& package) const;
  nlohmann::json issues(const std::string& package) const;
  nlohmann::json flags(const std::string& package) const;
  std::string file_at(const std::string& repo_path, const std::string& ref,
                      const std::string& path) const;

private:
  struct Package;
  TestResponse handle(const TestRequest& request);
  TestResponse answer(const TestRequest& request);
  TestResponse api(const TestRequest& request, const std::string& user);
  nlohmann::json project_json(const Package& package, const std::string& fork_user,
                              bool expand) const;

  TempDir m_dir;
  GitServerOptions m_git;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::recursive_mutex m_mutex;
  std::map<std::string, std::pair<std::string, std::set<std::string>>> m_tokens;
  std::map<std::string, std::unique_ptr<Package>> m_packages;
  std::set<std::string> m_forks; // "<user>/<package>"
  FaultInjector m_faults;
  long m_next_id = 1;
};

} // namespace ferry::testing
