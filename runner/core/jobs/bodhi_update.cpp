#include "core/jobs/bodhi_update.hpp"

#include "core/jobs/side_tags.hpp"
#include "infra/log/logger.hpp"

#include <fmt/format.h>

namespace ferry::core::jobs {

namespace {

namespace bodhi = clients::fedora::bodhi;
namespace koji = clients::fedora::koji;
using job::Flow;
using job::OutcomeState;
using job::Step;

std::string changelog_text(const std::vector<ChangelogItem>& items) {
  std::string text;
  for (const ChangelogItem& item : items) {
    text += (text.empty() ? "" : "\n\n") + item.header;
    if (!item.text.empty()) {
      text += "\n" + item.text;
    }
  }
  return text;
}

class BranchUpdate {
public:
  BranchUpdate(const DownstreamInput& input, DownstreamServices& services,
               const DownstreamOptions& options, std::string branch, job::BranchOutcome& outcome,
               job::JobOutcome& job)
      : m_input(input), m_services(services), m_options(options), m_settings(input.job->settings),
        m_branch(std::move(branch)), m_outcome(outcome), m_job(job),
        m_group(side_tag_group(m_settings, input.package)),
        m_release(branch_release(m_branch, input.releases)) {}

  Result<Flow> run() {
    const Step steps[] = {
        {"check_branch", [this] { return check_branch(); }},
        {"find_builds", [this] { return find_builds(); }},
        {"compose_update", [this] { return compose_update(); }},
        {"submit_update", [this] { return submit_update(); }},
    };
    return job::run_steps(fmt::format("bodhi_update {}", m_branch), steps, m_options.steps);
  }

private:
  Flow skip(std::string reason, std::string detail) {
    return finish(m_outcome, OutcomeState::skipped, std::move(reason), std::move(detail));
  }

  Result<Flow> check_branch() {
    if (m_group.empty() && m_release.automatic_updates) {
      return skip("automatic_updates",
                  fmt::format("Bodhi creates the updates of {} by itself", m_branch));
    }
    if (!m_release.bodhi) {
      return skip("no_bodhi_release",
                  fmt::format("Bodhi has no active release for branch {}", m_branch));
    }
    return Flow::next;
  }

  Result<Flow> read_own_spec() {
    FERRY_TRY_ASSIGN(m_commit, m_services.dist_git.commit_for(m_branch));
    FERRY_TRY_ASSIGN(m_facts, m_services.dist_git.spec_at(m_commit, m_input.spec_path, m_release));
    m_outcome.commit = m_commit;
    return Flow::next;
  }

  Result<std::optional<koji::Build>> build_of_commit() {
    if (m_facts.nvr) {
      FERRY_TRY_ASSIGN(auto build, m_services.koji.build_info(*m_facts.nvr));
      if (build) {
        return build;
      }
    }
    FERRY_TRY_ASSIGN(std::string scm_url,
                     koji::dist_git_scm_url(m_input.dist_git_url, m_input.package, m_commit));
    FERRY_TRY_ASSIGN(auto builds, m_services.koji.builds_from_source(m_input.package, scm_url));
    if (builds.empty()) {
      return std::optional<koji::Build>();
    }
    return std::optional<koji::Build>(builds.front());
  }

  Result<Flow> find_single_build() {
    FERRY_TRY_ASSIGN(auto build, build_of_commit());
    std::string wanted = m_facts.nvr.value_or(m_input.package + " at " + m_commit.substr(0, 12));
    if (!build) {
      return skip("no_build", fmt::format("Koji has no build of {} (koji_build makes it)", wanted));
    }
    if (build->state == koji::BuildState::building && build->task_id) {
      infra::log::info("{} is still building (task {}): waiting for it", build->nvr,
                       *build->task_id);
      auto done = m_services.koji.watch_build(*build->task_id, m_branch, false);
      if (!done && done.error().kind() == ErrorKind::process) {
        return skip("build_failed", done.error().message());
      }
      if (!done) {
        return std::unexpected(done.error());
      }
      build = done->build;
    }
    if (!build || build->state != koji::BuildState::complete) {
      return skip("build_failed",
                  fmt::format("the Koji build of {} did not complete ({})", wanted,
                              build ? koji::to_string(build->state) : "no build record"));
    }
    auto list = allow_list(m_settings, "allowed_builders", {"packit"});
    FERRY_TRY_ASSIGN(bool allowed, is_allowed(list, build->owner_name,
                                              with_koji_user(m_services.allow, m_services.koji)));
    if (!allowed) {
      return skip("builder_not_allowed",
                  fmt::format("{} was built by {}, who is not in allowed_builders ({}; \"packit\" "
                              "means this runner)",
                              build->nvr, build->owner_name, describe_list(list)));
    }
    m_builds = {build->nvr};
    m_notes.push_back({m_input.package, build->nvr, ""});
    return Flow::next;
  }

  Result<Flow> find_side_tag_builds() {
    FERRY_TRY_ASSIGN(auto tag, find_group_side_tag(m_services.koji, m_group, m_branch));
    if (!tag) {
      return skip("no_side_tag", fmt::format("group {} has no side tag for {} yet (koji_build "
                                             "makes it)",
                                             m_group.name, m_branch));
    }
    FERRY_TRY_ASSIGN(auto latest, latest_builds_in(m_services.koji, tag->name));
    std::vector<std::string> required = m_group.dependencies;
    required.push_back(m_input.package);
    std::vector<std::string> missing;
    for (const std::string& package : required) {
      auto build = latest.find(package);
      if (build == latest.end()) {
        missing.push_back(package);
        continue;
      }
      m_builds.push_back(build->second.nvr);
      m_notes.push_back({package, build->second.nvr, ""});
    }
    if (!missing.empty()) {
      return skip("dependencies_missing",
                  fmt::format("side tag {} of group {} has no build of {} yet", tag->name,
                              m_group.name, describe_list(missing)));
    }
    m_from_tag = tag->name;
    return Flow::next;
  }

  Result<Flow> find_builds() {
    FERRY_TRY(read_own_spec());
    return m_group.empty() ? find_single_build() : find_side_tag_builds();
  }

  // The version-release of the package's latest stable build ("" when unknown).
  std::string stable_evr() {
    std::string tag = m_release.bodhi ? m_release.bodhi->stable_tag : "";
    if (tag.empty()) {
      return "";
    }
    auto builds = m_services.koji.latest_builds(tag, m_input.package);
    if (!builds) {
      infra::log::warning("could not read the latest stable build of {} in {}: {}", m_input.package,
                          tag, builds.error().message());
      return "";
    }
    return builds->empty() ? "" : builds->front().version + "-" + builds->front().release;
  }

  Result<Flow> compose_update() {
    std::string changelog;
    if (m_facts.autochangelog) {
      FERRY_TRY_ASSIGN(changelog, m_services.dist_git.message_of(m_commit));
      while (!changelog.empty() && changelog.back() == '\n') {
        changelog.pop_back();
      }
    } else {
      changelog = changelog_text(entries_since(m_facts, stable_evr()));
    }
    for (PackageNotes& notes : m_notes) {
      if (notes.package == m_input.package) {
        notes.changelog = changelog;
      }
    }
    m_form.builds = m_builds;
    m_form.from_tag = m_from_tag;
    m_form.notes = update_notes(m_notes);
    m_form.type = "enhancement";
    m_form.bugs = bugs_in(m_form.notes);
    m_form.extra = bodhi_extra_params(m_settings);
    return Flow::next;
  }

  std::vector<std::string> urls(const bodhi::SubmitOutcome& submitted) {
    std::vector<std::string> found;
    for (const bodhi::Update& update : submitted.updates) {
      found.push_back(update.url);
      m_job.updates.push_back(update.url);
    }
    return found;
  }

  Result<Flow> submit_update() {
    if (m_options.dry_run) {
      if (m_options.dry_run_out != nullptr) {
        std::string fields;
        for (const auto& [key, value] : bodhi::to_form(m_form)) {
          fields += fmt::format("  {}: {}\n", key, value);
        }
        *m_options.dry_run_out << fmt::format("would submit a Bodhi update for {}:\n{}", m_branch,
                                              fields);
      }
      return skip("dry_run", "nothing was submitted (--dry-run)");
    }
    if (m_services.bodhi == nullptr) {
      return fail(ErrorKind::internal, "bodhi_update runs without a Bodhi client");
    }
    FERRY_TRY_ASSIGN(auto submitted, m_services.bodhi->submit(m_form));
    std::string where = describe_list(urls(submitted));
    switch (submitted.action) {
    case bodhi::SubmitAction::created:
      return finish(m_outcome, OutcomeState::success, "update_created", where);
    case bodhi::SubmitAction::edited:
      return finish(m_outcome, OutcomeState::success, "update_edited", where);
    case bodhi::SubmitAction::unchanged:
      return skip("update_unchanged", "the side tag's update already has these builds: " + where);
    case bodhi::SubmitAction::already_exists:
      return skip("update_exists", "already in " + where);
    }
    return Flow::next;
  }

  const DownstreamInput& m_input;
  DownstreamServices& m_services;
  const DownstreamOptions& m_options;
  const nlohmann::ordered_json& m_settings;
  std::string m_branch;
  job::BranchOutcome& m_outcome;
  job::JobOutcome& m_job;
  SideTagGroup m_group;
  BranchRelease m_release;

  std::string m_commit;
  SpecFacts m_facts;
  std::vector<std::string> m_builds;
  std::vector<PackageNotes> m_notes;
  std::optional<std::string> m_from_tag;
  bodhi::UpdateForm m_form;
};

} // namespace

std::vector<std::pair<std::string, std::string>>
bodhi_extra_params(const nlohmann::ordered_json& settings) {
  std::vector<std::pair<std::string, std::string>> params;
  auto found = settings.find("bodhi_extra_params");
  if (found == settings.end() || !found->is_object()) {
    return params;
  }
  for (const auto& [key, value] : found->items()) {
    if (value.is_string()) {
      params.emplace_back(key, value.get<std::string>());
    } else if (value.is_boolean()) {
      params.emplace_back(key, value.get<bool>() ? "True" : "False");
    } else if (value.is_number()) {
      params.emplace_back(key, value.dump());
    }
  }
  return params;
}

job::JobOutcome run_bodhi_update(const DownstreamInput& input, DownstreamServices& services,
                                 const DownstreamOptions& options) {
  return run_per_branch(
      "bodhi_update", input,
      [&](const std::string& branch, job::BranchOutcome& outcome, job::JobOutcome& job) {
        return BranchUpdate(input, services, options, branch, outcome, job).run();
      });
}

} // namespace ferry::core::jobs
