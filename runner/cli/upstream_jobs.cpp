// The runners of copr_build and tests in CI: the upstream commit from the event (a pull
// request's head and clone URL read from the forge, never from a comment's payload), what a
// comment command asks for (a fresh build or test run, only failed targets, --env, --identifier,
// --labels), and the Copr and Testing Farm clients from the settings.
#include "cli/run_context.hpp"
#include "cli/wiring.hpp"
#include "core/command/comment_command.hpp"
#include "core/jobs/copr_build.hpp"
#include "core/jobs/tests_job.hpp"
#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace ferry::cli {

namespace {

namespace copr = clients::fedora::copr;
namespace tf = clients::fedora::testing_farm;
namespace forge = clients::forge;
using core::jobs::UpstreamCommit;

// `poll_interval` (seconds, e.g. "0.05" for tests): the first wait; later ones grow to 6×.
std::optional<std::chrono::milliseconds> poll_interval(const Settings& settings) {
  auto text = settings.get("poll_interval");
  if (!text) {
    return std::nullopt;
  }
  char* end = nullptr;
  double seconds = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0' || seconds <= 0) {
    infra::log::warning("poll_interval '{}' is not a number of seconds: ignored", *text);
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long>(seconds * 1000 + 0.5));
}

// The comment command of the event, parsed as the plan parsed it.
std::optional<core::command::CommentCommand> command_of(const RunContext& run) {
  if (run.event.comment_body.empty()) {
    return std::nullopt;
  }
  core::command::ParseOptions options;
  if (auto prefix = run.settings.get("command_prefix")) {
    options.prefixes = {*prefix, "/packit"};
  }
  auto parsed = core::command::parse_comment(run.event.comment_body, options);
  if (!parsed) {
    return std::nullopt;
  }
  return *parsed;
}

// When the comment was written: results older than it do not answer it.
std::optional<std::int64_t> comment_time(const RunContext& run) {
  auto when = core::jobs::parse_timestamp(run.event.comment_created_at);
  if (!when) {
    infra::log::debug("the comment's time is unknown ('{}'): earlier results are reused",
                      run.event.comment_created_at);
  }
  return when;
}

// The upstream commit to build: a pull request's head (read from the forge: a comment's
// payload does not name it), the pushed branch's head, or the release's commit.
Result<UpstreamCommit> upstream_commit(RunContext& run, const core::plan::PlannedJob& planned) {
  UpstreamCommit commit;
  commit.repo = run.upstream_repo;
  commit.trigger = planned.trigger;
  commit.forge_host =
      host_of(run.event.repo_url.empty() ? run.settings.env("GITHUB_SERVER_URL").value_or("")
                                         : run.event.repo_url);
  commit.on_github = run.event.forge == model::Forge::github;
  commit.commit = run.event.commit_sha;
  commit.clone_url = run.event.clone_url;
  commit.run_url = run_url(run.settings);
  commit.branch = run.event.branch.empty() ? run.event.default_branch : run.event.branch;
  commit.tag = run.event.tag;
  if (run.event.pr_number) {
    commit.pr_number = static_cast<long>(*run.event.pr_number);
    bool payload_names_head =
        run.event.kind == model::EventKind::pull_request || run.event.forge == model::Forge::gitlab;
    if (run.upstream) {
      auto pull = run.upstream->pull_request(run.upstream_repo, *commit.pr_number);
      if (!pull && !payload_names_head) {
        return std::unexpected(pull.error().add_context(
            fmt::format("finding the head of pull request #{}", *commit.pr_number)));
      }
      if (pull) {
        commit.commit =
            payload_names_head && !commit.commit.empty() ? commit.commit : pull->head_sha;
        commit.clone_url = pull->head_clone_url.empty() ? commit.clone_url : pull->head_clone_url;
      }
    }
  }
  if (commit.clone_url.empty() && run.upstream) {
    FERRY_TRY_ASSIGN(auto info, run.upstream->repository(run.upstream_repo));
    commit.clone_url = info.clone_url;
  }
  if (commit.commit.empty() || commit.clone_url.empty()) {
    return fail(ErrorKind::event, "the event names no commit and clone URL to build");
  }
  return commit;
}

Result<core::jobs::UpstreamJobOptions> job_options(const RunContext& run) {
  core::jobs::UpstreamJobOptions options;
  options.copr_user = run.settings.get("copr_username").value_or("");
  options.dry_run = run.dry_run();
  options.dry_run_out = &run.call.out;
  options.report_checks = run.upstream != nullptr;
  options.steps.crash_after = crash_after_step(run.settings);
  return options;
}

const core::config::JobConfig* copr_build_job_for(const RunContext& run,
                                                  const core::plan::PlannedJob& planned) {
  for (const core::config::JobConfig& job : run.config.jobs) {
    if (job.type == "copr_build" && job.package == planned.package &&
        job.trigger == planned.trigger) {
      return &job;
    }
  }
  return nullptr;
}

std::vector<std::string> job_labels(const core::config::JobConfig& job) {
  std::vector<std::string> labels;
  if (auto found = job.settings.find("labels"); found != job.settings.end() && found->is_array()) {
    for (const auto& label : *found) {
      if (label.is_string()) {
        labels.push_back(label.get<std::string>());
      }
    }
  }
  return labels;
}

// `--identifier` / `--labels` of `/packit test` select tests jobs; the reason when not this one.
std::optional<std::string> not_selected(const core::command::CommentCommand& command,
                                        const core::config::JobConfig& job) {
  if (command.identifier && job.identifier.value_or("") != *command.identifier) {
    return "identifier_not_selected";
  }
  if (!command.labels.empty()) {
    auto labels = job_labels(job);
    bool any = std::any_of(command.labels.begin(), command.labels.end(), [&](const auto& label) {
      return std::find(labels.begin(), labels.end(), label) != labels.end();
    });
    if (!any) {
      return "labels_not_selected";
    }
  }
  return std::nullopt;
}

} // namespace

bool skips_build(const core::config::JobConfig& job) {
  auto found = job.settings.find("skip_build");
  return found != job.settings.end() && found->is_boolean() && found->get<bool>();
}

Result<CoprClients> make_copr(const Settings& settings) {
  auto login = settings.secret("copr_login");
  auto token = settings.secret("copr_token");
  if (!login || !token) {
    return fail(ErrorKind::config,
                "no Copr API credentials: set the `copr_login` and `copr_token` inputs (or "
                "FERRY_COPR_LOGIN / FERRY_COPR_TOKEN) as https://copr.fedorainfracloud.org/api "
                "shows them");
  }
  copr::CoprSettings copr_settings;
  copr_settings.url =
      settings.env("FERRY_COPR_URL").value_or(std::string(copr::k_default_copr_url));
  copr_settings.login = *login;
  copr_settings.token = *token;
  if (auto interval = poll_interval(settings)) {
    copr_settings.first_poll = *interval;
    copr_settings.max_poll = *interval * 6;
  }
  CoprClients clients{make_http(), nullptr};
  clients.client = std::make_unique<copr::CoprClient>(*clients.http, std::move(copr_settings));
  return clients;
}

Result<TestingFarmClients> make_testing_farm(const Settings& settings) {
  auto token = settings.secret("testing_farm_token");
  if (!token) {
    return fail(ErrorKind::config, "no Testing Farm API key: set the `testing_farm_token` input "
                                   "(or FERRY_TESTING_FARM_TOKEN)");
  }
  tf::TestingFarmSettings tf_settings;
  tf_settings.url =
      settings.env("FERRY_TESTING_FARM_URL").value_or(std::string(tf::k_default_testing_farm_url));
  tf_settings.api_key = *token;
  if (auto interval = poll_interval(settings)) {
    tf_settings.first_poll = *interval;
    tf_settings.max_poll = *interval * 6;
  }
  TestingFarmClients clients{make_http(), nullptr};
  clients.client = std::make_unique<tf::TestingFarmClient>(*clients.http, std::move(tf_settings));
  return clients;
}

Result<core::job::JobOutcome> run_copr_build_job(RunContext& run,
                                                 const core::plan::PlannedJob& planned) {
  const core::config::PackageConfig* package = package_of(run.config, planned.package);
  if (package == nullptr || planned.config == nullptr) {
    return fail(ErrorKind::internal, "the plan names a package the config does not have");
  }
  FERRY_TRY_ASSIGN(UpstreamCommit commit, upstream_commit(run, planned));
  FERRY_TRY_ASSIGN(CoprClients copr_clients, make_copr(run.settings));
  auto command = command_of(run);
  core::jobs::CoprBuildInput input;
  input.package = package;
  input.job = planned.config;
  input.chroots = planned.targets;
  input.commit = std::move(commit);
  if (command && (command->name == "copr-build" || command->name == "rebuild-failed")) {
    input.rebuild_after = comment_time(run);
    input.only_failed = command->name == "rebuild-failed";
  }
  FERRY_TRY_ASSIGN(auto options, job_options(run));
  core::jobs::CoprServices services{*copr_clients.client, run.upstream.get()};
  return core::jobs::run_copr_build(input, services, options).outcome;
}

Result<core::job::JobOutcome> run_tests_job(RunContext& run,
                                            const core::plan::PlannedJob& planned) {
  const core::config::PackageConfig* package = package_of(run.config, planned.package);
  if (package == nullptr || planned.config == nullptr) {
    return fail(ErrorKind::internal, "the plan names a package the config does not have");
  }
  auto command = command_of(run);
  if (command && command->name == "test") {
    if (auto reason = not_selected(*command, *planned.config)) {
      core::job::JobOutcome skipped;
      skipped.job = planned.job;
      skipped.package = planned.package;
      skipped.branches.push_back({"-", core::job::OutcomeState::skipped, *reason,
                                  "the command selected other tests jobs", "", ""});
      return skipped;
    }
  }
  FERRY_TRY_ASSIGN(UpstreamCommit commit, upstream_commit(run, planned));
  FERRY_TRY_ASSIGN(TestingFarmClients testing_farm, make_testing_farm(run.settings));
  std::optional<CoprClients> copr_clients;
  if (!skips_build(*planned.config)) {
    FERRY_TRY_ASSIGN(copr_clients, make_copr(run.settings));
  }
  core::jobs::TestsInput input;
  input.package = package;
  input.job = planned.config;
  input.build_job = copr_build_job_for(run, planned);
  input.chroots = planned.targets;
  input.commit = std::move(commit);
  if (command) {
    auto when = comment_time(run);
    input.rebuild_after = command->name == "copr-build" ? when : std::nullopt;
    input.retest_after = when;
    input.only_failed = command->name == "retest-failed";
    input.env = command->env;
  }
  FERRY_TRY_ASSIGN(auto options, job_options(run));
  core::jobs::TestsServices services{*testing_farm.client,
                                     copr_clients ? copr_clients->client.get() : nullptr,
                                     run.upstream.get()};
  return core::jobs::run_tests(input, services, options);
}

} // namespace ferry::cli
