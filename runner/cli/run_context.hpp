// What `ferry run` shares with the job runners: the run's context (settings, event, config,
// work folder, upstream forge) and the builders of the clients jobs need. Each job type has a
// runner (job_runners.cpp); adding a job means adding its runner file and one table row.
#pragma once

#include "cli/command.hpp"
#include "cli/settings.hpp"
#include "clients/fedora/copr/copr_client.hpp"
#include "clients/fedora/lookaside/lookaside.hpp"
#include "clients/fedora/testing_farm/testing_farm_client.hpp"
#include "clients/forge/forge.hpp"
#include "core/config/config.hpp"
#include "core/job/outcome.hpp"
#include "core/plan/plan.hpp"
#include "infra/http/http_client.hpp"
#include "infra/util/keytab.hpp"
#include "model/bodhi_release.hpp"
#include "model/event.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::cli {

// Everything one run needs, built once.
struct RunContext {
  const Settings& settings;
  const Invocation& call;
  model::Event event;
  std::filesystem::path workspace;
  core::config::Config config;
  std::filesystem::path workdir;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::forge::Forge> upstream; // null outside CI
  clients::forge::RepoRef upstream_repo;
  std::vector<model::BodhiRelease> releases = {}; // Bodhi's active releases (the plan's aliases)
  // The `keytab` setting installed for GSSAPI (once per run; see use_keytab).
  std::unique_ptr<infra::util::KeytabLogin> keytab_login = {};

  bool dry_run() const;
};

// Runs one planned job; failures of single branches/targets are in the outcome, an error
// means the job could not start.
using JobRunner = Result<core::job::JobOutcome> (*)(RunContext&, const core::plan::PlannedJob&);

// The runner for a job type; nullopt when this ferry cannot run it.
std::optional<JobRunner> job_runner(std::string_view job);

// Job runners (one file each).
Result<core::job::JobOutcome> run_release_job(RunContext& run,
                                              const core::plan::PlannedJob& planned);
// koji_build and bodhi_update (downstream_jobs.cpp).
Result<core::job::JobOutcome> run_koji_build_job(RunContext& run,
                                                 const core::plan::PlannedJob& planned);
Result<core::job::JobOutcome> run_bodhi_update_job(RunContext& run,
                                                   const core::plan::PlannedJob& planned);
// copr_build and tests (upstream_jobs.cpp).
Result<core::job::JobOutcome> run_copr_build_job(RunContext& run,
                                                 const core::plan::PlannedJob& planned);
Result<core::job::JobOutcome> run_tests_job(RunContext& run, const core::plan::PlannedJob& planned);

// --- builders shared by job runners (run_support.cpp) ---

clients::forge::RepoRef split_repo(std::string_view full_name);
std::filesystem::path workspace_of(const Settings& settings);
// The CI run's web page ("" when unknown).
std::string run_url(const Settings& settings);
// "host[:port]" of an http(s) URL; "" when it has no scheme.
std::string host_of(std::string_view url);
// The upstream forge's client, from the CI's variables and the `token` setting.
[[nodiscard]] Result<std::unique_ptr<clients::forge::Forge>> upstream_forge(const RunContext& run);
// The dist-git forge: FERRY_DIST_GIT_URL / dist_git_base_url, `dist_git_token`.
[[nodiscard]] Result<std::unique_ptr<clients::forge::Forge>>
dist_git_forge(const RunContext& run, const nlohmann::ordered_json& settings);
// Kerberos from the `keytab` setting (base64) for the principal `kerberos_principal` (default
// <fas_user>@FEDORAPROJECT.ORG, else the keytab's first): infra::util::KeytabLogin, installed
// once per run and kept in the context, so HTTP Negotiate works without kinit. False when no
// keytab is set.
[[nodiscard]] Result<bool> use_keytab(RunContext& run);
// The same for settings outside a run (the `ferry koji-build` command): the login is stored in
// `login`. The keytab is held in memory only (infra::util::KeytabLogin).
[[nodiscard]] Result<bool> use_keytab(const Settings& settings,
                                      std::unique_ptr<infra::util::KeytabLogin>& login);
// The principal the keytab setting is used for ("" = the keytab's first).
std::string kerberos_principal(const Settings& settings);

struct LookasideClients {
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::fedora::lookaside::Lookaside> lookaside;
};
// FERRY_LOOKASIDE_DIR, else upload.cgi at FERRY_LOOKASIDE_URL (default Fedora's), with
// `fedora_cert` or `keytab` authentication.
[[nodiscard]] Result<LookasideClients> make_lookaside(RunContext& run);

// --- Copr and Testing Farm (upstream_jobs.cpp) ---

struct CoprClients {
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::fedora::copr::CoprClient> client;
};
// Copr at FERRY_COPR_URL (default Fedora's) with `copr_login` and `copr_token`; `poll_interval`
// (seconds) shortens the waits between state polls.
[[nodiscard]] Result<CoprClients> make_copr(const Settings& settings);

struct TestingFarmClients {
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::fedora::testing_farm::TestingFarmClient> client;
};
// Whether a tests job runs without a Copr build (`skip_build: true`).
bool skips_build(const core::config::JobConfig& job);
// Testing Farm at FERRY_TESTING_FARM_URL (default the public ranch) with `testing_farm_token`.
[[nodiscard]] Result<TestingFarmClients> make_testing_farm(const Settings& settings);

const core::config::PackageConfig* package_of(const core::config::Config& loaded,
                                              const std::string& name);

} // namespace ferry::cli
