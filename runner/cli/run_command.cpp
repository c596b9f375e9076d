// `ferry run`: the CI step. Reads the CI event, loads the repository's Packit config, plans,
// checks the commenter's permission for comment commands, runs the planned jobs and reports:
// commit statuses and issues (by the jobs), the job summary, outputs and the exit code.
#include "cli/commands.hpp"
#include "cli/run_context.hpp"
#include "cli/settings.hpp"
#include "cli/wiring.hpp"
#include "clients/fedora/bodhi/releases_client.hpp"
#include "clients/forge/forge_registry.hpp"
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"
#include "core/event/ci_environment.hpp"
#include "core/jobs/release_sync.hpp"
#include "core/permission/command_gate.hpp"
#include "core/plan/plan.hpp"
#include "core/report/run_report.hpp"
#include "core/sync/release_version.hpp"
#include "infra/git/repository.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/work_dir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace config = core::config;
namespace forge = clients::forge;
namespace report = core::report;

// Bodhi's releases: the aliases of the plan, and kept for the downstream jobs.
Result<config::Aliases> load_aliases(RunContext& run) {
  namespace bodhi = clients::fedora::bodhi;
  bodhi::ReleasesClient client(
      *run.http,
      run.settings.env("FERRY_BODHI_URL").value_or(std::string(bodhi::k_default_bodhi_url)));
  FERRY_TRY_ASSIGN(run.releases, client.active_releases());
  return config::Aliases::from_releases(run.releases);
}

// The order jobs run in: the config's, except that bodhi_update waits for koji_build (it
// ships the build koji_build makes in the same run).
std::vector<const core::plan::PlannedJob*> run_order(const core::plan::Plan& plan) {
  std::vector<const core::plan::PlannedJob*> order;
  for (const auto& job : plan.jobs) {
    order.push_back(&job);
  }
  std::stable_partition(order.begin(), order.end(), [](const core::plan::PlannedJob* job) {
    return job->job != "bodhi_update";
  });
  return order;
}

// Who opened the pull request, asked of the forge (never taken from the payload); "" when the
// forge cannot say, and then the command needs write access.
std::string pull_request_author(RunContext& run, long number) {
  auto pull_request = run.upstream->pull_request(run.upstream_repo, number);
  if (!pull_request) {
    infra::log::debug("the author of pull request #{} is unknown: {}", number,
                      pull_request.error().describe());
    return "";
  }
  return pull_request->author;
}

// Checks the commenter's permission; false (with the report's refusal set) when refused.
Result<bool> command_allowed(RunContext& run, const core::plan::Plan& plan,
                             report::RunReport& result) {
  if (!plan.command || plan.jobs.empty() || !run.upstream) {
    return true;
  }
  forge::Thread thread{
      run.event.pr_number ? forge::ThreadKind::pull_request : forge::ThreadKind::issue,
      static_cast<long>(run.event.pr_number.value_or(run.event.issue_number.value_or(0)))};
  core::permission::CommandRequest request;
  request.required = plan.jobs.front().requires_permission;
  request.repo = run.upstream_repo;
  request.thread = thread;
  request.comment_id = static_cast<long>(run.event.comment_id.value_or(0));
  request.commenter = run.event.actor;
  request.comment_body = run.event.comment_body;
  request.verify_comment = run.event.forge == model::Forge::gitlab;
  if (request.required == "write_or_pr_author" && run.event.pr_number) {
    request.pr_author = pull_request_author(run, static_cast<long>(*run.event.pr_number));
  }
  FERRY_TRY_ASSIGN(auto decision, core::permission::check_command(*run.upstream, request));
  if (!decision.allowed) {
    infra::log::warning("the command of comment {} is refused: {}", request.comment_id,
                        decision.reason);
    result.refusal = decision.reason;
    if (!run.dry_run()) {
      if (auto replied = core::permission::reply_refusal_once(*run.upstream, request, decision);
          !replied) {
        infra::log::warning("could not reply to the comment: {}", replied.error().describe());
      }
    }
    return false;
  }
  if (!run.dry_run() && request.comment_id != 0) {
    if (auto reacted = run.upstream->add_reaction(run.upstream_repo, thread, request.comment_id,
                                                  forge::Reaction::eyes);
        !reacted) {
      infra::log::warning("could not react to the comment: {}", reacted.error().describe());
    }
  }
  return true;
}

Result<report::RunReport> execute(RunContext& run) {
  report::RunReport result;
  FERRY_TRY_ASSIGN(config::Aliases aliases, load_aliases(run));
  core::plan::PlanOptions plan_options;
  if (auto prefix = run.settings.get("command_prefix")) {
    plan_options.command_prefixes.prefixes = {*prefix, "/packit"};
  }
  core::plan::Plan plan = core::plan::make_plan(run.event, run.config, aliases, plan_options);
  result.skipped = plan.skipped;
  infra::log::info("event {} on {}: {} job(s) to run, {} skipped", model::to_string(run.event.kind),
                   run.event.repo_full_name, plan.jobs.size(), plan.skipped.size());
  FERRY_TRY_ASSIGN(bool allowed, command_allowed(run, plan, result));
  if (!allowed) {
    return result;
  }
  for (const core::plan::PlannedJob* next : run_order(plan)) {
    if (infra::process::cancel_requested()) {
      break; // the jobs not started are not run; the report says the run was cancelled
    }
    const core::plan::PlannedJob& planned = *next;
    auto runner = job_runner(planned.job);
    if (!runner) {
      result.skipped.push_back(
          {planned.job, planned.trigger, planned.package, planned.index, "job_not_available",
           fmt::format("ferry {} does not run {} yet", FERRY_VERSION, planned.job),
           planned.dist_git_branches});
      continue;
    }
    auto outcome = (*runner)(run, planned);
    if (!outcome) {
      infra::log::error("{}: {}", planned.job, outcome.error().describe());
      result.jobs.push_back(
          core::job::failed_job(planned.job, planned.package, outcome.error().describe()));
      continue;
    }
    result.jobs.push_back(std::move(*outcome));
  }
  return result;
}

std::string random_delimiter() {
  std::random_device device;
  return fmt::format("ferry_{:016x}{:016x}", std::uint64_t{device()} << 32 | device(),
                     std::uint64_t{device()} << 32 | device());
}

// The CI shows and keeps these files: they get the log's redaction.
Status append_to(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << infra::log::logger().redact(text);
  if (!out) {
    return fail(ErrorKind::io, fmt::format("cannot write {}", path));
  }
  return {};
}

// Summary and outputs where the CI reads them.
Status write_reports(const RunContext& run, const report::RunReport& result) {
  auto outputs = report::outputs(result);
  std::string summary = report::summary_markdown(result);
  if (auto file = run.settings.env("GITHUB_STEP_SUMMARY")) {
    FERRY_TRY(append_to(*file, summary));
  }
  if (auto file = run.settings.env("GITHUB_OUTPUT")) {
    FERRY_TRY(append_to(*file, report::github_output_lines(outputs, random_delimiter())));
  }
  if (run.event.forge == model::Forge::gitlab) {
    FERRY_TRY(append_to((run.workspace / "ferry.env").string(), report::dotenv_lines(outputs)));
  }
  infra::log::info("result: {}", outputs["result"].get<std::string>());
  return {};
}

Result<report::RunReport> run_in_ci(const Invocation& call, const Settings& settings) {
  if (auto level = settings.get("log_level")) {
    static const std::map<std::string, infra::log::Level, std::less<>> k_levels = {
        {"debug", infra::log::Level::debug},
        {"info", infra::log::Level::info},
        {"warning", infra::log::Level::warning},
        {"error", infra::log::Level::error}};
    if (auto found = k_levels.find(*level); found != k_levels.end()) {
      infra::log::logger().set_level(found->second);
    }
  }
  FERRY_TRY_ASSIGN(model::Event event,
                   core::event::read_ci_event(core::event::process_environment()));
  FERRY_TRY_ASSIGN(infra::util::WorkDir workdir, infra::util::WorkDir::create());
  RunContext run{settings, call,           std::move(event), workspace_of(settings),
                 {},       workdir.path(), make_http(),      nullptr,
                 {}};
  // The CI checked the workspace out as another user than the one ferry runs as when ferry is
  // a container action (forge-ci.md §1.2): trust it as `git config safe.directory` would.
  FERRY_TRY(infra::git::trust_directory(run.workspace, run.workdir / "git-config"));
  fs::path config_file;
  if (auto given = settings.get("config")) {
    config_file = fs::path(*given).is_absolute() ? fs::path(*given) : run.workspace / *given;
  } else {
    FERRY_TRY_ASSIGN(config_file, config::find_config_file(run.workspace));
  }
  FERRY_TRY_ASSIGN(run.config, config::load_config(config_file));
  if (run.event.repo_full_name.empty()) { // e.g. a schedule payload names no repository
    run.event.repo_full_name = settings.env("GITHUB_REPOSITORY").value_or("");
  }
  run.upstream_repo = split_repo(run.event.repo_full_name);
  FERRY_TRY_ASSIGN(run.upstream, upstream_forge(run));
  Result<report::RunReport> result = execute(run);
  if (!result && result.error().kind() == ErrorKind::cancelled) {
    result = report::RunReport{}; // cancelled before any job started
  }
  if (!result) {
    return result;
  }
  result->cancelled_by = infra::process::cancel_signal_name();
  FERRY_TRY(write_reports(run, *result));
  return result;
}

ExitCode run_run(const Invocation& call) {
  Settings settings(&call.args, core::event::process_environment());
  auto result = run_in_ci(call, settings);
  if (!result) {
    return report_failure(result.error());
  }
  std::string outcome = report::result_of(*result);
  if (outcome == "cancelled") {
    return cancelled_exit_code();
  }
  return outcome == "failure" ? ExitCode::job_failed : ExitCode::ok;
}

constexpr OptionSpec k_run_options[] = {
    {"config", "PATH", "the Packit config (default: found in the workspace)"},
    {"command-prefix", "PREFIX", "the comment command prefix (default /ferry; /packit always)"},
    {"log-level", "LEVEL", "debug, info, warning or error"},
    {"archive-wait", "SECONDS,...",
     "waits while the release archive is not published (default 60,120,240,480,960,1920)"},
};

constexpr Command k_commands[] = {
    {"run",
     "the CI step: run the jobs the CI event asks for, and report",
     "Reads the event of the CI run (GitHub Actions, Forgejo Actions, GitLab CI), the Packit "
     "config of the workspace and Bodhi's releases; plans; checks the commenter's permission for "
     "comment commands; runs the jobs; sets statuses, writes the job summary and outputs "
     "(GITHUB_OUTPUT, or ferry.env on GitLab). Settings come from options, INPUT_<NAME> (action "
     "inputs) or FERRY_<NAME>: token, dist_git_token, fas_user, keytab, kerberos_principal, "
     "fedora_cert, copr_login, copr_token, copr_username, testing_farm_token, "
     "issue_repository_token (and _kind, _api_url), config, "
     "command_prefix, dry_run, log_level, archive_wait, poll_interval, git_stall_timeout, "
     "git_timeout. Service "
     "URLs: "
     "FERRY_KOJI_URL, FERRY_BODHI_URL, FERRY_OIDC_URL, FERRY_DIST_GIT_URL, FERRY_LOOKASIDE_URL, "
     "FERRY_COPR_URL, FERRY_TESTING_FARM_URL. Exit code 0: done "
     "or nothing to do; 1: a job failed; 2: bad config or event.",
     k_run_options,
     {},
     run_run},
};

} // namespace

std::span<const Command> run_commands() {
  return k_commands;
}

} // namespace ferry::cli
