#include "core/jobs/koji_build.hpp"

#include "core/jobs/side_tags.hpp"
#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ferry::core::jobs {

namespace {

namespace koji = clients::fedora::koji;
using job::Flow;
using job::OutcomeState;
using job::Step;

// How far back our own build tasks are looked for before submitting (a re-run of the same
// event, a crash after submitting).
constexpr std::chrono::hours k_task_window{48};

bool setting_bool(const nlohmann::ordered_json& settings, const char* key) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_boolean() && found->get<bool>();
}

class BranchBuild {
public:
  BranchBuild(const DownstreamInput& input, DownstreamServices& services,
              const DownstreamOptions& options, std::string branch, job::BranchOutcome& outcome,
              job::JobOutcome& job)
      : m_input(input), m_services(services), m_options(options), m_settings(input.job->settings),
        m_branch(std::move(branch)), m_outcome(outcome), m_job(job),
        m_scratch(setting_bool(m_settings, "scratch")),
        m_group(side_tag_group(m_settings, input.package)) {}

  Result<Flow> run() {
    const Step steps[] = {
        {"check_trigger", [this] { return check_trigger(); }},
        {"read_spec", [this] { return read_spec(); }},
        {"choose_target", [this] { return choose_target(); }},
        {"look_for_build", [this] { return look_for_build(); }},
        {"submit_build", [this] { return submit_build(); }},
        {"wait_for_build", [this] { return wait_for_build(); }},
    };
    return job::run_steps(fmt::format("koji_build {}", m_branch), steps, m_options.steps);
  }

private:
  Flow skip(std::string reason, std::string detail) {
    return finish(m_outcome, OutcomeState::skipped, std::move(reason), std::move(detail));
  }

  Result<Flow> check_trigger() {
    const DownstreamTrigger& trigger = m_input.trigger;
    if (trigger.kind != DownstreamTrigger::Kind::push) {
      return Flow::next; // a comment (permission checked) or the command line
    }
    bool spec_changed =
        std::any_of(trigger.changed_files.begin(), trigger.changed_files.end(),
                    [](const std::string& file) { return file.ends_with(".spec"); });
    if (trigger.changed_files_known && !spec_changed) {
      return skip("no_spec_change", "the push changed no .spec file");
    }
    if (trigger.merged_pull_request) {
      const auto& pr = *trigger.merged_pull_request;
      auto list = allow_list(m_settings, "allowed_pr_authors", {"packit"});
      FERRY_TRY_ASSIGN(bool allowed, is_allowed(list, pr.author, m_services.allow));
      if (!allowed) {
        return skip("pr_author_not_allowed",
                    fmt::format("pull request #{} was opened by {}, who is not in "
                                "allowed_pr_authors ({}; \"packit\" means this runner)",
                                pr.number, pr.author, describe_list(list)));
      }
      return Flow::next;
    }
    auto list = allow_list(m_settings, "allowed_committers", {});
    FERRY_TRY_ASSIGN(bool allowed, is_allowed(list, trigger.pusher, m_services.allow));
    if (!allowed) {
      return skip("committer_not_allowed",
                  fmt::format("{} pushed directly (no merged pull request), and is not in "
                              "allowed_committers ({})",
                              trigger.pusher.empty() ? "someone" : trigger.pusher,
                              describe_list(list)));
    }
    return Flow::next;
  }

  Result<Flow> read_spec() {
    FERRY_TRY_ASSIGN(m_commit, m_services.dist_git.commit_for(m_branch));
    BranchRelease release = branch_release(m_branch, m_input.releases);
    FERRY_TRY_ASSIGN(m_facts, m_services.dist_git.spec_at(m_commit, m_input.spec_path, release));
    FERRY_TRY_ASSIGN(m_scm_url,
                     koji::dist_git_scm_url(m_input.dist_git_url, m_input.package, m_commit));
    m_outcome.commit = m_commit;
    infra::log::info("{} at {}: {}", m_branch, m_commit.substr(0, 12),
                     m_facts.nvr.value_or(m_facts.name + " (release from %autorelease)"));
    return Flow::next;
  }

  Result<Flow> choose_target() {
    if (m_group.empty()) {
      m_target = koji::build_target_for_branch(m_branch);
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(auto tag, find_group_side_tag(m_services.koji, m_group, m_branch));
    if (!tag && !m_group.dependencies.empty()) {
      return skip("dependencies_missing",
                  fmt::format("group {} has no side tag for {} yet: {} must be built first",
                              m_group.name, m_branch, describe_list(m_group.dependencies)));
    }
    if (!tag && m_options.dry_run) {
      m_target = "(a new side tag)";
      return Flow::next;
    }
    if (!tag) {
      bool created = false;
      FERRY_TRY_ASSIGN(tag,
                       find_or_create_group_side_tag(m_services.koji, m_group, m_branch, created));
    }
    m_target = tag->name;
    m_side_tag = true;
    FERRY_TRY_ASSIGN(auto latest, latest_builds_in(m_services.koji, tag->name));
    std::vector<std::string> missing;
    for (const std::string& dependency : m_group.dependencies) {
      if (!latest.contains(dependency)) {
        missing.push_back(dependency);
      }
    }
    if (!missing.empty()) {
      return skip("dependencies_missing",
                  fmt::format("side tag {} of group {} has no build of {} yet", tag->name,
                              m_group.name, describe_list(missing)));
    }
    return Flow::next;
  }

  Flow found(const koji::Build& build, std::string how) {
    m_job.builds.push_back(build.nvr);
    return skip("already_built", fmt::format("{} {}", build.nvr, how));
  }

  // A build of the commit or the NVR: done, or still running (then its task is watched).
  std::optional<Flow> existing(const koji::Build& build) {
    if (build.state == koji::BuildState::complete) {
      return found(build, "is built already");
    }
    if (build.state == koji::BuildState::building && build.task_id) {
      infra::log::info("{} is being built by task {}: watching it", build.nvr, *build.task_id);
      m_task_id = *build.task_id;
      return Flow::next;
    }
    return std::nullopt; // failed, canceled or deleted: Koji builds it again
  }

  Result<Flow> look_for_build() {
    if (!m_scratch && m_facts.nvr) {
      FERRY_TRY_ASSIGN(auto build, m_services.koji.build_info(*m_facts.nvr));
      if (build) {
        if (auto flow = existing(*build)) {
          return *flow;
        }
      }
    }
    if (!m_scratch) {
      FERRY_TRY_ASSIGN(auto builds, m_services.koji.builds_from_source(m_input.package, m_scm_url));
      for (const koji::Build& build : builds) {
        if (auto flow = existing(build)) {
          return *flow;
        }
      }
    }
    if (m_options.dry_run && !m_services.koji.logged_in()) {
      return Flow::next; // no login for a dry run
    }
    FERRY_TRY_ASSIGN(
        auto task, m_services.koji.find_build_task(m_scm_url, m_target, k_task_window, m_scratch));
    if (task) {
      if (task->state == koji::TaskState::closed) {
        return skip("already_built", fmt::format("scratch build task {} built this commit: {}",
                                                 task->id, m_services.koji.task_url(task->id)));
      }
      infra::log::info("task {} builds {} for {} already: watching it", task->id, m_scm_url,
                       m_target);
      m_task_id = task->id;
    }
    return Flow::next;
  }

  // The hub's build() takes any target name and the task fails only when a builder opens it,
  // which can be hours away: a branch without a target (retired, or not branched yet) is told
  // before anything is submitted.
  Result<std::optional<Flow>> check_target() {
    if (m_side_tag) {
      return std::nullopt; // found or created just now
    }
    FERRY_TRY_ASSIGN(auto target, m_services.koji.build_target(m_target));
    if (target) {
      return std::nullopt;
    }
    return finish(m_outcome, OutcomeState::failed, "unknown_target",
                  fmt::format("Koji has no build target {} for dist-git branch {}: is the branch "
                              "an active Fedora or EPEL branch? Nothing was submitted",
                              m_target, m_branch));
  }

  Result<Flow> submit_build() {
    if (m_task_id) {
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(auto refused, check_target());
    if (refused) {
      return *refused;
    }
    if (m_options.dry_run) {
      if (m_options.dry_run_out != nullptr) {
        *m_options.dry_run_out << fmt::format("would submit a {}Koji build of {} for {}\n",
                                              m_scratch ? "scratch " : "", m_scm_url, m_target);
      }
      return skip("dry_run", "nothing was submitted (--dry-run)");
    }
    koji::BuildOptions build_options;
    build_options.scratch = m_scratch;
    if (m_side_tag && !m_group.dependencies.empty()) {
      build_options.wait_repo = true; // the dependencies must be in the side tag's buildroot
    }
    FERRY_TRY_ASSIGN(m_task_id, m_services.koji.submit_build(m_scm_url, m_target, build_options));
    return Flow::next;
  }

  Result<Flow> wait_for_build() {
    std::int64_t task_id = m_task_id.value_or(0);
    auto built = m_services.koji.watch_build(task_id, m_target, m_scratch);
    if (!built) {
      if (built.error().kind() == ErrorKind::process) {
        return finish(m_outcome, OutcomeState::failed, "build_failed", built.error().message());
      }
      return std::unexpected(built.error());
    }
    std::string what = built->build ? built->build->nvr : m_facts.nvr.value_or(m_scm_url);
    m_job.builds.push_back(what);
    return finish(m_outcome, OutcomeState::success, m_scratch ? "scratch_built" : "built",
                  fmt::format("{} built in {} ({})", what, m_target, built->task_url));
  }

  const DownstreamInput& m_input;
  DownstreamServices& m_services;
  const DownstreamOptions& m_options;
  const nlohmann::ordered_json& m_settings;
  std::string m_branch;
  job::BranchOutcome& m_outcome;
  job::JobOutcome& m_job;
  bool m_scratch = false;
  SideTagGroup m_group;

  std::string m_commit;
  SpecFacts m_facts;
  std::string m_scm_url;
  std::string m_target;
  bool m_side_tag = false;
  std::optional<std::int64_t> m_task_id;
};

} // namespace

job::JobOutcome run_koji_build(const DownstreamInput& input, DownstreamServices& services,
                               const DownstreamOptions& options) {
  return run_per_branch(
      "koji_build", input,
      [&](const std::string& branch, job::BranchOutcome& outcome, job::JobOutcome& job) {
        return BranchBuild(input, services, options, branch, outcome, job).run();
      });
}

} // namespace ferry::core::jobs
