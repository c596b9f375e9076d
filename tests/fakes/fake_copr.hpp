// A stateful fake of Copr's API v3 (fedora-protocols §6, §9): HTTP Basic auth with
// `<login>:<token>` and the exact 401 body, projects (get, add with the literal `exist_ok=True`,
// edit), `mock-chroots/list`, builds from SCM (JSON) and from an uploaded SRPM (multipart with
// a `json` file part and a `pkgs` part), the Build object of the real API, per-chroot states in
// `build-chroot/list` ({items, meta}), the SRPM step in `build/source-chroot/<id>`, a project's
// builds in `build/list/` (limit/offset/order paging) and how each was made in
// `build/source-build-config/<id>/`.
// States advance on a timer, one `step` per state: the build is importing, then each chroot
// pending -> running -> succeeded (or failed, for chroots set to fail), slightly staggered, and
// the build follows its chroots. Errors are {"error": "<text>"} with Copr's statuses.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeCopr {
public:
  explicit FakeCopr(std::chrono::milliseconds step = std::chrono::milliseconds(60));

  // http://127.0.0.1:<port>: the frontend; the API is under /api_3.
  std::string url() const { return m_server->url(""); }

  // An API login and token for the user `name`, a member of `groups` (without '@').
  void add_user(const std::string& login, const std::string& token, const std::string& name,
                std::set<std::string> groups = {});
  // Builds in this chroot end in `failed`.
  void fail_chroot(const std::string& chroot);
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  nlohmann::json projects() const;
  std::size_t build_count() const;
  // Every build as the API shows it, with the create request's body as "request".
  nlohmann::json builds() const;
  // The SRPM uploads received: file name -> content.
  std::map<std::string, std::string> uploads() const;

private:
  struct Build {
    long id = 0;
    std::string owner;
    std::string project;
    std::vector<std::string> chroots;
    std::string source_type; // scm | upload
    std::string package;
    nlohmann::json source;
    std::string submitter;
    std::chrono::steady_clock::time_point submitted;
    long submitted_epoch = 0;
    bool canceled = false;
  };

  TestResponse handle(const TestRequest& request);
  TestResponse answer(const TestRequest& request);
  TestResponse api(const TestRequest& request, const std::string& user);
  TestResponse add_project(const std::string& owner, const std::string& user,
                           const nlohmann::json& body, bool exist_ok);
  TestResponse edit_project(const std::string& owner, const std::string& name,
                            const std::string& user, const nlohmann::json& body);
  TestResponse create_build(const std::string& user, const nlohmann::json& body,
                            const std::string& source_type);
  TestResponse upload_build(const TestRequest& request, const std::string& user);
  TestResponse list_builds(std::map<std::string, std::string> query) const;
  bool may_write(const std::string& user, const std::string& owner) const;
  std::string chroot_state(const Build& build, std::size_t index) const;
  std::string build_state(const Build& build) const;
  nlohmann::json build_json(const Build& build) const;
  nlohmann::json chroot_json(const Build& build, std::size_t index) const;
  nlohmann::json project_json(const nlohmann::json& project) const;

  std::chrono::milliseconds m_step;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  std::map<std::string, std::pair<std::string, std::string>> m_logins; // login -> token, user
  std::map<std::string, std::set<std::string>> m_groups;               // user -> groups
  std::set<std::string> m_mock_chroots;
  std::set<std::string> m_failing_chroots;
  std::map<std::string, nlohmann::json> m_projects; // "owner/name" -> stored fields
  std::map<long, Build> m_builds;
  std::map<std::string, std::string> m_uploads;
  long m_next_project_id = 101;
  long m_next_build_id = 8000001;
  FaultInjector m_faults;
};

} // namespace ferry::testing
