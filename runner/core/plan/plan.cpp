#include "core/plan/plan.hpp"

#include "core/event/event_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>

namespace ferry::core::plan {

namespace {

using model::EventKind;
using Json = nlohmann::ordered_json;

// Jobs configured upstream that build or test (Copr, Testing Farm, upstream Koji, VM images).
bool is_build_job(std::string_view type) {
  static constexpr std::array<std::string_view, 4> k_types{"copr_build", "tests",
                                                           "upstream_koji_build", "vm_image_build"};
  return std::find(k_types.begin(), k_types.end(), type) != k_types.end();
}

bool is_downstream_job(std::string_view type) {
  return type == "koji_build" || type == "bodhi_update" || type == "pull_from_upstream" ||
         type == "koji_build_tag";
}

// What to do with one job: run it (with the permission it needs) or skip it (with a reason).
struct Decision {
  bool run = false;
  std::string reason;
  std::string detail;
  std::string permission = "none";
  std::optional<std::string> only_branch; // restrict dist-git branches to this one
};

Decision skip(std::string reason, std::string detail) {
  return {false, std::move(reason), std::move(detail), "", std::nullopt};
}

Decision run(std::string permission = "none") {
  return {true, "", "", std::move(permission), std::nullopt};
}

// Python's re.match: anchored at the start only. Invalid patterns are reported, not thrown.
std::optional<bool> python_match(const std::string& pattern, const std::string& text,
                                 std::string& problem) {
  if (text.size() > 1024) {
    return false;
  }
  try {
    std::regex expression(pattern, std::regex::ECMAScript);
    return std::regex_search(text, expression, std::regex_constants::match_continuous);
  } catch (const std::exception& error) {
    problem = fmt::format("'{}' is not a regular expression ferry understands: {}", pattern,
                          error.what());
    return std::nullopt;
  }
}

std::optional<Decision> check_tag(const config::JobConfig& job, const std::string& tag) {
  std::string problem;
  if (job.upstream_tag_include) {
    auto matched = python_match(*job.upstream_tag_include, tag, problem);
    if (!matched) {
      return skip("invalid_tag_pattern", problem);
    }
    if (!*matched) {
      return skip("tag_not_included_by_pattern",
                  fmt::format("tag '{}' does not match upstream_tag_include '{}'", tag,
                              *job.upstream_tag_include));
    }
  }
  if (job.upstream_tag_exclude) {
    auto matched = python_match(*job.upstream_tag_exclude, tag, problem);
    if (!matched) {
      return skip("invalid_tag_pattern", problem);
    }
    if (*matched) {
      return skip("tag_excluded_by_pattern",
                  fmt::format("tag '{}' matches upstream_tag_exclude '{}'", tag,
                              *job.upstream_tag_exclude));
    }
  }
  return std::nullopt;
}

Decision trigger_mismatch(const config::JobConfig& job, const model::Event& event) {
  return skip("trigger_mismatch", fmt::format("trigger '{}' does not fire on a {} event",
                                              job.trigger, model::to_string(event.kind)));
}

Decision decide_release(const config::JobConfig& job, const model::Event& event) {
  if (job.trigger != "release") {
    if (is_downstream_job(job.type)) {
      return skip("trigger_mismatch",
                  fmt::format("{} runs downstream (trigger '{}': a dist-git push or a Koji "
                              "build), after the release has reached dist-git",
                              job.type, job.trigger));
    }
    return trigger_mismatch(job, event);
  }
  if (job.type == "pull_from_upstream") {
    return skip("downstream_job", "pull_from_upstream runs from dist-git on new upstream "
                                  "versions (release monitoring or a schedule), not on this "
                                  "repository's release");
  }
  if (job.manual_trigger) {
    return skip("manual_trigger_only", "manual_trigger is set: runs only from a comment");
  }
  if (auto tag_skip = check_tag(job, event.tag)) {
    return *tag_skip;
  }
  return run();
}

bool branch_matches(const config::JobConfig& job, const std::string& branch,
                    const std::string& default_branch, std::string& problem) {
  if (job.branch) {
    auto matched = python_match(*job.branch, branch, problem);
    return matched.value_or(false);
  }
  return default_branch.empty() || branch == default_branch;
}

std::vector<std::string> default_branch_names(const config::JobConfig& job,
                                              const PlanOptions& options);

// koji_build and bodhi_update on a dist-git push: the pushed branch, when the job has it and
// the push changed the spec. bodhi_update runs after koji_build in the same run (ferry has no
// Koji message to wait for); the side-tag flow's trigger `koji_build` runs it too.
Decision decide_downstream_push(const config::JobConfig& job, const model::Event& event,
                                const config::Aliases& aliases, const PlanOptions& options) {
  if (event.changed_files_known &&
      std::none_of(event.changed_files.begin(), event.changed_files.end(),
                   [](const std::string& file) { return file.ends_with(".spec"); })) {
    return skip("no_spec_change", "the push changed no .spec file");
  }
  std::vector<std::string> names;
  for (const auto& branch : job.dist_git_branches) {
    names.push_back(branch.name);
  }
  if (names.empty()) {
    names = default_branch_names(job, options);
  }
  auto branches = aliases.dist_git_branches(names, options.dist_git_default_branch);
  if (!branches) {
    return skip("unknown_alias", branches.error().message());
  }
  bool rawhide_synonym = event.branch == "main" || event.branch == "rawhide";
  bool configured = std::any_of(branches->begin(), branches->end(), [&](const std::string& b) {
    return b == event.branch || (rawhide_synonym && (b == "main" || b == "rawhide"));
  });
  if (!configured) {
    return skip("branch_not_configured",
                fmt::format("branch '{}' is not among the job's dist-git branches", event.branch));
  }
  Decision decision = run(job.type == "koji_build" ? "allowed_committers" : "none");
  decision.only_branch = event.branch;
  return decision;
}

Decision decide_push(const config::JobConfig& job, const model::Event& event,
                     const config::Aliases& aliases, const PlanOptions& options) {
  bool side_tag_update = job.type == "bodhi_update" && job.trigger == "koji_build";
  if (job.trigger != "commit" && !side_tag_update) {
    return trigger_mismatch(job, event);
  }
  if (job.manual_trigger) {
    return skip("manual_trigger_only", "manual_trigger is set: runs only from a comment");
  }
  if (is_build_job(job.type)) {
    std::string problem;
    if (!branch_matches(job, event.branch, event.default_branch, problem)) {
      return skip(problem.empty() ? "branch_mismatch" : "invalid_branch_pattern",
                  problem.empty() ? fmt::format("branch '{}' does not match '{}'", event.branch,
                                                job.branch.value_or(event.default_branch))
                                  : problem);
    }
    return run();
  }
  if (job.type == "koji_build" || job.type == "bodhi_update") {
    return decide_downstream_push(job, event, aliases, options);
  }
  return trigger_mismatch(job, event);
}

Decision decide_pull_request(const config::JobConfig& job, const model::Event& event) {
  if (job.trigger != "pull_request") {
    return trigger_mismatch(job, event);
  }
  if (job.manual_trigger || job.type == "vm_image_build") {
    return skip("manual_trigger_only", "runs only from a comment");
  }
  std::string problem;
  if (job.branch && !branch_matches(job, event.branch, "", problem)) {
    return skip(problem.empty() ? "branch_mismatch" : "invalid_branch_pattern",
                problem.empty() ? fmt::format("target branch '{}' does not match '{}'",
                                              event.branch, *job.branch)
                                : problem);
  }
  return run();
}

command::Place place_of(EventKind kind) {
  switch (kind) {
  case EventKind::pr_comment:
    return command::Place::pull_request;
  case EventKind::commit_comment:
    return command::Place::commit;
  default:
    return command::Place::issue;
  }
}

// The trigger a command's job must have in this place (empty: any).
std::string wanted_trigger(const command::CommentCommand& command, command::Place place,
                           std::string_view job_type) {
  if (!is_build_job(job_type)) {
    return {};
  }
  if (place == command::Place::pull_request) {
    return "pull_request";
  }
  if (place == command::Place::commit) {
    return command.release ? "release" : "commit";
  }
  return {};
}

Decision decide_comment(const config::JobConfig& job, const Plan& plan) {
  if (!plan.command_error.empty()) {
    return skip("command_syntax_error", plan.command_error);
  }
  if (!plan.command) {
    return skip("no_command", "the comment holds no command for ferry");
  }
  const command::CommentCommand& command = *plan.command;
  if (command.name == "help") {
    return skip("help_only", "help was asked for; no job runs");
  }
  command::Place place = place_of(plan.event.kind);
  if (!command::accepted_in(command.name, place)) {
    return skip("command_not_accepted_here",
                fmt::format("'{}' is not accepted in a comment on {}", command.name,
                            model::to_string(plan.event.kind)));
  }
  auto jobs = command::jobs_for_command(command.name);
  if (std::find(jobs.begin(), jobs.end(), job.type) == jobs.end()) {
    return skip("command_not_for_this_job",
                fmt::format("'{}' does not run {} jobs", command.name, job.type));
  }
  if (command.package && *command.package != job.package) {
    return skip("package_not_selected",
                fmt::format("the command asked for package '{}'", *command.package));
  }
  std::string trigger = wanted_trigger(command, place, job.type);
  if (!trigger.empty() && job.trigger != trigger) {
    return skip("trigger_mismatch", fmt::format("'{}' here runs {} jobs with trigger '{}'",
                                                command.name, job.type, trigger));
  }
  if (command.name == "propose-downstream" && job.trigger != "release") {
    return skip("trigger_mismatch", "propose-downstream re-runs jobs with trigger 'release'");
  }
  Decision decision = run(std::string(command::required_permission(command.name, place)));
  if (place == command::Place::pull_request && is_downstream_job(job.type) &&
      !plan.event.branch.empty()) {
    decision.only_branch = plan.event.branch; // a dist-git PR acts on its target branch
  }
  return decision;
}

Decision decide(const config::JobConfig& job, const Plan& plan, const config::Aliases& aliases,
                const PlanOptions& options) {
  const model::Event& event = plan.event;
  if (job.trigger == "ignore") {
    return skip("trigger_ignore", "the job's trigger is 'ignore'");
  }
  if (std::find(job.packit_instances.begin(), job.packit_instances.end(), options.instance) ==
      job.packit_instances.end()) {
    return skip("instance_excluded",
                fmt::format("packit_instances does not include '{}'", options.instance));
  }
  switch (event.kind) {
  case EventKind::ignored:
    return skip("event_not_acted_on", event.ignored_reason);
  case EventKind::release:
    return decide_release(job, event);
  case EventKind::tag_push:
    if (job.trigger == "release") {
      return skip("not_a_release", fmt::format("tag '{}' was pushed but no release was "
                                               "published; Packit acts on releases only",
                                               event.tag));
    }
    return trigger_mismatch(job, event);
  case EventKind::push:
    return decide_push(job, event, aliases, options);
  case EventKind::pull_request:
    return decide_pull_request(job, event);
  case EventKind::issue_comment:
  case EventKind::pr_comment:
  case EventKind::commit_comment:
    return decide_comment(job, plan);
  case EventKind::schedule:
    if (job.type == "pull_from_upstream" && job.trigger == "release") {
      return run();
    }
    return skip("trigger_mismatch", "a schedule runs only pull_from_upstream jobs");
  case EventKind::manual:
    if (plan.command || !plan.command_error.empty()) {
      return decide_comment(job, plan);
    }
    if (!event.tag.empty()) {
      return decide_release(job, event);
    }
    return skip("manual_needs_command", "a manual run needs a command (--comment) or a tag");
  }
  return skip("event_not_acted_on", "unknown event kind");
}

std::vector<std::string> default_branch_names(const config::JobConfig& job,
                                              const PlanOptions& options) {
  if (job.type == "bodhi_update") {
    return {"fedora-stable"};
  }
  return {options.dist_git_default_branch};
}

// Fills branches and targets; fails (with the alias error) when a name cannot be resolved.
Status resolve(PlannedJob& planned, const config::JobConfig& job, const config::Aliases& aliases,
               const PlanOptions& options, const std::optional<std::string>& only_branch) {
  std::vector<std::string> names;
  for (const config::DistGitBranch& branch : job.dist_git_branches) {
    names.push_back(branch.name);
  }
  bool uses_branches = !is_build_job(job.type);
  if (uses_branches) {
    if (names.empty()) {
      names = default_branch_names(job, options);
    }
    for (const std::string& name : names) {
      auto resolution = aliases.resolve(name);
      if (resolution && !resolution->note.empty()) {
        planned.notes.push_back(resolution->note);
      }
    }
    std::vector<std::string> branches;
    FERRY_TRY_ASSIGN(branches, aliases.dist_git_branches(names, options.dist_git_default_branch));
    if (only_branch) {
      branches = {*only_branch};
    }
    planned.dist_git_branches = branches;
    for (const config::DistGitBranch& branch : job.dist_git_branches) {
      if (branch.fast_forward_merge_into.empty()) {
        continue;
      }
      std::vector<std::string> sources;
      FERRY_TRY_ASSIGN(sources, aliases.dist_git_branches(std::vector<std::string>{branch.name},
                                                          options.dist_git_default_branch));
      std::vector<std::string> targets;
      FERRY_TRY_ASSIGN(targets, aliases.dist_git_branches(branch.fast_forward_merge_into,
                                                          options.dist_git_default_branch));
      for (const std::string& source : sources) {
        planned.fast_forward_merge_into[source] = targets;
      }
    }
    if (job.type == "koji_build") {
      planned.targets =
          config::Aliases::koji_targets(planned.dist_git_branches, options.dist_git_default_branch);
    }
    return {};
  }
  std::vector<std::string> targets = job.targets;
  if (targets.empty()) {
    targets = {"fedora-stable"};
  }
  if (job.type == "upstream_koji_build") {
    std::vector<std::string> branches;
    FERRY_TRY_ASSIGN(branches, aliases.dist_git_branches(targets, options.dist_git_default_branch));
    planned.targets = config::Aliases::koji_targets(branches, options.dist_git_default_branch);
    return {};
  }
  std::vector<std::string> chroots;
  FERRY_TRY_ASSIGN(chroots, aliases.chroots(targets));
  planned.targets = std::move(chroots);
  return {};
}

SkippedJob make_skipped(const config::JobConfig& job, std::string reason, std::string detail) {
  return {job.type, job.trigger, job.package, job.index, std::move(reason), std::move(detail), {}};
}

Json command_json(const Plan& plan) {
  if (!plan.command) {
    return nullptr;
  }
  const command::CommentCommand& command = *plan.command;
  Json out = Json::object();
  out["prefix"] = command.prefix;
  out["name"] = command.name;
  out["written"] = command.written_name;
  if (command.package) {
    out["package"] = *command.package;
  }
  Json options = Json::object();
  if (command.with_pr_config) {
    options["with_pr_config"] = true;
  }
  if (!command.resolve_bugs.empty()) {
    options["resolve_bugs"] = command.resolve_bugs;
  }
  auto put = [&options](const char* key, const std::optional<std::string>& value) {
    if (value) {
      options[key] = *value;
    }
  };
  put("version", command.version);
  put("commit", command.commit);
  put("release", command.release);
  put("identifier", command.identifier);
  if (!command.labels.empty()) {
    options["labels"] = command.labels;
  }
  if (!command.env.empty()) {
    options["env"] = command.env;
  }
  if (!command.test_targets.empty()) {
    options["test_targets"] = command.test_targets;
  }
  if (command.all_branches) {
    options["all_branches"] = true;
  }
  out["options"] = std::move(options);
  return out;
}

} // namespace

Plan make_plan(const model::Event& event, const config::Config& config,
               const config::Aliases& aliases, const PlanOptions& options) {
  Plan plan;
  plan.event = event;
  bool has_text = !event.comment_body.empty();
  if (has_text) {
    auto parsed = command::parse_comment(event.comment_body, options.command_prefixes);
    if (parsed) {
      plan.command = std::move(*parsed);
    } else {
      plan.command_error = parsed.error().message();
    }
  }
  for (const config::JobConfig& job : config.jobs) {
    Decision decision = decide(job, plan, aliases, options);
    if (!decision.run) {
      SkippedJob skipped = make_skipped(job, decision.reason, decision.detail);
      if (is_downstream_job(job.type) && decision.reason == "trigger_mismatch") {
        PlannedJob later;
        if (resolve(later, job, aliases, options, std::nullopt)) {
          skipped.dist_git_branches = later.dist_git_branches;
        }
      }
      plan.skipped.push_back(std::move(skipped));
      continue;
    }
    PlannedJob planned;
    planned.job = job.type;
    planned.trigger = job.trigger;
    planned.package = job.package;
    planned.index = job.index;
    planned.requires_permission = decision.permission;
    planned.config = &job;
    if (auto resolved = resolve(planned, job, aliases, options, decision.only_branch); !resolved) {
      plan.skipped.push_back(make_skipped(job, "unknown_alias", resolved.error().message()));
      continue;
    }
    plan.jobs.push_back(std::move(planned));
  }
  return plan;
}

Json to_json(const Plan& plan) {
  Json out = Json::object();
  Json event = event::to_json(plan.event);
  event["command"] = command_json(plan);
  if (!plan.command_error.empty()) {
    event["command_error"] = plan.command_error;
  }
  out["event"] = std::move(event);
  Json jobs = Json::array();
  for (const PlannedJob& job : plan.jobs) {
    Json entry = Json::object();
    entry["job"] = job.job;
    entry["trigger"] = job.trigger;
    entry["package"] = job.package;
    entry["index"] = job.index;
    entry["dist_git_branches"] = job.dist_git_branches;
    entry["targets"] = job.targets;
    if (!job.fast_forward_merge_into.empty()) {
      Json merges = Json::object();
      for (const auto& [source, targets] : job.fast_forward_merge_into) {
        merges[source] = targets;
      }
      entry["fast_forward_merge_into"] = std::move(merges);
    }
    entry["requires_permission"] = job.requires_permission;
    if (!job.notes.empty()) {
      entry["notes"] = job.notes;
    }
    entry["config"] = job.config != nullptr ? job.config->settings : Json::object();
    jobs.push_back(std::move(entry));
  }
  out["jobs"] = std::move(jobs);
  Json skipped = Json::array();
  for (const SkippedJob& job : plan.skipped) {
    Json entry = Json::object();
    entry["job"] = job.job;
    entry["trigger"] = job.trigger;
    entry["package"] = job.package;
    entry["index"] = job.index;
    entry["reason"] = job.reason;
    entry["detail"] = job.detail;
    if (!job.dist_git_branches.empty()) {
      entry["dist_git_branches"] = job.dist_git_branches;
    }
    skipped.push_back(std::move(entry));
  }
  out["skipped"] = std::move(skipped);
  return out;
}

} // namespace ferry::core::plan
