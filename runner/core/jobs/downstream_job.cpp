#include "core/jobs/downstream_job.hpp"

#include "infra/log/logger.hpp"

#include <fmt/format.h>

namespace ferry::core::jobs {

job::Flow finish(job::BranchOutcome& outcome, job::OutcomeState state, std::string reason,
                 std::string detail) {
  outcome.state = state;
  outcome.reason = std::move(reason);
  outcome.detail = std::move(detail);
  return job::Flow::stop;
}

AllowContext with_koji_user(AllowContext allow, const clients::fedora::koji::KojiClient& koji) {
  if (koji.logged_in() && !koji.user_name().empty()) {
    allow.identities.push_back(koji.user_name());
  }
  return allow;
}

job::JobOutcome run_per_branch(const std::string& job_name, const DownstreamInput& input,
                               const BranchRun& run) {
  job::JobOutcome outcome;
  outcome.job = job_name;
  outcome.package = input.package;
  std::optional<std::string> auth_failure;
  for (const std::string& branch : input.branches) {
    job::BranchOutcome result;
    result.branch = branch;
    if (auth_failure) {
      finish(result, job::OutcomeState::failed, "not_attempted",
             "not attempted after the authentication failure: " + *auth_failure);
      outcome.branches.push_back(std::move(result));
      continue;
    }
    infra::log::info("{} {} → {}", job_name, input.package, branch);
    auto flow = run(branch, result, outcome);
    if (!flow) {
      bool auth = flow.error().kind() == ErrorKind::auth;
      finish(result, job::OutcomeState::failed, auth ? "auth_failed" : "error",
             flow.error().describe());
      if (auth) {
        auth_failure = flow.error().message();
      }
    } else if (*flow == job::Flow::next && result.reason.empty()) {
      finish(result, job::OutcomeState::success, "done", "");
    }
    infra::log::info("{}: {} ({}){}", branch, job::to_string(result.state), result.reason,
                     result.detail.empty() ? "" : ": " + result.detail);
    outcome.branches.push_back(std::move(result));
  }
  return outcome;
}

} // namespace ferry::core::jobs
