#include "core/job/outcome.hpp"

#include <algorithm>

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

} // namespace ferry::core::job
