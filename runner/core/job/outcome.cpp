#include "core/job/outcome.hpp"

#include <algorithm>
#include <utility>

namespace ferry::core::job {

std::string_view to_string(OutcomeState state) {
  switch (state) {
  case OutcomeState::success:
    return "success";
  case OutcomeState::skipped:
    return "skipped";
  case OutcomeState::failed:
    return "failed";
  }
  return "failed";
}

bool JobOutcome::failed() const {
  return std::any_of(branches.begin(), branches.end(),
                     [](const BranchOutcome& b) { return b.state == OutcomeState::failed; });
}

JobOutcome failed_job(std::string job, std::string package, std::string detail) {
  JobOutcome outcome;
  outcome.job = std::move(job);
  outcome.package = std::move(package);
  outcome.branches.push_back({"-", OutcomeState::failed, "error", std::move(detail), "", ""});
  return outcome;
}

} // namespace ferry::core::job
