// The runners of koji_build and bodhi_update: the dist-git side of ferry. In CI the workflow
// runs in the dist-git repository itself (Forgejo Actions on a push or a comment), so the
// event's repository is the package; `ferry koji-build` / `ferry create-update` run them in a
// local dist-git checkout (downstream_commands.cpp). Both build here the Koji client (Kerberos
// from the `keytab` setting, or the `fedora_cert` client certificate), the Bodhi client (OIDC
// login with the same Kerberos identity), the dist-git commits to build, and why the job runs.
#include "cli/downstream_jobs.hpp"

#include "cli/run_context.hpp"
#include "cli/wiring.hpp"
#include "clients/fedora/bodhi/oidc_login.hpp"
#include "clients/fedora/bodhi/releases_client.hpp"
#include "clients/fedora/bodhi/session.hpp"
#include "clients/forge/forge_registry.hpp"
#include "core/jobs/bodhi_update.hpp"
#include "core/jobs/koji_build.hpp"
#include "infra/git/repository.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace bodhi = clients::fedora::bodhi;
namespace forge = clients::forge;
namespace koji = clients::fedora::koji;
using core::jobs::DownstreamTrigger;

std::string setting_string(const nlohmann::ordered_json& settings, const char* key,
                           std::string fallback) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_string() ? found->get<std::string>() : fallback;
}

// The dist-git repository of the run: the workspace when it has the commits needed (a push's
// commit is checked out there), else a clone from the event's forge.
Result<infra::git::Repository> dist_git_repository(RunContext& run, const std::string& commit) {
  if (auto workspace = infra::git::Repository::open(run.workspace)) {
    if (!commit.empty() && workspace->resolve(commit)) {
      return std::move(*workspace);
    }
    if (run.event.forge == model::Forge::local) {
      return std::move(*workspace); // the command line: the checkout it runs in
    }
  }
  if (!run.upstream) {
    return fail(ErrorKind::usage,
                fmt::format("{} is not a dist-git clone", run.workspace.string()));
  }
  fs::path dir = run.workdir / "dist-git";
  if (auto cloned = infra::git::Repository::open(dir)) {
    return std::move(*cloned); // cloned for an earlier job of this run
  }
  FERRY_TRY(run.upstream->current_user()); // Forgejo's git user is the token's login
  FERRY_TRY_ASSIGN(auto info, run.upstream->repository(run.upstream_repo));
  auto cloned = infra::git::Repository::clone(run.upstream->git_remote(info), dir);
  if (!cloned) {
    return std::unexpected(
        cloned.error().add_context("cloning dist-git " + run.upstream_repo.full_name()));
  }
  return cloned;
}

// Why the job runs, from the event.
Result<DownstreamTrigger> trigger_of(RunContext& run) {
  DownstreamTrigger trigger;
  const model::Event& event = run.event;
  if (event.kind != model::EventKind::push) {
    trigger.kind = event.forge == model::Forge::local ? DownstreamTrigger::Kind::command_line
                                                      : DownstreamTrigger::Kind::comment;
    return trigger;
  }
  trigger.pusher = event.actor;
  trigger.changed_files_known = event.changed_files_known;
  trigger.changed_files = event.changed_files;
  if (run.upstream && !event.commit_sha.empty()) {
    FERRY_TRY_ASSIGN(trigger.merged_pull_request,
                     run.upstream->merged_pull_request(run.upstream_repo, event.commit_sha));
  }
  if (trigger.merged_pull_request) {
    infra::log::info("{} is the merge of pull request #{} by {}", event.commit_sha.substr(0, 12),
                     trigger.merged_pull_request->number, trigger.merged_pull_request->author);
  }
  return trigger;
}

// Who "packit" in allowed_* lists stands for: this runner's accounts.
core::jobs::AllowContext allow_context(RunContext& run) {
  core::jobs::AllowContext allow;
  if (auto user = run.settings.get("fas_user")) {
    allow.identities.push_back(*user);
  }
  std::string principal = kerberos_principal(run.settings);
  if (!principal.empty()) {
    allow.identities.push_back(principal.substr(0, principal.find('@')));
  }
  if (run.upstream) {
    if (auto login = run.upstream->current_user()) {
      allow.identities.push_back(*login);
    }
    allow.forge = run.upstream.get();
    allow.repo = run.upstream_repo;
  }
  return allow;
}

std::chrono::milliseconds poll_interval(const Settings& settings) {
  double seconds = std::strtod(settings.get_or("koji_poll_interval", "10").c_str(), nullptr);
  return std::chrono::milliseconds(static_cast<long>(std::max(seconds, 0.001) * 1000));
}

} // namespace

Result<DownstreamClients> make_downstream_clients(RunContext& run) {
  DownstreamClients clients;
  HttpAuth auth;
  std::string credentials = "no keytab or fedora_cert setting (FERRY_KEYTAB, FERRY_FEDORA_CERT)";
  bool has_credentials = true;
  if (auto cert = run.settings.secret("fedora_cert")) {
    if (cert->find("-----BEGIN") != std::string::npos) {
      auth.client_cert_pem = *cert;
    } else {
      auth.client_cert = *cert;
    }
    credentials = "the fedora_cert client certificate";
  } else {
    FERRY_TRY_ASSIGN(auth.negotiate, use_keytab(run));
    if (auth.negotiate) {
      credentials = fmt::format("the Kerberos keytab of {}", run.keytab_login->principal());
    }
    has_credentials = auth.negotiate;
  }
  clients.koji_http = make_http(auth);
  koji::KojiSettings koji_settings;
  koji_settings.hub_url =
      run.settings.env("FERRY_KOJI_URL").value_or(std::string(koji::k_default_hub_url));
  koji_settings.credentials = credentials;
  koji_settings.has_credentials = has_credentials;
  koji_settings.poll.first_interval = poll_interval(run.settings);
  koji_settings.poll.max_interval =
      std::max(koji_settings.poll.max_interval, koji_settings.poll.first_interval);
  clients.koji = std::make_unique<koji::KojiClient>(*clients.koji_http, koji_settings);

  clients.bodhi_http = make_http();
  HttpAuth negotiate;
  negotiate.negotiate = true;
  clients.negotiate_http = make_http(negotiate);
  bodhi::OidcSettings oidc;
  oidc.idp_url = run.settings.env("FERRY_OIDC_URL").value_or(std::string(bodhi::k_default_idp_url));
  bool have_keytab = auth.negotiate || run.keytab_login != nullptr;
  oidc.principal = run.keytab_login ? run.keytab_login->principal() : "";
  std::string bodhi_url =
      run.settings.env("FERRY_BODHI_URL").value_or(std::string(bodhi::k_default_bodhi_url));
  auto token = [http = clients.bodhi_http.get(), negotiate = clients.negotiate_http.get(), oidc,
                have_keytab]() -> Result<std::string> {
    if (!have_keytab) {
      return fail(ErrorKind::auth, "Bodhi needs a Fedora login: set the `keytab` setting (and "
                                   "kerberos_principal or fas_user)");
    }
    FERRY_TRY_ASSIGN(auto tokens, bodhi::login_with_kerberos(*http, *negotiate, oidc));
    return tokens.access_token;
  };
  clients.session = std::make_unique<bodhi::BodhiSession>(*clients.bodhi_http, bodhi_url, token);
  clients.updates = std::make_unique<bodhi::UpdatesClient>(*clients.session);
  return clients;
}

Result<core::jobs::DownstreamInput> downstream_input(RunContext& run,
                                                     const core::plan::PlannedJob& planned) {
  if (planned.config == nullptr) {
    return fail(ErrorKind::internal, "the plan names a job the config does not have");
  }
  const auto& settings = planned.config->settings;
  core::jobs::DownstreamInput input;
  input.job = planned.config;
  std::string repository =
      run.upstream_repo.name.empty() ? planned.package : run.upstream_repo.name;
  input.package = setting_string(settings, "downstream_package_name", repository);
  input.spec_path = input.package + ".spec";
  input.branches = planned.dist_git_branches;
  input.dist_git_url =
      run.settings.env("FERRY_DIST_GIT_URL")
          .value_or(setting_string(settings, "dist_git_base_url", "https://src.fedoraproject.org"));
  FERRY_TRY_ASSIGN(input.trigger, trigger_of(run));
  input.releases = run.releases;
  return input;
}

Result<core::job::JobOutcome>
run_downstream_job(RunContext& run, const core::plan::PlannedJob& planned, bool koji_build) {
  FERRY_TRY_ASSIGN(auto input, downstream_input(run, planned));
  std::map<std::string, std::string> pinned;
  if (run.event.kind == model::EventKind::push && !run.event.commit_sha.empty()) {
    pinned[run.event.branch] = run.event.commit_sha;
  }
  FERRY_TRY_ASSIGN(auto repo, dist_git_repository(run, run.event.commit_sha));
  core::jobs::DistGitCommits commits(repo, std::move(pinned));
  FERRY_TRY_ASSIGN(DownstreamClients clients, make_downstream_clients(run));
  core::jobs::DownstreamServices services{commits, *clients.koji, clients.updates.get(),
                                          allow_context(run)};
  core::jobs::DownstreamOptions options;
  options.dry_run = run.dry_run();
  options.dry_run_out = &run.call.out;
  options.steps.crash_after = crash_after_step(run.settings);
  return koji_build ? core::jobs::run_koji_build(input, services, options)
                    : core::jobs::run_bodhi_update(input, services, options);
}

namespace {

// The forge and repository of `issue_repository`: the run's own forge when the repository is on
// its host, else the forge `issue_repository_token` opens (kind from the host, or
// issue_repository_kind; API from issue_repository_api_url, or the host's usual one).
Result<std::pair<std::unique_ptr<forge::Forge>, forge::RepoRef>>
issue_repository_forge(RunContext& run, const std::string& url) {
  std::string host = host_of(url);
  std::string path = url.substr(url.find(host) + host.size());
  while (path.starts_with('/')) {
    path.erase(0, 1);
  }
  while (path.ends_with('/')) {
    path.pop_back();
  }
  forge::RepoRef repo = split_repo(path);
  if (host.empty() || repo.owner.empty() || repo.name.empty()) {
    return fail(ErrorKind::config, fmt::format("issue_repository '{}' is not a repository URL "
                                               "(https://host/owner/name)",
                                               url));
  }
  if (run.upstream && host == host_of(run.event.repo_url)) {
    return std::pair{std::unique_ptr<forge::Forge>(), repo};
  }
  auto token = run.settings.secret("issue_repository_token");
  auto kind = run.settings.get("issue_repository_kind").and_then([](const std::string& name) {
    return forge::forge_kind_from_name(name);
  });
  kind = kind ? kind : forge::forge_kind_for_host(host);
  if (!token || !kind) {
    return fail(ErrorKind::config,
                fmt::format("issue_repository {} is on another forge than this run: set "
                            "issue_repository_token{} to report failures there",
                            url, kind ? "" : " and issue_repository_kind"));
  }
  forge::ForgeSettings settings;
  settings.api_url =
      run.settings.get("issue_repository_api_url").value_or(forge::default_api_url(*kind, host));
  settings.token = *token;
  return std::pair{forge::make_forge(*kind, *run.http, settings), repo};
}

// A failed downstream job's issue in the config's issue_repository, opened once (an open issue
// with the same title is reused). Reporting problems are logged, never the job's result.
void report_failure_issue(RunContext& run, const core::plan::PlannedJob& planned,
                          const Result<core::job::JobOutcome>& outcome) {
  if (infra::process::cancel_requested()) {
    return; // a cancelled run files nothing: the rerun reports
  }
  std::string url = planned.config != nullptr
                        ? planned.config->settings.value("issue_repository", std::string())
                        : std::string();
  if (url.empty() || run.dry_run() || run.event.forge == model::Forge::local) {
    return;
  }
  auto issue = core::jobs::downstream_failure_issue(
      outcome ? *outcome
              : core::job::failed_job(planned.job, planned.package, outcome.error().describe()),
      run_url(run.settings), run.settings.get_or("command_prefix", "/ferry"));
  if (!issue) {
    return;
  }
  auto target = issue_repository_forge(run, url);
  if (!target) {
    infra::log::warning("could not report the failure: {}", target.error().describe());
    return;
  }
  forge::Forge& forge = target->first ? *target->first : *run.upstream;
  if (auto reported = forge.report_issue(target->second, issue->title, issue->body); !reported) {
    infra::log::warning("could not report the failure in {}: {}", url, reported.error().describe());
  } else {
    infra::log::info("failure reported in {}", reported->url);
  }
}

} // namespace

Result<core::job::JobOutcome> run_koji_build_job(RunContext& run,
                                                 const core::plan::PlannedJob& planned) {
  auto outcome = run_downstream_job(run, planned, true);
  report_failure_issue(run, planned, outcome);
  return outcome;
}

Result<core::job::JobOutcome> run_bodhi_update_job(RunContext& run,
                                                   const core::plan::PlannedJob& planned) {
  auto outcome = run_downstream_job(run, planned, false);
  report_failure_issue(run, planned, outcome);
  return outcome;
}

} // namespace ferry::cli
