#include "core/job/steps.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace ferry::core::job {

Result<Flow> run_steps(std::string_view scope, std::span<const Step> steps,
                       const StepOptions& options) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    if (auto go_on = infra::process::check_not_cancelled(); !go_on) {
      go_on.error().add_context(fmt::format("{}: before step {}", scope, step.name));
      return std::unexpected(go_on.error());
    }
    infra::log::debug("{}: step {}/{} {}", scope, i + 1, steps.size(), step.name);
    auto started = std::chrono::steady_clock::now();
    Result<Flow> flow = step.run();
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    infra::log::debug("{}: {} took {} ms", scope, step.name, elapsed.count());
    if (!flow) {
      flow.error().add_context(fmt::format("{}: step {}", scope, step.name));
      return flow;
    }
    if (!options.crash_after.empty() && options.crash_after == step.name) {
      std::cerr << "ferry: crashing after step " << step.name << " (crash test)\n";
      std::_Exit(70);
    }
    if (*flow == Flow::stop) {
      return Flow::stop;
    }
  }
  return Flow::next;
}

} // namespace ferry::core::job
