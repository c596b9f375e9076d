#include "core/jobs/copr_build.hpp"

#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace ferry::core::jobs {

namespace {

namespace copr = clients::fedora::copr;
namespace forge = clients::forge;
using job::BranchOutcome;
using job::Flow;
using job::OutcomeState;
using job::Step;
using json = nlohmann::ordered_json;

constexpr int k_builds_looked_at = 30; // the newest builds of the project searched for the commit
constexpr int k_sources_read = 10;     // at most this many build sources read while searching

std::string setting_string(const json& settings, const char* key) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_string() ? found->get<std::string>() : "";
}

std::optional<bool> setting_bool(const json& settings, const char* key) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_boolean() ? std::optional(found->get<bool>())
                                                        : std::nullopt;
}

std::vector<std::string> setting_list(const json& settings, const char* key) {
  std::vector<std::string> items;
  auto found = settings.find(key);
  if (found != settings.end() && found->is_array()) {
    for (const json& item : *found) {
      if (item.is_string()) {
        items.push_back(item.get<std::string>());
      }
    }
  }
  return items;
}

// Two clone URLs name the same repository (".git" and a trailing slash aside).
bool same_repository(std::string a, std::string b) {
  for (std::string* url : {&a, &b}) {
    while (url->ends_with('/')) {
      url->pop_back();
    }
    if (url->ends_with(".git")) {
      url->resize(url->size() - 4);
    }
  }
  return a == b;
}

bool covers(const std::vector<std::string>& built, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& chroot) {
    return std::find(built.begin(), built.end(), chroot) != built.end();
  });
}

forge::CommitState check_state(std::string_view chroot_state) {
  if (chroot_state == "succeeded" || chroot_state == "skipped") {
    return forge::CommitState::success;
  }
  if (chroot_state == "failed") {
    return forge::CommitState::failure;
  }
  if (chroot_state == "canceled") {
    return forge::CommitState::error;
  }
  return forge::CommitState::pending;
}

class CoprBuildJob {
public:
  CoprBuildJob(const CoprBuildInput& input, CoprServices& services,
               const UpstreamJobOptions& options)
      : m_input(input), m_services(services), m_options(options), m_settings(input.job->settings),
        m_identifier(setting_string(m_settings, "identifier")),
        m_checks(services.forge, input.commit.repo, input.commit.commit,
                 options.report_checks && !options.dry_run),
        m_chroots(input.chroots) {
    m_result.outcome.job = "copr_build";
    m_result.outcome.package = input.package != nullptr ? input.package->name : "";
  }

  CoprBuildResult run() {
    const Step steps[] = {
        {"resolve_project", [this] { return resolve_project(); }},
        {"select_chroots", [this] { return select_chroots(); }},
        {"find_build", [this] { return find_build(); }},
        {"ensure_project", [this] { return ensure_project(); }},
        {"submit_build", [this] { return submit_build(); }},
        {"wait_for_build", [this] { return wait_for_build(); }},
        {"record_results", [this] { return record_results(); }},
    };
    std::string scope = fmt::format("copr_build {}", m_input.commit.commit.substr(0, 12));
    auto flow = job::run_steps(scope, steps, m_options.steps);
    if (!flow) {
      fail_all(flow.error());
    }
    return std::move(m_result);
  }

private:
  std::string name_of(const std::string& chroot) const {
    return check_name("rpm-build", m_input.commit, chroot, m_identifier);
  }

  void report(const std::string& chroot, forge::CommitState state, const std::string& title) {
    m_checks.report(name_of(chroot), state, title, m_result.build_url);
  }

  // Every chroot failed with the error; their checks say why.
  void fail_all(const Error& error) {
    std::string detail = error.describe();
    infra::log::error("copr_build: {}", detail);
    m_result.outcome.branches.clear();
    for (const std::string& chroot : m_chroots) {
      std::string title = m_submitted ? "Waiting for the Copr build failed: " + detail
                                      : "Submit of the build failed: " + detail;
      report(chroot, forge::CommitState::error, title);
      m_result.outcome.branches.push_back(
          {chroot, OutcomeState::failed, "error", detail, "", m_input.commit.commit});
    }
  }

  Result<Flow> resolve_project() {
    m_result.owner = setting_string(m_settings, "owner");
    if (m_result.owner.empty()) {
      m_result.owner = m_options.copr_user;
    }
    if (m_result.owner.empty()) {
      FERRY_TRY_ASSIGN(m_result.owner, m_services.copr.current_user());
    }
    m_result.project = setting_string(m_settings, "project");
    if (m_result.project.empty()) {
      m_result.project = default_copr_project(m_input.commit);
    }
    infra::log::info("copr_build: {} in Copr project {}/{} for {}",
                     m_input.commit.commit.substr(0, 12), m_result.owner, m_result.project,
                     fmt::join(m_chroots, ", "));
    return Flow::next;
  }

  // rebuild-failed: only the chroots whose check failed.
  Result<Flow> select_chroots() {
    if (!m_input.only_failed) {
      return Flow::next;
    }
    const auto& current = m_checks.current();
    std::vector<std::string> failed;
    for (const std::string& chroot : m_chroots) {
      auto found = current.find(name_of(chroot));
      if (found != current.end() && check_failed(found->second)) {
        failed.push_back(chroot);
      }
    }
    if (failed.empty()) {
      m_result.outcome.branches.push_back({"-", OutcomeState::skipped, "nothing_failed",
                                           "no rpm-build check of this commit failed", "",
                                           m_input.commit.commit});
      m_chroots.clear();
      return Flow::stop;
    }
    m_chroots = std::move(failed);
    return Flow::next;
  }

  // The commit's build in the project, newest first: same clone URL and commit, every wanted
  // chroot, not canceled, and submitted after the comment that asked for a new one.
  Result<std::optional<copr::Build>> existing_build() {
    FERRY_TRY_ASSIGN(auto project, m_services.copr.get_project(m_result.owner, m_result.project));
    if (!project) {
      return std::optional<copr::Build>();
    }
    FERRY_TRY_ASSIGN(auto builds, m_services.copr.recent_builds(m_result.owner, m_result.project,
                                                                k_builds_looked_at));
    int sources_read = 0;
    for (const copr::Build& build : builds) {
      bool too_old =
          m_input.rebuild_after && build.submitted_on.value_or(0) < *m_input.rebuild_after;
      if (build.state == "canceled" || too_old || !covers(build.chroots, m_chroots)) {
        continue;
      }
      if (++sources_read > k_sources_read) {
        break;
      }
      FERRY_TRY_ASSIGN(auto source, m_services.copr.build_source(build.id));
      if (source.source_type == "scm" && source.committish == m_input.commit.commit &&
          same_repository(source.clone_url, m_input.commit.clone_url)) {
        return std::optional<copr::Build>(build);
      }
    }
    return std::optional<copr::Build>();
  }

  Result<Flow> find_build() {
    FERRY_TRY_ASSIGN(m_found, existing_build());
    if (m_found) {
      m_build_id = m_found->id;
      m_result.build_url = m_services.copr.build_url(*m_found);
      infra::log::info("copr_build: build {} of {} exists ({}): not building again", m_found->id,
                       m_input.commit.commit.substr(0, 12), m_found->state);
    }
    return Flow::next;
  }

  copr::ProjectSpec project_spec() const {
    copr::ProjectSpec spec;
    spec.owner = m_result.owner;
    spec.name = m_result.project;
    spec.chroots = m_chroots;
    spec.description = fmt::format("Builds of {} by ferry (Packit-compatible CI).",
                                   m_input.commit.repo.full_name());
    spec.instructions =
        fmt::format("Builds of commits of {}; the upstream project says how to use them.",
                    m_input.commit.clone_url);
    spec.additional_repos = setting_list(m_settings, "additional_repos");
    spec.unlisted_on_hp = !setting_bool(m_settings, "list_on_homepage").value_or(false);
    spec.enable_net = setting_bool(m_settings, "enable_net").value_or(false);
    spec.module_hotfixes = setting_bool(m_settings, "module_hotfixes").value_or(false);
    if (setting_bool(m_settings, "preserve_project").value_or(false)) {
      spec.delete_after_days = std::nullopt;
    }
    return spec;
  }

  Result<Flow> ensure_project() {
    if (m_found) {
      return Flow::next;
    }
    if (m_options.dry_run) {
      print(fmt::format("would make sure Copr project {}/{} exists with chroots {}\n",
                        m_result.owner, m_result.project, fmt::join(m_chroots, ", ")));
      return Flow::next;
    }
    FERRY_TRY(m_services.copr.ensure_project(project_spec()));
    return Flow::next;
  }

  Result<Flow> submit_build() {
    if (m_found) {
      return Flow::next;
    }
    copr::ScmSource source;
    source.clone_url = m_input.commit.clone_url;
    source.committish = m_input.commit.commit;
    source.spec = m_input.package != nullptr ? m_input.package->specfile_path : "";
    copr::BuildOptions build_options;
    build_options.chroots = m_chroots;
    if (auto net = setting_bool(m_settings, "enable_net")) {
      build_options.enable_net = *net;
    }
    if (m_options.dry_run) {
      print(fmt::format("would build {} at {} in Copr project {}/{} ({})\n", source.clone_url,
                        source.committish, m_result.owner, m_result.project,
                        fmt::join(m_chroots, ", ")));
      for (const std::string& chroot : m_chroots) {
        m_result.outcome.branches.push_back({chroot, OutcomeState::success, "dry_run",
                                             "nothing was built (--dry-run)", "",
                                             m_input.commit.commit});
      }
      return Flow::stop;
    }
    FERRY_TRY_ASSIGN(
        copr::Build build,
        m_services.copr.build_from_scm(m_result.owner, m_result.project, source, build_options));
    m_submitted = true;
    m_build_id = build.id;
    m_result.build_url = m_services.copr.build_url(build);
    for (const std::string& chroot : m_chroots) {
      report(chroot, forge::CommitState::pending, "SRPM build is in progress...");
    }
    return Flow::next;
  }

  void on_change(const copr::Build& build, const std::vector<copr::BuildChroot>& chroots) {
    for (const copr::BuildChroot& chroot : chroots) {
      if (std::find(m_chroots.begin(), m_chroots.end(), chroot.name) == m_chroots.end()) {
        continue;
      }
      std::string title = copr_state_title(build.state, chroot.state);
      report(chroot.name, check_state(chroot.state), title);
    }
  }

  Result<Flow> wait_for_build() {
    m_submitted = true;
    FERRY_TRY_ASSIGN(auto finished, m_services.copr.wait_for_build(
                                        m_build_id, [this](const auto& build, const auto& chroots) {
                                          on_change(build, chroots);
                                        }));
    m_result.build = std::move(finished);
    return Flow::next;
  }

  Result<Flow> record_results() {
    const copr::FinishedBuild& finished = *m_result.build;
    m_result.outcome.builds.push_back(m_result.build_url);
    std::map<std::string, std::string> states;
    for (const copr::BuildChroot& chroot : finished.chroots) {
      states[chroot.name] = chroot.state;
    }
    for (const std::string& chroot : m_chroots) {
      std::string state = states.count(chroot) ? states[chroot] : finished.build.state;
      BranchOutcome outcome{chroot, OutcomeState::success, "", "", "", m_input.commit.commit};
      if (state == "succeeded" || state == "skipped") {
        outcome.reason = m_found ? "already_built" : "rpm_build_succeeded";
        outcome.detail = fmt::format("{}RPMs built: {}", m_found ? "(not built again) " : "",
                                     m_result.build_url);
      } else {
        outcome.state = OutcomeState::failed;
        outcome.reason = state == "canceled" ? "rpm_build_canceled" : "rpm_build_failed";
        outcome.detail = fmt::format("RPM build {}: {}", state, m_result.build_url);
      }
      report(chroot, check_state(state), copr_state_title(finished.build.state, state));
      infra::log::info("copr_build {}: {} ({})", chroot, job::to_string(outcome.state),
                       outcome.detail);
      m_result.outcome.branches.push_back(std::move(outcome));
    }
    return Flow::next;
  }

  void print(const std::string& text) const {
    if (m_options.dry_run_out != nullptr) {
      *m_options.dry_run_out << text;
    }
  }

  const CoprBuildInput& m_input;
  CoprServices& m_services;
  const UpstreamJobOptions& m_options;
  const json& m_settings;
  std::string m_identifier;
  CheckReporter m_checks;
  std::vector<std::string> m_chroots;
  CoprBuildResult m_result;
  std::optional<copr::Build> m_found;
  long m_build_id = 0;
  bool m_submitted = false;
};

} // namespace

std::string copr_state_title(std::string_view build_state, std::string_view chroot_state) {
  if (chroot_state == "succeeded" || chroot_state == "skipped") {
    return "RPMs were built successfully.";
  }
  if (chroot_state == "failed") {
    return "RPMs failed to be built.";
  }
  if (chroot_state == "canceled") {
    return "The Copr build was canceled.";
  }
  if (chroot_state == "running") {
    return "RPM build is in progress...";
  }
  if (build_state == "importing" || build_state == "waiting") {
    return "SRPM build is in progress...";
  }
  return "SRPM build succeeded. Waiting for RPM build to start...";
}

CoprBuildResult run_copr_build(const CoprBuildInput& input, CoprServices& services,
                               const UpstreamJobOptions& options) {
  return CoprBuildJob(input, services, options).run();
}

} // namespace ferry::core::jobs
