// What a job did, per dist-git branch (or Koji target, Copr chroot, test target), in a form every
// report reads: the log, the CI job summary, GITHUB_OUTPUT / dotenv outputs, commit statuses and
// the exit code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::job {

enum class OutcomeState { success, skipped, failed };

std::string_view to_string(OutcomeState state);

struct BranchOutcome {
  std::string branch;
  OutcomeState state = OutcomeState::success;
  std::string reason; // machine-readable: "pull_request_opened", "downstream_version_newer", ...
  std::string detail; // one sentence for humans
  std::string pull_request_url;
  std::string commit;
};

struct JobOutcome {
  std::string job;
  std::string package;
  std::vector<BranchOutcome> branches;
  std::vector<std::string> waits;   // "hello-1.3.tar.gz: 404, waited 60 s (attempt 1)"
  std::vector<std::string> uploads; // archives uploaded to the lookaside
  std::vector<std::string> builds;  // Koji NVRs / Copr build URLs this job made or found
  std::vector<std::string> updates; // Bodhi update URLs
  std::vector<std::string> notes;

  bool failed() const;
};

// The outcome of a job that stopped before any branch ran (its error, on a "-" row).
JobOutcome failed_job(std::string job, std::string package, std::string detail);

} // namespace ferry::core::job
