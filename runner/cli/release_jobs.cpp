// The runner of propose_downstream and pull_from_upstream in CI: which release, the upstream
// checkout at its tag, dist-git and lookaside clients, then the release sync.
#include "cli/run_context.hpp"
#include "cli/wiring.hpp"
#include "core/jobs/release_sync.hpp"
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

} // namespace

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
  options.dry_run = run.dry_run();
  options.dry_run_out = &run.call.out;
  return core::jobs::run_release_sync(input, services, options);
}

} // namespace ferry::cli
