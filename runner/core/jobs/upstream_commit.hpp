// What the upstream build and test jobs (copr_build, tests) share: the upstream commit they act
// on, Packit's check names (`rpm-build:<chroot>`, `testing-farm:<chroot>`, with the branch or
// tag of commit/release triggers), Packit's default Copr project name, timestamps of comments
// and services, and a reporter that sets a check on the commit only when its state changes
// (so a re-run does not pile up identical statuses or check runs).
#pragma once

#include "clients/forge/forge.hpp"
#include "error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::jobs {

// The upstream commit a build or test job acts on.
struct UpstreamCommit {
  clients::forge::RepoRef repo; // the upstream repository; statuses go to `commit` there
  std::string forge_host;       // "github.com", "gitlab.com", a Forgejo's host
  bool on_github = true;        // GitHub: Copr project names carry no host prefix
  std::string commit;           // the commit to build (a pull request's head)
  std::string clone_url;        // where Copr and Testing Farm clone it from (a fork for PRs)
  std::string trigger;          // pull_request | commit | release
  std::optional<long> pr_number;
  std::string branch;  // commit trigger: the pushed branch
  std::string tag;     // release trigger
  std::string run_url; // the CI run's page ("" when unknown)
};

// Packit's check name: `<prefix>:<chroot>` for pull requests, `<prefix>:<branch or tag>:<chroot>`
// for commit and release triggers (':' in the ref becomes '-'), `:<identifier>` appended.
std::string check_name(std::string_view prefix, const UpstreamCommit& commit,
                       std::string_view chroot, std::string_view identifier = "");

// Packit's default Copr project: `[<host>-]<namespace>-<repo>-<pr number | branch | releases>`
// (no host prefix on GitHub; '/' in namespaces becomes '-').
std::string default_copr_project(const UpstreamCommit& commit);

// Seconds since the epoch of an ISO 8601 / RFC 3339 time ("2025-06-10T12:00:00Z",
// "2025-06-10T12:00:00.123456" (UTC), "2025-06-10T14:00:00+02:00") or GitLab's webhook form
// ("2025-06-10 12:00:00 UTC"); nullopt when it is none of these.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// The last path segment of a URL ("https://x/builds/12/" -> "12").
std::string last_path_segment(std::string_view url);

// Sets checks on one commit through the forge, reading the current ones first: a check that
// already has the same state and title is not set again. Without a forge it does nothing;
// failures to set a check are logged, not returned (a status must not fail a build).
class CheckReporter {
public:
  CheckReporter(clients::forge::Forge* forge, clients::forge::RepoRef repo, std::string sha,
                bool enabled);

  // The checks on the commit now (read once; empty when the forge cannot say).
  const std::map<std::string, clients::forge::CheckRun>& current();
  void report(const std::string& name, clients::forge::CommitState state, const std::string& title,
              const std::string& url);

private:
  clients::forge::Forge* m_forge;
  clients::forge::RepoRef m_repo;
  std::string m_sha;
  bool m_enabled;
  std::optional<std::map<std::string, clients::forge::CheckRun>> m_current;
};

// Whether a check ended badly (failure or error), for rebuild-failed / retest-failed.
bool check_failed(const clients::forge::CheckRun& check);

} // namespace ferry::core::jobs
