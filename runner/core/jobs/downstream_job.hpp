// What the downstream jobs koji_build and bodhi_update share: which package and branches, why
// they run (a dist-git push, a comment command, the command line), the clients they use, and
// the loop that runs one job's steps per branch (a branch's failure does not stop the others;
// an authentication failure does, since every later branch would fail the same way).
#pragma once

#include "clients/fedora/bodhi/updates_client.hpp"
#include "clients/fedora/koji/koji_client.hpp"
#include "clients/forge/forge.hpp"
#include "core/config/config.hpp"
#include "core/job/outcome.hpp"
#include "core/job/steps.hpp"
#include "core/jobs/allow_list.hpp"
#include "core/jobs/dist_git_build.hpp"
#include "model/bodhi_release.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ferry::core::jobs {

struct DownstreamTrigger {
  enum class Kind { push, comment, command_line };
  Kind kind = Kind::push;
  std::string pusher; // push: who pushed (the event's actor)
  // push: the pull request whose merge made the pushed commit (nullopt: a direct push)
  std::optional<clients::forge::PullRequest> merged_pull_request;
  bool changed_files_known = false;
  std::vector<std::string> changed_files;
};

struct DownstreamInput {
  const config::JobConfig* job = nullptr;
  std::string package;   // the dist-git repository and Koji package ("hello")
  std::string spec_path; // in the dist-git repository ("hello.spec")
  std::vector<std::string> branches;
  std::string dist_git_url = "https://src.fedoraproject.org"; // for the SCM URL Koji builds
  DownstreamTrigger trigger;
  std::vector<model::BodhiRelease> releases; // Bodhi's active releases
};

struct DownstreamServices {
  DistGitCommits& dist_git;
  clients::fedora::koji::KojiClient& koji;
  clients::fedora::bodhi::UpdatesClient* bodhi = nullptr; // bodhi_update only
  AllowContext allow;
};

struct DownstreamOptions {
  bool dry_run = false;
  std::ostream* dry_run_out = nullptr;
  job::StepOptions steps;
};

// One branch's run of a job: fills `branch_outcome` (and the job's builds/updates), returns the
// steps' result.
using BranchRun = std::function<Result<job::Flow>(
    const std::string& branch, job::BranchOutcome& branch_outcome, job::JobOutcome& job)>;

// Runs `run` for every branch of `input` into a JobOutcome named `job_name`.
job::JobOutcome run_per_branch(const std::string& job_name, const DownstreamInput& input,
                               const BranchRun& run);

// Finishes a branch: sets state, reason and detail; returns Flow::stop.
job::Flow finish(job::BranchOutcome& outcome, job::OutcomeState state, std::string reason,
                 std::string detail);

// The identities AllowContext uses, plus the Koji user once logged in.
AllowContext with_koji_user(AllowContext allow, const clients::fedora::koji::KojiClient& koji);

// The issue a failed koji_build or bodhi_update opens in the config's `issue_repository`
// (packit-compat.md §5, §6): the job's title, the failed branches, the logs and how to retry.
// nullopt when no branch failed or the job is not one of these two.
struct FailureIssue {
  std::string title;
  std::string body;
};
std::optional<FailureIssue> downstream_failure_issue(const job::JobOutcome& outcome,
                                                     std::string_view run_url,
                                                     std::string_view command_prefix);

} // namespace ferry::core::jobs
