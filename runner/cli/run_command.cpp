// `ferry run`: the CI step. Reads the CI event, loads the repository's Packit config, plans,
// checks the commenter's permission for comment commands, runs the planned jobs and reports:
// commit statuses and issues (by the jobs), the job summary, outputs and the exit code.
#include "cli/commands.hpp"
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
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/work_dir.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <random>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace config = core::config;
namespace forge = clients::forge;
namespace report = core::report;

// Everything one run needs, built once.
struct RunContext {
  const Settings& settings;
  const Invocation& call;
  model::Event event;
  fs::path workspace;
  config::Config config;
  fs::path workdir;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<forge::Forge> upstream;
  forge::RepoRef upstream_repo;
};

forge::RepoRef split_repo(std::string_view full_name) {
  std::size_t slash = full_name.rfind('/');
  if (slash == std::string_view::npos) {
    return {"", std::string(full_name)};
  }
  return {std::string(full_name.substr(0, slash)), std::string(full_name.substr(slash + 1))};
}

fs::path workspace_of(const Settings& settings) {
  for (const char* name : {"GITHUB_WORKSPACE", "CI_PROJECT_DIR"}) {
    if (auto dir = settings.env(name)) {
      return *dir;
    }
  }
  return fs::current_path();
}

std::string run_url(const Settings& settings) {
  if (auto job = settings.env("CI_JOB_URL")) {
    return *job;
  }
  auto server = settings.env("GITHUB_SERVER_URL");
  auto repository = settings.env("GITHUB_REPOSITORY");
  auto run = settings.env("GITHUB_RUN_ID");
  if (server && repository && run) {
    return fmt::format("{}/{}/actions/runs/{}", *server, *repository, *run);
  }
  return "";
}

// The upstream forge's client: the forge the CI runs on, its API from the CI's variables.
Result<std::unique_ptr<forge::Forge>> upstream_forge(const RunContext& run) {
  std::optional<forge::ForgeKind> kind;
  std::optional<std::string> api;
  switch (run.event.forge) {
  case model::Forge::github:
    kind = forge::ForgeKind::github;
    api = run.settings.env("GITHUB_API_URL").value_or("https://api.github.com");
    break;
  case model::Forge::forgejo:
    kind = forge::ForgeKind::forgejo;
    api = run.settings.env("GITHUB_API_URL");
    break;
  case model::Forge::gitlab:
    kind = forge::ForgeKind::gitlab;
    api = run.settings.env("CI_API_V4_URL");
    break;
  case model::Forge::local:
    return std::unique_ptr<forge::Forge>();
  }
  if (!api) {
    return fail(ErrorKind::event, "the CI did not say where its forge's API is "
                                  "(GITHUB_API_URL / CI_API_V4_URL)");
  }
  auto token = run.settings.secret("token");
  for (const char* name : {"GITHUB_TOKEN", "FORGEJO_TOKEN", "GITLAB_TOKEN"}) {
    if (!token && run.event.forge != model::Forge::gitlab) {
      token = run.settings.env(name);
    }
    (void)name;
  }
  if (!token) {
    return fail(ErrorKind::config, "no token for the upstream forge: set the `token` input "
                                   "(or FERRY_TOKEN)");
  }
  infra::log::logger().register_secret(*token);
  forge::ForgeSettings forge_settings;
  forge_settings.api_url = *api;
  forge_settings.token = *token;
  return forge::make_forge(*kind, *run.http, forge_settings);
}

Result<config::Aliases> load_aliases(const Settings& settings, infra::http::HttpClient& http) {
  namespace bodhi = clients::fedora::bodhi;
  bodhi::ReleasesClient client(
      http, settings.env("FERRY_BODHI_URL").value_or(std::string(bodhi::k_default_bodhi_url)));
  FERRY_TRY_ASSIGN(auto releases, client.active_releases());
  return config::Aliases::from_releases(releases);
}

// Writes a secret given as content into a private file of the run.
Result<fs::path> secret_file(const fs::path& workdir, const char* name, std::string_view content) {
  fs::path path = workdir / name;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) {
      return fail(ErrorKind::io, fmt::format("cannot write {}", path.string()));
    }
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path;
}

// Lookaside: FERRY_LOOKASIDE_DIR (a directory), else upload.cgi at FERRY_LOOKASIDE_URL or the
// package's dist-git host, authenticated by `fedora_cert` or `keytab` (Kerberos).
struct LookasideClients {
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::fedora::lookaside::Lookaside> lookaside;
};

Result<LookasideClients> make_lookaside(const RunContext& run) {
  namespace lookaside = clients::fedora::lookaside;
  if (auto dir = run.settings.env("FERRY_LOOKASIDE_DIR")) {
    return LookasideClients{nullptr, lookaside::make_directory_lookaside(*dir)};
  }
  HttpAuth auth;
  if (auto cert = run.settings.secret("fedora_cert")) {
    if (cert->find("-----BEGIN") != std::string::npos) {
      FERRY_TRY_ASSIGN(auth.client_cert, secret_file(run.workdir, "fedora.pem", *cert));
    } else {
      auth.client_cert = *cert;
    }
  } else if (auto keytab = run.settings.secret("keytab")) {
    auto bytes = infra::util::base64_decode(*keytab);
    if (!bytes) {
      return fail(ErrorKind::config, "the `keytab` setting is not base64 (encode the keytab "
                                     "file with `base64 -w0`)");
    }
    FERRY_TRY_ASSIGN(fs::path path, secret_file(run.workdir, "ferry.keytab", *bytes));
    ::setenv("KRB5_CLIENT_KTNAME", path.c_str(), 1);
    ::setenv("KRB5CCNAME", "MEMORY:ferry", 1);
    auth.negotiate = true;
  }
  lookaside::CgiSettings cgi;
  std::string base =
      run.settings.env("FERRY_LOOKASIDE_URL").value_or("https://src.fedoraproject.org/repo/pkgs");
  cgi.download_base = base;
  cgi.cgi_url = base + "/upload.cgi";
  LookasideClients clients{make_http(auth), nullptr};
  clients.lookaside = lookaside::make_cgi_lookaside(*clients.http, cgi);
  return clients;
}

// The dist-git forge: FERRY_DIST_GIT_URL, else the config's dist_git_base_url.
Result<std::unique_ptr<forge::Forge>> dist_git_forge(const RunContext& run,
                                                     const nlohmann::ordered_json& settings) {
  std::string base = run.settings.env("FERRY_DIST_GIT_URL")
                         .value_or(settings.value("dist_git_base_url",
                                                  std::string("https://src.fedoraproject.org/")));
  while (base.ends_with('/')) {
    base.pop_back();
  }
  std::optional<forge::ForgeKind> kind;
  if (auto named = run.settings.get("dist_git_kind")) {
    kind = forge::forge_kind_from_name(*named);
  } else {
    std::string host = base.substr(base.find("://") + 3);
    kind = forge::forge_kind_for_host(host.substr(0, host.find('/')));
  }
  if (!kind) {
    return fail(
        ErrorKind::config,
        fmt::format("cannot tell which forge serves dist-git at {}: set FERRY_DIST_GIT_KIND "
                    "(pagure or forgejo)",
                    base));
  }
  auto token = run.settings.secret("dist_git_token");
  if (!token) {
    return fail(ErrorKind::config, "no token for dist-git: set the `dist_git_token` input "
                                   "(or FERRY_DIST_GIT_TOKEN)");
  }
  forge::ForgeSettings forge_settings;
  forge_settings.api_url = *kind == forge::ForgeKind::pagure ? base : base + "/api/v1";
  if (auto api = run.settings.env("FERRY_DIST_GIT_API_URL")) {
    forge_settings.api_url = *api;
  }
  forge_settings.token = *token;
  return forge::make_forge(*kind, *run.http, forge_settings);
}

const config::PackageConfig* package_of(const config::Config& loaded, const std::string& name) {
  for (const config::PackageConfig& package : loaded.packages) {
    if (package.name == name) {
      return &package;
    }
  }
  return nullptr;
}

// The release to sync: the event's, or for a comment the newest release of the repository.
Result<forge::Release> release_to_sync(RunContext& run) {
  if (!run.event.tag.empty()) {
    forge::Release release;
    release.tag = run.event.tag;
    release.body = run.event.release_body;
    release.commit = run.event.commit_sha;
    if (release.body.empty() && run.upstream) {
      if (auto found = run.upstream->release_by_tag(run.upstream_repo, release.tag);
          found && *found) {
        release.body = (*found)->body;
        release.commit = release.commit.empty() ? (*found)->commit : release.commit;
      }
    }
    return release;
  }
  if (!run.upstream) {
    return fail(ErrorKind::event, "the event names no release tag");
  }
  FERRY_TRY_ASSIGN(auto latest, run.upstream->latest_release(run.upstream_repo));
  if (!latest) {
    return fail(ErrorKind::not_found, fmt::format("{} has no release to propose downstream",
                                                  run.upstream_repo.full_name()));
  }
  return *latest;
}

// The upstream checkout at the tag: the workspace when it is there, else a local clone of the
// workspace switched to the tag (a comment-triggered run checks out the default branch).
Result<fs::path> upstream_at(const RunContext& run, const std::string& tag, std::string& commit) {
  auto repo = infra::git::Repository::open(run.workspace);
  if (!repo) {
    return run.workspace;
  }
  auto tagged = repo->resolve("refs/tags/" + tag);
  auto head = repo->resolve("HEAD");
  if (!tagged) {
    commit = commit.empty() ? head.value_or("") : commit;
    return run.workspace;
  }
  commit = *tagged;
  if (head && *head == *tagged) {
    return run.workspace;
  }
  fs::path dir = run.workdir / "upstream";
  FERRY_TRY_ASSIGN(auto clone, infra::git::Repository::clone(
                                   infra::git::Remote{run.workspace.string(), std::nullopt}, dir));
  FERRY_TRY(clone.switch_to_new_branch("ferry-release", "refs/tags/" + tag));
  return dir;
}

Result<core::job::JobOutcome> run_release_job(RunContext& run,
                                              const core::plan::PlannedJob& planned) {
  const config::PackageConfig* package = package_of(run.config, planned.package);
  if (package == nullptr || planned.config == nullptr) {
    return fail(ErrorKind::internal, "the plan names a package the config does not have");
  }
  const auto& settings = planned.config->settings;
  FERRY_TRY_ASSIGN(forge::Release release, release_to_sync(run));
  std::string tag_template =
      settings.value("upstream_tag_template", std::string(core::sync::k_default_tag_template));
  std::string upstream_name = settings.value("upstream_package_name", package->name);
  FERRY_TRY_ASSIGN(auto version,
                   core::sync::version_from_tag(tag_template, release.tag, upstream_name));
  if (!version) {
    return fail(ErrorKind::config, fmt::format("tag '{}' does not fit upstream_tag_template '{}'",
                                               release.tag, tag_template));
  }
  core::jobs::ReleaseSyncInput input;
  input.package = package;
  input.job = planned.config;
  input.branches = planned.dist_git_branches;
  input.fast_forward_merge_into = planned.fast_forward_merge_into;
  input.facts.job = planned.job;
  input.facts.package = settings.value("downstream_package_name", package->name);
  input.facts.version = *version;
  input.facts.tag = release.tag;
  input.facts.commit = release.commit;
  input.facts.run_url = run_url(run.settings);
  input.release_notes = release.body;
  FERRY_TRY_ASSIGN(input.upstream_dir, upstream_at(run, release.tag, input.facts.commit));
  if (!run.event.repo_url.empty()) {
    input.facts.tag_url = fmt::format("{}/releases/tag/{}", run.event.repo_url, release.tag);
    input.facts.commit_url = fmt::format("{}/commit/{}", run.event.repo_url, input.facts.commit);
  }

  FERRY_TRY_ASSIGN(auto dist_git_client, dist_git_forge(run, settings));
  auto dist_git = core::jobs::make_forge_dist_git(
      *dist_git_client,
      {settings.value("dist_git_namespace", std::string("rpms")), input.facts.package});
  FERRY_TRY_ASSIGN(LookasideClients lookaside, make_lookaside(run));
  auto downloads = make_http();
  auto processes = infra::process::make_boost_process_runner();
  core::jobs::SyncServices services{*dist_git,  *lookaside.lookaside, *downloads,
                                    *processes, run.upstream.get(),   run.upstream_repo};
  FERRY_TRY_ASSIGN(core::jobs::SyncOptions options,
                   sync_options(run.settings, run.workdir / planned.job, nullptr));
  options.dry_run = options.dry_run || run.call.global.dry_run;
  options.dry_run_out = &run.call.out;
  return core::jobs::run_release_sync(input, services, options);
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
  FERRY_TRY_ASSIGN(auto decision, core::permission::check_command(*run.upstream, request));
  if (!decision.allowed) {
    result.refusal = decision.reason;
    if (!run.call.global.dry_run) {
      if (auto replied = core::permission::reply_refusal_once(*run.upstream, request, decision);
          !replied) {
        infra::log::warning("could not reply to the comment: {}", replied.error().describe());
      }
    }
    return false;
  }
  if (!run.call.global.dry_run && request.comment_id != 0) {
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
  FERRY_TRY_ASSIGN(config::Aliases aliases, load_aliases(run.settings, *run.http));
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
  for (const core::plan::PlannedJob& planned : plan.jobs) {
    if (planned.job != "propose_downstream" && planned.job != "pull_from_upstream") {
      result.skipped.push_back(
          {planned.job, planned.trigger, planned.package, planned.index, "job_not_available",
           fmt::format("ferry {} does not run {} yet", FERRY_VERSION, planned.job),
           planned.dist_git_branches});
      continue;
    }
    auto outcome = run_release_job(run, planned);
    if (!outcome) {
      core::job::JobOutcome failed{planned.job, planned.package, {}, {}, {}, {}};
      failed.branches.push_back(
          {"-", core::job::OutcomeState::failed, "error", outcome.error().describe(), "", ""});
      infra::log::error("{}: {}", planned.job, outcome.error().describe());
      result.jobs.push_back(std::move(failed));
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

Status append_to(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
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
  fs::path config_file;
  if (auto given = settings.get("config")) {
    config_file = fs::path(*given).is_absolute() ? fs::path(*given) : run.workspace / *given;
  } else {
    FERRY_TRY_ASSIGN(config_file, config::find_config_file(run.workspace));
  }
  FERRY_TRY_ASSIGN(run.config, config::load_config(config_file));
  run.upstream_repo = split_repo(run.event.repo_full_name);
  FERRY_TRY_ASSIGN(run.upstream, upstream_forge(run));
  FERRY_TRY_ASSIGN(report::RunReport result, execute(run));
  FERRY_TRY(write_reports(run, result));
  return result;
}

ExitCode run_run(const Invocation& call) {
  Settings settings(&call.args, core::event::process_environment());
  auto result = run_in_ci(call, settings);
  if (!result) {
    return report_failure(result.error());
  }
  return report::result_of(*result) == "failure" ? ExitCode::job_failed : ExitCode::ok;
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
     "fedora_cert, config, command_prefix, dry_run, log_level, archive_wait. Exit code 0: done "
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
