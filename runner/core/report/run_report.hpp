// What one `ferry run` did, in the forms CI users read: a Markdown job summary (a table per
// job: branch → pull request or reason), machine-readable outputs (GITHUB_OUTPUT heredoc
// lines on GitHub/Forgejo, a dotenv report on GitLab) and the exit code's outcome.
#pragma once

#include "core/job/outcome.hpp"
#include "core/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ferry::core::report {

struct RunReport {
  std::vector<job::JobOutcome> jobs;
  std::vector<plan::SkippedJob> skipped; // jobs the plan did not run
  std::string refusal;                   // a refused comment command, in words
  std::string cancelled_by;              // "SIGTERM" when a signal stopped the run
};

// "cancelled" (a signal stopped the run), "success" (something ran and nothing failed),
// "failure", or "skipped" (nothing ran).
std::string result_of(const RunReport& report);

// {"pull_requests": [urls], "builds": [], "updates": [], "skipped": {job: reason}, "result": ...}
nlohmann::ordered_json outputs(const RunReport& report);

// The job summary (Markdown; table cells escaped, at most ~1 MiB as GitHub requires).
std::string summary_markdown(const RunReport& report);

// GITHUB_OUTPUT lines: `name<<DELIMITER`, the value, `DELIMITER`, for every output. The
// delimiter must not occur in any value (callers pass a random one).
std::string github_output_lines(const nlohmann::ordered_json& outputs,
                                const std::string& delimiter);

// A GitLab dotenv report: FERRY_<NAME>=<compact JSON or text>, one line each.
std::string dotenv_lines(const nlohmann::ordered_json& outputs);

} // namespace ferry::core::report
