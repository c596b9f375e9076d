// propose_downstream and pull_from_upstream: one upstream release becomes, per dist-git branch,
// a commit (spec Version/Release/%changelog, `sources`, `.gitignore`, files_to_sync) on the bot
// branch, the archives in the lookaside cache, and a pull request — packit-compat.md §3–§4.
//
// Every step looks before it acts (design.md, "the forge is the state"): archives already in
// the lookaside are not uploaded, a bot branch that already carries ferry's commit for this
// release on top of the dist-git branch is not pushed again, an open pull request is updated,
// never duplicated. So the same event run again after a crash at any step finishes the job and
// does nothing twice.
#pragma once

#include "clients/fedora/lookaside/lookaside.hpp"
#include "clients/forge/forge.hpp"
#include "core/config/config.hpp"
#include "core/job/outcome.hpp"
#include "core/job/steps.hpp"
#include "core/jobs/dist_git_side.hpp"
#include "core/sync/messages.hpp"
#include "infra/http/http_client.hpp"
#include "infra/process/process_runner.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ferry::core::jobs {

struct ReleaseSyncInput {
  const config::PackageConfig* package = nullptr;
  const config::JobConfig* job = nullptr;
  std::vector<std::string> branches; // resolved dist-git branches
  std::map<std::string, std::vector<std::string>> fast_forward_merge_into;
  sync::SyncFacts facts;     // job, package, version (upstream form), tag, commit, urls
  std::string release_notes; // the forge release's body ("" when none)
  // The upstream checkout at the tag: spec, files_to_sync and actions' working directory.
  // Empty for pull_from_upstream without upstream_project_url (the dist-git spec is used).
  std::filesystem::path upstream_dir;
  std::optional<std::filesystem::path> archive; // --archive: the upstream archive itself
  // The Packit config's path relative to upstream_dir: synced to dist-git when files_to_sync
  // is not configured (Packit's default list is the spec and the config).
  std::string config_file;
};

struct SyncServices {
  DistGitSide& dist_git;
  clients::fedora::lookaside::Lookaside& lookaside;
  infra::http::HttpClient& http; // archive downloads
  infra::process::ProcessRunner& processes;
  clients::forge::Forge* upstream_forge = nullptr; // statuses and the failure issue; optional
  clients::forge::RepoRef upstream_repo;
};

struct SyncOptions {
  std::filesystem::path workdir; // clones and downloads go here
  bool dry_run = false;
  std::ostream* dry_run_out = nullptr; // where --dry-run prints the writes it would make
  bool local = false;                  // local mode: bot branch only, no statuses or issues
  std::vector<std::chrono::seconds> archive_waits;
  std::function<void(std::chrono::seconds)> sleep;
  job::StepOptions steps;
  std::string author; // "Name <email>" for the changelog and the commit
  std::string date;   // "YYYY-MM-DD" for the changelog
  std::optional<std::chrono::system_clock::time_point> commit_time; // default: now
  std::string ferry_version;
  std::string command_prefix = "/ferry";
  std::string dist_git_default_branch = "rawhide";
};

// Runs the sync for every branch (one branch's failure does not stop the others), sets a
// status per branch on the upstream commit and reports failures in one issue.
job::JobOutcome run_release_sync(const ReleaseSyncInput& input, SyncServices& services,
                                 const SyncOptions& options);

} // namespace ferry::core::jobs
