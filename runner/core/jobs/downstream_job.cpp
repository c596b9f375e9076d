#include "core/jobs/downstream_job.hpp"

#include "core/sync/messages.hpp"
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

namespace {

// The outcome's reason for a branch that stopped with an error. Bad credentials fail every
// branch alike; a policy refusal (a quota, a permission) may be for this branch only.
std::string failure_reason(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::auth:
    return "auth_failed";
  case ErrorKind::refused:
    return "refused";
  default:
    return "error";
  }
}

} // namespace

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
      finish(result, job::OutcomeState::failed, failure_reason(flow.error().kind()),
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

std::optional<FailureIssue> downstream_failure_issue(const job::JobOutcome& outcome,
                                                     std::string_view run_url,
                                                     std::string_view command_prefix) {
  struct Wording {
    std::string_view job, title, what, command;
  };
  static constexpr Wording k_wordings[] = {
      {"koji_build", "Fedora Koji build failed to be triggered", "build", "koji-build"},
      {"bodhi_update", "Fedora Bodhi update failed to be created", "create the Bodhi update of",
       "create-update"}};
  const Wording* wording = nullptr;
  for (const Wording& candidate : k_wordings) {
    wording = candidate.job == outcome.job ? &candidate : wording;
  }
  std::vector<sync::BranchFailure> failures;
  for (const job::BranchOutcome& branch : outcome.branches) {
    if (branch.state == job::OutcomeState::failed) {
      failures.push_back({branch.branch, branch.detail});
    }
  }
  if (wording == nullptr || failures.empty()) {
    return std::nullopt;
  }
  std::string body = fmt::format("ferry could not {} {} for these dist-git branches:\n\n",
                                 wording->what, outcome.package) +
                     sync::failure_table(failures);
  if (!run_url.empty()) {
    body += fmt::format("\nLogs: [CI run]({})\n", run_url);
  }
  body += fmt::format("\nTo retry, fix the cause, then run the dist-git CI job again or comment "
                      "`{} {}` on a pull request of the dist-git repository.\n",
                      command_prefix, wording->command);
  return FailureIssue{fmt::format("[ferry] {}", wording->title), std::move(body)};
}

} // namespace ferry::core::jobs
