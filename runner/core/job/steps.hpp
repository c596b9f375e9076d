// A job is a list of named steps (mold-style outline): run() of a job reads as the list, each
// step looks before it acts, and the runner logs, times and names them. A step ends the list
// early with Flow::stop (e.g. "already done", "skipped"); an error stops it with the step named
// in the error's context. A cancel (SIGTERM/SIGINT, infra/process/cancellation.hpp) stops the
// list before the next step with ErrorKind::cancelled.
//
// For crash-recovery tests, `crash_after` names a step after which the process exits at once
// (exit code 70, nothing cleaned up), as a kill would leave it.
#pragma once

#include "error.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace ferry::core::job {

enum class Flow { next, stop };

struct Step {
  std::string_view name;
  std::function<Result<Flow>()> run;
};

struct StepOptions {
  std::string crash_after; // "" in normal runs; a step name in crash tests
};

// Runs `steps` in order for `scope` ("propose_downstream f41"). Returns Flow::stop when a step
// stopped the list, Flow::next when all ran.
[[nodiscard]] Result<Flow> run_steps(std::string_view scope, std::span<const Step> steps,
                                     const StepOptions& options);

} // namespace ferry::core::job
