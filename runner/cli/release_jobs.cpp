// The runner of propose_downstream and pull_from_upstream in CI: which release, the upstream
// checkout at its tag, dist-git and lookaside clients, then the release sync.
#include "cli/run_context.hpp"
#include "cli/wiring.hpp"
#include "clients/fedora/release_monitoring/release_monitoring_client.hpp"
#include "core/command/comment_command.hpp"
#include "core/jobs/release_sync.hpp"
#include "core/spec/rpmvercmp.hpp"
#include "core/sync/release_version.hpp"
#include "infra/git/repository.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/process_runner.hpp"

#include <fmt/format.h>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace forge = clients::forge;
namespace config = core::config;

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
    infra::log::warning("the workspace {} is not a git checkout ferry can open ({}): syncing "
                        "its files as they are",
                        run.workspace.string(), repo.error().describe());
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

// What pull_from_upstream syncs: `--version` of the comment, else the newest tag of
// upstream_project_url that fits the template and filters, else release-monitoring's latest.
struct UpstreamVersion {
  std::string version;
  std::string tag;
  std::string commit;
  fs::path checkout; // empty for non-git upstreams
  std::optional<long> release_monitoring_id;
};

Result<bool> tag_passes_filters(const config::JobConfig& job, const std::string& tag) {
  if (job.upstream_tag_include) {
    FERRY_TRY_ASSIGN(bool included, core::sync::python_match(*job.upstream_tag_include, tag));
    if (!included) {
      return false;
    }
  }
  if (job.upstream_tag_exclude) {
    FERRY_TRY_ASSIGN(bool excluded, core::sync::python_match(*job.upstream_tag_exclude, tag));
    if (excluded) {
      return false;
    }
  }
  return true;
}

// Clones upstream_project_url and picks the newest fitting tag (or the asked version's tag).
Result<UpstreamVersion> version_from_upstream_git(RunContext& run, const config::JobConfig& job,
                                                  const std::string& url,
                                                  const std::string& tag_template,
                                                  const std::string& upstream_name,
                                                  const std::optional<std::string>& wanted) {
  fs::path dir = run.workdir / "upstream";
  FERRY_TRY_ASSIGN(auto repo, infra::git::Repository::clone({url, std::nullopt}, dir));
  FERRY_TRY_ASSIGN(auto tags, repo.tags());
  UpstreamVersion best;
  for (const infra::git::TagInfo& tag : tags) {
    FERRY_TRY_ASSIGN(auto version,
                     core::sync::version_from_tag(tag_template, tag.name, upstream_name));
    FERRY_TRY_ASSIGN(bool passes, tag_passes_filters(job, tag.name));
    if (!version || !passes || (wanted && *version != *wanted)) {
      continue;
    }
    if (best.version.empty() || core::spec::rpmvercmp(*version, best.version) > 0) {
      best = {*version, tag.name, tag.commit, dir, std::nullopt};
    }
  }
  if (best.version.empty()) {
    return fail(ErrorKind::not_found,
                fmt::format("{} has no tag that fits upstream_tag_template '{}'{}", url,
                            tag_template, wanted ? " for version " + *wanted : ""));
  }
  FERRY_TRY(repo.switch_to_new_branch("ferry-release", "refs/tags/" + best.tag));
  return best;
}

Result<UpstreamVersion> upstream_version(RunContext& run, const config::PackageConfig& package,
                                         const config::JobConfig& job) {
  const auto& settings = job.settings;
  std::optional<std::string> wanted = run.settings.get("version");
  if (!wanted && !run.event.comment_body.empty()) {
    if (auto command = core::command::parse_comment(run.event.comment_body); command && *command) {
      wanted = (*command)->version;
    }
  }
  std::string url = settings.value("upstream_project_url", std::string());
  if (!url.empty()) {
    return version_from_upstream_git(
        run, job, url,
        settings.value("upstream_tag_template", std::string(core::sync::k_default_tag_template)),
        settings.value("upstream_package_name", package.name), wanted);
  }
  if (wanted) {
    return UpstreamVersion{*wanted, "", "", {}, std::nullopt};
  }
  clients::fedora::release_monitoring::ReleaseMonitoringClient monitoring(
      *run.http, run.settings.env("FERRY_RELEASE_MONITORING_URL")
                     .value_or(std::string(clients::fedora::release_monitoring::k_default_url)));
  FERRY_TRY_ASSIGN(auto versions, monitoring.versions_for_package(
                                      settings.value("downstream_package_name", package.name)));
  if (versions.latest_version.empty()) {
    return fail(ErrorKind::not_found, fmt::format("release-monitoring.org knows no version of {}",
                                                  versions.project_name));
  }
  return UpstreamVersion{versions.latest_version, "", "", {}, versions.project_id};
}

Result<core::jobs::ReleaseSyncInput>
propose_input(RunContext& run, const config::PackageConfig& package, const config::JobConfig& job) {
  const auto& settings = job.settings;
  FERRY_TRY_ASSIGN(forge::Release release, release_to_sync(run));
  std::string tag_template =
      settings.value("upstream_tag_template", std::string(core::sync::k_default_tag_template));
  FERRY_TRY_ASSIGN(auto version, core::sync::version_from_tag(
                                     tag_template, release.tag,
                                     settings.value("upstream_package_name", package.name)));
  if (!version) {
    return fail(ErrorKind::config, fmt::format("tag '{}' does not fit upstream_tag_template '{}'",
                                               release.tag, tag_template));
  }
  core::jobs::ReleaseSyncInput input;
  input.facts.version = *version;
  input.facts.tag = release.tag;
  input.facts.commit = release.commit;
  input.release_notes = release.body;
  FERRY_TRY_ASSIGN(input.upstream_dir, upstream_at(run, release.tag, input.facts.commit));
  if (!run.event.repo_url.empty()) {
    input.facts.tag_url = fmt::format("{}/releases/tag/{}", run.event.repo_url, release.tag);
    input.facts.commit_url = fmt::format("{}/commit/{}", run.event.repo_url, input.facts.commit);
  }
  return input;
}

Result<core::jobs::ReleaseSyncInput>
pull_input(RunContext& run, const config::PackageConfig& package, const config::JobConfig& job) {
  FERRY_TRY_ASSIGN(UpstreamVersion upstream, upstream_version(run, package, job));
  core::jobs::ReleaseSyncInput input;
  input.facts.version = upstream.version;
  input.facts.tag = upstream.tag;
  input.facts.commit = upstream.commit;
  input.facts.release_monitoring_id = upstream.release_monitoring_id;
  input.upstream_dir = upstream.checkout;
  return input;
}

// pull_from_upstream runs in the dist-git repository's own CI: its forge is dist-git, unless
// FERRY_DIST_GIT_URL names another.
Result<forge::Forge*> dist_git_client(RunContext& run, const core::plan::PlannedJob& planned,
                                      std::unique_ptr<forge::Forge>& owned) {
  if (planned.job == "pull_from_upstream" && !run.settings.env("FERRY_DIST_GIT_URL") &&
      run.upstream) {
    return run.upstream.get();
  }
  FERRY_TRY_ASSIGN(owned, dist_git_forge(run, planned.config->settings));
  return owned.get();
}

forge::RepoRef dist_git_repo(const RunContext& run, const core::plan::PlannedJob& planned,
                             const std::string& package) {
  if (planned.job == "pull_from_upstream" && !run.settings.env("FERRY_DIST_GIT_URL")) {
    return run.upstream_repo;
  }
  return {planned.config->settings.value("dist_git_namespace", std::string("rpms")), package};
}

} // namespace

Result<core::job::JobOutcome> run_release_job(RunContext& run,
                                              const core::plan::PlannedJob& planned) {
  const config::PackageConfig* package = package_of(run.config, planned.package);
  if (package == nullptr || planned.config == nullptr) {
    return fail(ErrorKind::internal, "the plan names a package the config does not have");
  }
  const auto& settings = planned.config->settings;
  bool pull = planned.job == "pull_from_upstream";
  FERRY_TRY_ASSIGN(core::jobs::ReleaseSyncInput input,
                   pull ? pull_input(run, *package, *planned.config)
                        : propose_input(run, *package, *planned.config));
  input.package = package;
  input.job = planned.config;
  input.branches = planned.dist_git_branches;
  input.fast_forward_merge_into = planned.fast_forward_merge_into;
  input.facts.job = planned.job;
  input.facts.package = settings.value("downstream_package_name", package->name);
  input.facts.run_url = run_url(run.settings);
  if (!pull && !input.upstream_dir.empty()) {
    std::error_code error;
    fs::path relative = fs::relative(run.config.file, run.workspace, error);
    input.config_file = error ? "" : relative.string();
  }

  std::unique_ptr<forge::Forge> owned;
  FERRY_TRY_ASSIGN(forge::Forge * client, dist_git_client(run, planned, owned));
  auto dist_git =
      core::jobs::make_forge_dist_git(*client, dist_git_repo(run, planned, input.facts.package));
  FERRY_TRY_ASSIGN(LookasideClients lookaside, make_lookaside(run));
  auto downloads = make_http();
  auto processes = infra::process::make_boost_process_runner();
  core::jobs::SyncServices services{*dist_git,
                                    *lookaside.lookaside,
                                    *downloads,
                                    *processes,
                                    pull ? nullptr : run.upstream.get(),
                                    run.upstream_repo};
  FERRY_TRY_ASSIGN(core::jobs::SyncOptions options,
                   sync_options(run.settings, run.workdir / planned.job, nullptr));
  options.dry_run = run.dry_run();
  options.dry_run_out = &run.call.out;
  return core::jobs::run_release_sync(input, services, options);
}

} // namespace ferry::cli
