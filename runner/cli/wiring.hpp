// The only place that builds real clients (forges, lookaside, HTTP, processes) and the sync
// options from ferry's settings, so commands stay short and tests can see what is configured.
#pragma once

#include "cli/settings.hpp"
#include "clients/fedora/lookaside/lookaside.hpp"
#include "clients/forge/forge.hpp"
#include "core/jobs/release_sync.hpp"
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"
#include "infra/process/process_runner.hpp"
#include "model/event.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace ferry::cli {

// The HTTP client for a service: ferry's timeouts and retries, a progress log for transfers,
// a client certificate (`fedora_cert`, PEM content or path) or Kerberos (`keytab`) when asked.
struct HttpAuth {
  std::optional<std::filesystem::path> client_cert; // a PEM file the user named
  std::string client_cert_pem;                      // PEM text from a secret: kept in memory
  bool negotiate = false;
};
std::unique_ptr<infra::http::HttpClient> make_http(const HttpAuth& auth = {});

// "Name <email>" for changelog entries and commits: --author / RPM_PACKAGER, then the dist-git
// clone's git config user.name/user.email, then "<fas_user> <fas_user@fedoraproject.org>",
// then "ferry <ferry@localhost>".
std::string sync_author(const Settings& settings, const infra::git::Repository* dist_git);

// The time of the sync: SOURCE_DATE_EPOCH when set (reproducible commits), else now.
std::optional<std::chrono::system_clock::time_point> sync_time(const Settings& settings);
// "YYYY-MM-DD" of that time (UTC).
std::string sync_date(const Settings& settings);

// Limits on every git transfer of the command (clone, fetch, push): `git_stall_timeout` (seconds
// without a byte, default 30) and `git_timeout` (seconds per attempt, default 600); fractions
// allowed. ErrorKind::config for a value that is not a positive number of seconds.
[[nodiscard]] Status configure_git_transfers(const Settings& settings);

// `archive_wait` ("60,120,240" seconds) or Packit's 1–32 minute schedule.
[[nodiscard]] Result<std::vector<std::chrono::seconds>> archive_waits(const Settings& settings);

// The test hooks exist only in a ferry configured with FERRY_TEST_HOOKS=ON (the dev preset);
// the binaries users run have none, whatever their environment holds.
bool test_hooks_built_in();
// The step after which a crash test stops ferry dead (FERRY_CRASH_AFTER_STEP, exit 70); always
// "" without the test hooks.
std::string crash_after_step(const Settings& settings);

// The sync options every mode shares; `workdir` is the run's private folder.
[[nodiscard]] Result<core::jobs::SyncOptions> sync_options(const Settings& settings,
                                                           const std::filesystem::path& workdir,
                                                           const infra::git::Repository* dist_git);

} // namespace ferry::cli
