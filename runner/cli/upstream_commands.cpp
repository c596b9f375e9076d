// `ferry copr-build` and `ferry test`: the copr_build and tests jobs for one commit of an
// upstream checkout, run by hand (no CI event, no forge, no statuses): Copr builds the commit
// from its public clone URL, Testing Farm tests it with that build installed.
#include "cli/commands.hpp"
#include "cli/run_context.hpp"
#include "cli/settings.hpp"
#include "cli/wiring.hpp"
#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"
#include "core/jobs/copr_build.hpp"
#include "core/jobs/tests_job.hpp"
#include "infra/git/repository.hpp"
#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ostream>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace config = core::config;
using core::jobs::UpstreamCommit;

// What a run by hand is about: the config, its package and job, the commit and the chroots.
struct HandRun {
  config::Config loaded;
  const config::PackageConfig* package = nullptr;
  config::JobConfig job; // the configured job of this type, with --owner/--project applied
  UpstreamCommit commit;
  std::vector<std::string> chroots;
};

// "https://host/group/sub/name.git" -> host, {"group/sub", "name"}.
Result<std::pair<std::string, clients::forge::RepoRef>> repo_of_url(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos || !url.starts_with("http")) {
    return fail(ErrorKind::usage,
                fmt::format("'{}' is not an https clone URL Copr can clone: give one with "
                            "--clone-url",
                            url));
  }
  std::string rest = url.substr(scheme + 3);
  while (rest.ends_with('/')) {
    rest.pop_back();
  }
  if (rest.ends_with(".git")) {
    rest.resize(rest.size() - 4);
  }
  std::size_t host_end = rest.find('/');
  std::size_t last = rest.rfind('/');
  if (host_end == std::string::npos || last == host_end) {
    return fail(ErrorKind::usage, fmt::format("'{}' names no owner/repository", url));
  }
  return std::pair{rest.substr(0, host_end),
                   clients::forge::RepoRef{rest.substr(host_end + 1, last - host_end - 1),
                                           rest.substr(last + 1)}};
}

const config::JobConfig* configured_job(const config::Config& loaded, const std::string& package,
                                        const std::string& type) {
  for (const config::JobConfig& job : loaded.jobs) {
    if (job.package == package && job.type == type) {
      return &job;
    }
  }
  return nullptr;
}

Result<std::vector<std::string>> chroots_for(const Settings& settings, const ParsedArguments& args,
                                             const config::JobConfig& job) {
  if (args.has("chroot")) {
    return args.values("chroot");
  }
  std::vector<std::string> targets =
      job.targets.empty() ? std::vector<std::string>{"fedora-stable"} : job.targets;
  auto http = make_http();
  namespace bodhi = clients::fedora::bodhi;
  bodhi::ReleasesClient releases(
      *http, settings.env("FERRY_BODHI_URL").value_or(std::string(bodhi::k_default_bodhi_url)));
  FERRY_TRY_ASSIGN(auto active, releases.active_releases());
  return config::Aliases::from_releases(active).chroots(targets);
}

Result<HandRun> hand_run(const Invocation& call, const Settings& settings,
                         const std::string& job_type) {
  HandRun run;
  fs::path upstream = fs::weakly_canonical(fs::absolute(settings.get_or("upstream", ".")));
  fs::path config_file;
  if (auto given = settings.get("config")) {
    config_file = *given;
  } else {
    FERRY_TRY_ASSIGN(config_file, config::find_config_file(upstream));
  }
  FERRY_TRY_ASSIGN(run.loaded, config::load_config(config_file));
  auto wanted = settings.get("package");
  for (const config::PackageConfig& package : run.loaded.packages) {
    if (!wanted || package.name == *wanted) {
      run.package = &package;
      break;
    }
  }
  if (run.package == nullptr) {
    return fail(ErrorKind::usage, wanted ? fmt::format("the config has no package '{}'", *wanted)
                                         : std::string("the config defines no package"));
  }
  if (const config::JobConfig* job = configured_job(run.loaded, run.package->name, job_type)) {
    run.job = *job;
  } else {
    run.job.type = job_type;
    run.job.trigger = "commit";
    run.job.package = run.package->name;
    run.job.settings = run.package->settings;
  }
  for (const char* key : {"owner", "project"}) {
    if (auto value = settings.get(key)) {
      run.job.settings[key] = *value;
    }
  }
  FERRY_TRY_ASSIGN(auto repo, infra::git::Repository::open(upstream));
  FERRY_TRY_ASSIGN(run.commit.commit, repo.resolve(settings.get_or("commit", "HEAD")));
  run.commit.clone_url =
      settings.get("clone_url").value_or(repo.config_string("remote.origin.url").value_or(""));
  FERRY_TRY_ASSIGN(auto where, repo_of_url(run.commit.clone_url));
  run.commit.forge_host = where.first;
  run.commit.repo = where.second;
  run.commit.on_github = where.first == "github.com";
  run.commit.trigger = "commit";
  run.commit.branch = repo.current_branch().value_or("detached");
  FERRY_TRY_ASSIGN(run.chroots, chroots_for(settings, call.args, run.job));
  return run;
}

core::jobs::UpstreamJobOptions hand_options(const Invocation& call, const Settings& settings) {
  core::jobs::UpstreamJobOptions options;
  options.copr_user = settings.get("copr_username").value_or("");
  options.dry_run = call.global.dry_run || settings.flag("dry_run");
  options.dry_run_out = &call.out;
  options.report_checks = false;
  return options;
}

void print_outcome(std::ostream& out, const core::job::JobOutcome& outcome) {
  for (const core::job::BranchOutcome& branch : outcome.branches) {
    out << fmt::format("{} {}: {} ({}){}\n", outcome.job, branch.branch,
                       core::job::to_string(branch.state), branch.reason,
                       branch.detail.empty() ? "" : ": " + branch.detail);
  }
  for (const std::string& build : outcome.builds) {
    out << "build: " << build << "\n";
  }
}

ExitCode finish(const Invocation& call, const Result<core::job::JobOutcome>& outcome) {
  if (!outcome) {
    return report_failure(outcome.error());
  }
  print_outcome(call.out, *outcome);
  return outcome->failed() ? ExitCode::job_failed : ExitCode::ok;
}

Result<core::job::JobOutcome> copr_build_by_hand(const Invocation& call) {
  Settings settings(&call.args, core::event::process_environment());
  FERRY_TRY_ASSIGN(HandRun run, hand_run(call, settings, "copr_build"));
  FERRY_TRY_ASSIGN(CoprClients copr, make_copr(settings));
  core::jobs::CoprBuildInput input{run.package, &run.job,     run.chroots,
                                   run.commit,  std::nullopt, false};
  core::jobs::CoprServices services{*copr.client, nullptr};
  return core::jobs::run_copr_build(input, services, hand_options(call, settings)).outcome;
}

Result<core::job::JobOutcome> test_by_hand(const Invocation& call) {
  Settings settings(&call.args, core::event::process_environment());
  FERRY_TRY_ASSIGN(HandRun run, hand_run(call, settings, "tests"));
  FERRY_TRY_ASSIGN(TestingFarmClients testing_farm, make_testing_farm(settings));
  std::optional<CoprClients> copr;
  if (!skips_build(run.job)) {
    FERRY_TRY_ASSIGN(copr, make_copr(settings));
  }
  core::jobs::TestsInput input;
  input.package = run.package;
  input.job = &run.job;
  input.build_job = configured_job(run.loaded, run.package->name, "copr_build");
  input.chroots = run.chroots;
  input.commit = run.commit;
  input.env = call.args.values("env");
  if (auto id = settings.get("copr_build")) {
    char* end = nullptr;
    long number = std::strtol(id->c_str(), &end, 10);
    if (end == id->c_str() || *end != '\0' || number <= 0) {
      return fail(ErrorKind::usage, fmt::format("--copr-build '{}' is not a build id", *id));
    }
    input.copr_build_id = number;
  }
  core::jobs::TestsServices services{*testing_farm.client, copr ? copr->client.get() : nullptr,
                                     nullptr};
  return core::jobs::run_tests(input, services, hand_options(call, settings));
}

ExitCode run_copr_build_command(const Invocation& call) {
  return finish(call, copr_build_by_hand(call));
}

ExitCode run_test_command(const Invocation& call) {
  return finish(call, test_by_hand(call));
}

constexpr OptionSpec k_copr_options[] = {
    {"upstream", "PATH", "the upstream checkout (default: the current directory)"},
    {"commit", "REV", "the commit to build (default: HEAD); Copr must be able to fetch it"},
    {"clone-url", "URL", "the https URL Copr clones (default: the checkout's origin)"},
    {"chroot", "CHROOT",
     "a chroot, e.g. fedora-41-x86_64 (repeatable; default: the job's targets, aliases "
     "resolved through Bodhi)",
     true},
    {"owner", "OWNER", "the Copr project's owner (default: `owner`, else copr_username)"},
    {"project", "NAME", "the Copr project (default: `project`, else <namespace>-<repo>-<branch>)"},
    {"package", "NAME", "the package of a monorepo config (default: the first)"},
    {"config", "PATH", "the Packit config (default: found in the checkout)"},
};

constexpr OptionSpec k_test_options[] = {
    {"upstream", "PATH", "the upstream checkout (default: the current directory)"},
    {"commit", "REV", "the commit to test (default: HEAD)"},
    {"clone-url", "URL", "the https URL Copr and Testing Farm clone (default: origin)"},
    {"chroot", "CHROOT", "a target chroot (repeatable; default: the tests job's targets)", true},
    {"copr-build", "ID", "test this Copr build (default: the commit's, built when missing)"},
    {"env", "KEY=VALUE", "a variable for the tests (repeatable; KEY= unsets)", true},
    {"owner", "OWNER", "the Copr project's owner"},
    {"project", "NAME", "the Copr project"},
    {"package", "NAME", "the package of a monorepo config (default: the first)"},
    {"config", "PATH", "the Packit config (default: found in the checkout)"},
};

constexpr Command k_commands[] = {
    {"copr-build",
     "build a commit of the upstream checkout in Copr",
     "Builds the commit in Copr from its clone URL (Copr makes the SRPM) in the chroots of the "
     "copr_build job's targets, in the job's Copr project (created when missing) and waits for "
     "the result. A build of the same commit already in the project is waited for, not made "
     "again. Settings: copr_login, copr_token, copr_username (FERRY_COPR_URL for another Copr). "
     "Exit code 1 when a chroot failed.",
     k_copr_options,
     {},
     run_copr_build_command},
    {"test",
     "run the tests job's Testing Farm requests for a commit",
     "Runs the tmt plans of the commit in Testing Farm, one request per target, with the "
     "commit's Copr build installed (built first when missing, unless skip_build), and waits "
     "for the results. Settings: testing_farm_token and the Copr settings "
     "(FERRY_TESTING_FARM_URL for another Testing Farm). Exit code 1 when a target failed.",
     k_test_options,
     {},
     run_test_command},
};

} // namespace

std::span<const Command> upstream_commands() {
  return k_commands;
}

} // namespace ferry::cli
