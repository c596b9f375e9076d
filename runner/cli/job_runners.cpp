// Which runner runs which job type: one row per job.
#include "cli/run_context.hpp"

#include <map>

namespace ferry::cli {

std::optional<JobRunner> job_runner(std::string_view job) {
  static const std::map<std::string_view, JobRunner> k_runners = {
      {"propose_downstream", run_release_job}, {"pull_from_upstream", run_release_job},
      {"copr_build", run_copr_build_job},      {"tests", run_tests_job},
      {"koji_build", run_koji_build_job},      {"bodhi_update", run_bodhi_update_job},
  };
  auto found = k_runners.find(job);
  if (found == k_runners.end()) {
    return std::nullopt;
  }
  return found->second;
}

} // namespace ferry::cli
