// The plan: which configured jobs run for an event, with their branches and targets resolved,
// and a machine-readable reason for every job that does not run. Pure: (Event, Config,
// Aliases) -> Plan, no I/O. Its JSON form is the public `ferry plan` output (docs/plan-json.md).
#pragma once

#include "core/command/comment_command.hpp"
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"
#include "model/event.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferry::core::plan {

struct PlannedJob {
  std::string job;     // job type, e.g. "propose_downstream"
  std::string trigger; // the configured trigger that matched
  std::string package;
  std::size_t index = 0;                      // position in the config's `jobs` list
  std::vector<std::string> dist_git_branches; // resolved
  std::map<std::string, std::vector<std::string>> fast_forward_merge_into; // branch -> branches
  std::vector<std::string> targets; // chroots (Copr/tests) or Koji build targets
  std::string requires_permission;  // see docs/plan-json.md
  std::vector<std::string> notes;   // e.g. names kept verbatim
  const config::JobConfig* config = nullptr;
};

// Machine-readable reasons a configured job does not run (docs/plan-json.md lists them all).
struct SkippedJob {
  std::string job;
  std::string trigger;
  std::string package;
  std::size_t index = 0;
  std::string reason;                         // e.g. "trigger_mismatch", "tag_excluded_by_pattern"
  std::string detail;                         // one sentence for humans
  std::vector<std::string> dist_git_branches; // resolved, for downstream jobs that run later
};

struct Plan {
  model::Event event;
  std::optional<command::CommentCommand> command;
  std::string command_error; // a comment with a prefix that did not parse
  std::vector<PlannedJob> jobs;
  std::vector<SkippedJob> skipped;
};

struct PlanOptions {
  std::string instance = "prod"; // jobs whose packit_instances lack it are skipped
  std::string dist_git_default_branch = "rawhide";
  command::ParseOptions command_prefixes;
};

// Decides every configured job for the event. Never fails: problems with one job (an unknown
// alias, a bad tag pattern) skip that job with a reason.
Plan make_plan(const model::Event& event, const config::Config& config,
               const config::Aliases& aliases, const PlanOptions& options = {});

// The public JSON form: {"event": {...}, "jobs": [...], "skipped": [...]}.
nlohmann::ordered_json to_json(const Plan& plan);

} // namespace ferry::core::plan
