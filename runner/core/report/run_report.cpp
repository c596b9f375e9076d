#include "core/report/run_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace ferry::core::report {

namespace {

constexpr std::size_t k_summary_limit = 1000 * 1000; // GitHub rejects summaries over 1 MiB

std::string cell(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') {
      escaped += "\\|";
    } else if (c == '\n' || c == '\r') {
      escaped += ' ';
    } else if (c == '<') {
      escaped += "&lt;";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string value_text(const nlohmann::ordered_json& value) {
  return value.is_string()
             ? value.get<std::string>()
             : value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

} // namespace

std::string result_of(const RunReport& report) {
  if (!report.cancelled_by.empty()) {
    return "cancelled";
  }
  if (!report.refusal.empty()) {
    return "failure";
  }
  bool ran = false;
  for (const job::JobOutcome& outcome : report.jobs) {
    if (outcome.failed()) {
      return "failure";
    }
    ran = ran || std::any_of(outcome.branches.begin(), outcome.branches.end(),
                             [](const job::BranchOutcome& b) {
                               return b.state == job::OutcomeState::success;
                             });
  }
  return ran ? "success" : "skipped";
}

nlohmann::ordered_json outputs(const RunReport& report) {
  nlohmann::ordered_json pull_requests = nlohmann::ordered_json::array();
  nlohmann::ordered_json skipped = nlohmann::ordered_json::object();
  nlohmann::ordered_json builds = nlohmann::ordered_json::array();
  nlohmann::ordered_json updates = nlohmann::ordered_json::array();
  for (const job::JobOutcome& outcome : report.jobs) {
    for (const std::string& build : outcome.builds) {
      builds.push_back(build);
    }
    for (const std::string& update : outcome.updates) {
      updates.push_back(update);
    }
    for (const job::BranchOutcome& branch : outcome.branches) {
      if (!branch.pull_request_url.empty()) {
        pull_requests.push_back(branch.pull_request_url);
      }
      if (branch.state == job::OutcomeState::skipped) {
        skipped[outcome.job + ":" + branch.branch] = branch.reason;
      }
    }
  }
  for (const plan::SkippedJob& job : report.skipped) {
    skipped[job.job] = job.reason;
  }
  return {{"pull_requests", pull_requests},
          {"builds", builds},
          {"updates", updates},
          {"skipped", skipped},
          {"result", result_of(report)}};
}

std::string summary_markdown(const RunReport& report) {
  std::string text = "## ferry\n\n";
  if (!report.cancelled_by.empty()) {
    text += fmt::format("**Cancelled** by {}: ferry stopped between steps, so nothing is half "
                        "done; what finished before is kept. Run the job again to finish it.\n\n",
                        cell(report.cancelled_by));
  }
  if (!report.refusal.empty()) {
    text += fmt::format("Command refused: {}\n\n", cell(report.refusal));
  }
  for (const job::JobOutcome& outcome : report.jobs) {
    text += fmt::format("### {} ({})\n\n| Branch | Result | Details |\n| --- | --- | --- |\n",
                        outcome.job, cell(outcome.package));
    for (const job::BranchOutcome& branch : outcome.branches) {
      std::string details = !branch.pull_request_url.empty()
                                ? fmt::format("[pull request]({})", branch.pull_request_url)
                                : cell(branch.detail);
      text += fmt::format("| `{}` | {} ({}) | {} |\n", cell(branch.branch),
                          job::to_string(branch.state), cell(branch.reason), details);
    }
    for (const std::string& wait : outcome.waits) {
      text += fmt::format("\n- {}", cell(wait));
    }
    for (const std::string& upload : outcome.uploads) {
      text += fmt::format("\n- uploaded `{}` to the lookaside cache", cell(upload));
    }
    for (const std::string& build : outcome.builds) {
      text += fmt::format("\n- build `{}`", cell(build));
    }
    for (const std::string& update : outcome.updates) {
      text += fmt::format("\n- Bodhi update {}", cell(update));
    }
    text += "\n\n";
  }
  if (!report.skipped.empty()) {
    text += "| Job not run | Reason |\n| --- | --- |\n";
    for (const plan::SkippedJob& job : report.skipped) {
      text += fmt::format("| {} | `{}`: {} |\n", cell(job.job), cell(job.reason), cell(job.detail));
    }
  }
  if (text.size() > k_summary_limit) {
    text.resize(k_summary_limit);
    text += "\n\n(summary truncated)\n";
  }
  return text;
}

std::string github_output_lines(const nlohmann::ordered_json& outputs,
                                const std::string& delimiter) {
  std::string lines;
  for (const auto& [name, value] : outputs.items()) {
    lines += fmt::format("{}<<{}\n{}\n{}\n", name, delimiter, value_text(value), delimiter);
  }
  return lines;
}

std::string dotenv_lines(const nlohmann::ordered_json& outputs) {
  std::string lines;
  for (const auto& [name, value] : outputs.items()) {
    std::string text = value_text(value);
    std::replace(text.begin(), text.end(), '\n', ' ');
    lines += fmt::format("FERRY_{}={}\n", upper(name), text);
  }
  return lines;
}

} // namespace ferry::core::report
