// `ferry koji-build` and `ferry create-update` (alias `bodhi-update`): the koji_build and
// bodhi_update jobs run outside CI, in a dist-git checkout, for the branches named (default:
// the checked-out one). They build what the dist-git server has (origin/<branch>), with the
// same look-before-act steps as in CI: running them twice submits nothing twice.
#include "cli/commands.hpp"
#include "cli/downstream_jobs.hpp"
#include "cli/run_context.hpp"
#include "cli/settings.hpp"
#include "cli/wiring.hpp"
#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/config/config.hpp"
#include "infra/git/repository.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/work_dir.hpp"

#include <fmt/format.h>

#include <ostream>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace config = core::config;

// The checkout's Packit config, or none (then the job runs with Packit's defaults).
Result<std::optional<config::Config>> checkout_config(const Settings& settings,
                                                      const fs::path& dist_git) {
  if (auto given = settings.get("config")) {
    FERRY_TRY_ASSIGN(auto loaded, config::load_config(fs::absolute(*given)));
    return std::optional<config::Config>(std::move(loaded));
  }
  auto found = config::find_config_file(dist_git);
  if (!found) {
    infra::log::info("no Packit config in {}: using Packit's defaults", dist_git.string());
    return std::optional<config::Config>();
  }
  config::LoadOptions options;
  options.repository_name = dist_git.filename().string();
  FERRY_TRY_ASSIGN(auto loaded, config::load_config(*found, options));
  return std::optional<config::Config>(std::move(loaded));
}

// The config's job of this type (for --package, if given), or one made of the package's
// settings, as Packit's CLI works without a job entry.
config::JobConfig job_for(const std::optional<config::Config>& loaded, const Settings& settings,
                          const std::string& type, const std::string& fallback_package) {
  auto wanted = settings.get("package");
  if (loaded) {
    for (const config::JobConfig& job : loaded->jobs) {
      if (job.type == type && (!wanted || job.package == *wanted)) {
        return job;
      }
    }
  }
  config::JobConfig job;
  job.type = type;
  job.trigger = "commit";
  job.package = wanted.value_or(fallback_package);
  job.settings = nlohmann::ordered_json::object();
  if (loaded) {
    for (const config::PackageConfig& package : loaded->packages) {
      if (!wanted || package.name == *wanted) {
        job.package = package.name;
        job.settings = package.settings;
        break;
      }
    }
  }
  return job;
}

Result<std::vector<std::string>> branches_to_run(const ParsedArguments& args,
                                                 const fs::path& dist_git) {
  if (args.has("dist-git-branch")) {
    return args.values("dist-git-branch");
  }
  FERRY_TRY_ASSIGN(auto repo, infra::git::Repository::open(dist_git));
  auto current = repo.current_branch();
  if (!current) {
    return fail(ErrorKind::usage, "the dist-git checkout has no branch checked out: name one "
                                  "with --dist-git-branch");
  }
  return std::vector<std::string>{*current};
}

Result<core::job::JobOutcome> run_locally(const Invocation& call, const Settings& settings,
                                          bool koji_build) {
  fs::path dist_git = fs::weakly_canonical(fs::absolute(settings.get_or("dist_git", ".")));
  if (!infra::git::Repository::open(dist_git)) {
    return fail(ErrorKind::usage, fmt::format("{} is not a dist-git checkout; give one with "
                                              "--dist-git PATH",
                                              dist_git.string()));
  }
  FERRY_TRY_ASSIGN(auto loaded, checkout_config(settings, dist_git));
  std::string type = koji_build ? "koji_build" : "bodhi_update";
  config::JobConfig job = job_for(loaded, settings, type, dist_git.filename().string());
  if (koji_build && call.args.has("scratch")) {
    job.settings["scratch"] = true;
  }

  FERRY_TRY_ASSIGN(infra::util::WorkDir workdir, infra::util::WorkDir::create());
  model::Event event;
  event.forge = model::Forge::local;
  event.kind = model::EventKind::manual;
  RunContext run{settings,       call,        std::move(event), dist_git, {},
                 workdir.path(), make_http(), nullptr,          {}};
  run.upstream_repo = {"rpms", dist_git.filename().string()};
  namespace bodhi = clients::fedora::bodhi;
  bodhi::ReleasesClient releases(
      *run.http, settings.env("FERRY_BODHI_URL").value_or(std::string(bodhi::k_default_bodhi_url)));
  FERRY_TRY_ASSIGN(run.releases, releases.active_releases());

  core::plan::PlannedJob planned;
  planned.job = type;
  planned.trigger = "commit";
  planned.package = job.package;
  planned.config = &job;
  FERRY_TRY_ASSIGN(planned.dist_git_branches, branches_to_run(call.args, dist_git));
  return run_downstream_job(run, planned, koji_build);
}

void print_outcome(std::ostream& out, const core::job::JobOutcome& outcome) {
  for (const core::job::BranchOutcome& branch : outcome.branches) {
    out << fmt::format("{} {}: {} ({}){}\n", outcome.package, branch.branch,
                       core::job::to_string(branch.state), branch.reason,
                       branch.detail.empty() ? "" : ": " + branch.detail);
  }
  for (const std::string& build : outcome.builds) {
    out << "build: " << build << "\n";
  }
  for (const std::string& update : outcome.updates) {
    out << "update: " << update << "\n";
  }
}

ExitCode run_command(const Invocation& call, bool koji_build) {
  Settings settings(&call.args, core::event::process_environment());
  auto outcome = run_locally(call, settings, koji_build);
  if (!outcome) {
    return report_failure(outcome.error());
  }
  print_outcome(call.out, *outcome);
  return outcome->failed() ? ExitCode::job_failed : ExitCode::ok;
}

ExitCode run_koji_build(const Invocation& call) {
  return run_command(call, true);
}

ExitCode run_create_update(const Invocation& call) {
  return run_command(call, false);
}

constexpr OptionSpec k_koji_options[] = {
    {"dist-git", "PATH", "the dist-git checkout (default: the current directory)"},
    {"dist-git-branch", "BRANCH", "a branch to build (repeatable; default: the checked-out branch)",
     true},
    {"config", "PATH", "the Packit config (default: found in the checkout; none: defaults)"},
    {"package", "NAME", "the package of a monorepo config (default: the first)"},
    {"scratch", "", "a scratch build"},
    {"koji-poll-interval", "SECONDS", "the first wait between polls of the task (default 10)"},
};

constexpr OptionSpec k_update_options[] = {
    {"dist-git", "PATH", "the dist-git checkout (default: the current directory)"},
    {"dist-git-branch", "BRANCH", "a branch to ship (repeatable; default: the checked-out branch)",
     true},
    {"config", "PATH", "the Packit config (default: found in the checkout; none: defaults)"},
    {"package", "NAME", "the package of a monorepo config (default: the first)"},
    {"koji-poll-interval", "SECONDS", "the first wait between polls of a running build"},
};

constexpr Command k_commands[] = {
    {"koji-build",
     "build a dist-git branch's commit in Koji (the koji_build job, outside CI)",
     "Builds origin/<branch> of the dist-git checkout in Koji (its side tag for a "
     "sidetag_group), unless that NVR, this commit or a running task for it is there already, "
     "and waits for the task to finish. Prints the NVR and the task URL. Exit code 1 when a "
     "build fails. Kerberos comes from the `keytab` setting (FERRY_KEYTAB: the keytab in base64, "
     "no kinit) for kerberos_principal or <fas_user>@FEDORAPROJECT.ORG, or `fedora_cert`; "
     "FERRY_KOJI_URL and FERRY_BODHI_URL point at other servers (staging).",
     k_koji_options,
     {},
     run_koji_build},
    {"create-update",
     "ship a branch's Koji build in a Bodhi update (the bodhi_update job, outside CI)",
     "Finds the Koji build of origin/<branch> (or the side tag of a sidetag_group) and creates "
     "its Bodhi update with notes from the %changelog, unless an update holds it already; a "
     "side tag's update is edited, not duplicated. Branches whose updates Bodhi makes itself "
     "(Rawhide) are skipped. Logs in to Bodhi through the IdP (FERRY_OIDC_URL, default "
     "id.fedoraproject.org) with the Kerberos identity of the `keytab` setting.",
     k_update_options,
     {},
     run_create_update},
    {"bodhi-update",
     "the same as create-update",
     "An alias of `ferry create-update`.",
     k_update_options,
     {},
     run_create_update},
};

} // namespace

std::span<const Command> downstream_commands() {
  return k_commands;
}

} // namespace ferry::cli
