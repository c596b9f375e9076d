#include "core/jobs/tests_job.hpp"

#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace ferry::core::jobs {

namespace {

namespace copr = clients::fedora::copr;
namespace tf = clients::fedora::testing_farm;
namespace forge = clients::forge;
using job::BranchOutcome;
using job::Flow;
using job::OutcomeState;
using job::Step;
using json = nlohmann::ordered_json;

std::string setting_string(const json& settings, const char* key) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_string() ? found->get<std::string>() : "";
}

std::optional<std::string> optional_setting(const json& settings, const char* key) {
  std::string value = setting_string(settings, key);
  return value.empty() ? std::nullopt : std::optional(value);
}

bool setting_bool(const json& settings, const char* key) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_boolean() && found->get<bool>();
}

forge::CommitState check_state(const tf::RequestStatus& status) {
  if (!status.finished()) {
    return forge::CommitState::pending;
  }
  if (status.passed()) {
    return forge::CommitState::success;
  }
  return status.state == "complete" && status.overall == "failed" ? forge::CommitState::failure
                                                                  : forge::CommitState::error;
}

// A request id as Testing Farm makes them (a UUID), from the last segment of a check's URL.
std::optional<std::string> request_id_of(const std::string& url) {
  std::string id = last_path_segment(url);
  bool uuid = id.size() == 36 && std::all_of(id.begin(), id.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
              });
  return uuid ? std::optional(id) : std::nullopt;
}

struct Target {
  std::string chroot;
  std::string check;
  std::string request_id;
  bool reused = false;
  bool done = false; // its outcome is known (e.g. its build failed)
  BranchOutcome outcome;
};

class TestsJob {
public:
  TestsJob(const TestsInput& input, TestsServices& services, const UpstreamJobOptions& options)
      : m_input(input), m_services(services), m_options(options), m_settings(input.job->settings),
        m_identifier(setting_string(m_settings, "identifier")),
        m_checks(services.forge, input.commit.repo, input.commit.commit,
                 options.report_checks && !options.dry_run) {
    m_outcome.job = "tests";
    m_outcome.package = input.package != nullptr ? input.package->name : "";
    for (const std::string& chroot : input.chroots) {
      Target target;
      target.chroot = chroot;
      target.check = check_name("testing-farm", input.commit, chroot, m_identifier);
      target.outcome = {chroot, OutcomeState::success, "", "", "", input.commit.commit};
      m_targets.push_back(std::move(target));
    }
  }

  job::JobOutcome run() {
    const Step steps[] = {
        {"select_targets", [this] { return select_targets(); }},
        {"get_build", [this] { return get_build(); }},
        {"find_requests", [this] { return find_requests(); }},
        {"submit_requests", [this] { return submit_requests(); }},
        {"wait_for_results", [this] { return wait_for_results(); }},
    };
    std::string scope = fmt::format("tests {}", m_input.commit.commit.substr(0, 12));
    auto flow = job::run_steps(scope, steps, m_options.steps);
    if (!flow) {
      fail_open_targets(flow.error());
    }
    for (Target& target : m_targets) {
      infra::log::info("tests {}: {} ({}){}", target.chroot, job::to_string(target.outcome.state),
                       target.outcome.reason,
                       target.outcome.detail.empty() ? "" : ": " + target.outcome.detail);
      m_outcome.branches.push_back(std::move(target.outcome));
    }
    return std::move(m_outcome);
  }

private:
  void finish(Target& target, OutcomeState state, std::string reason, std::string detail) {
    target.outcome.state = state;
    target.outcome.reason = std::move(reason);
    target.outcome.detail = std::move(detail);
    target.done = true;
  }

  void fail_open_targets(const Error& error) {
    std::string detail = error.describe();
    infra::log::error("tests: {}", detail);
    for (Target& target : m_targets) {
      if (target.done) {
        continue;
      }
      m_checks.report(
          target.check, forge::CommitState::error, "Testing Farm failed: " + detail,
          target.request_id.empty() ? "" : m_services.testing_farm.request_url(target.request_id));
      finish(target, OutcomeState::failed, "error", detail);
    }
  }

  std::vector<Target*> open_targets() {
    std::vector<Target*> open;
    for (Target& target : m_targets) {
      if (!target.done) {
        open.push_back(&target);
      }
    }
    return open;
  }

  Result<Flow> select_targets() {
    if (!m_input.only_failed) {
      return Flow::next;
    }
    const auto& current = m_checks.current();
    std::erase_if(m_targets, [&](const Target& target) {
      auto found = current.find(target.check);
      return found == current.end() || !check_failed(found->second);
    });
    if (m_targets.empty()) {
      m_outcome.branches.push_back({"-", OutcomeState::skipped, "nothing_failed",
                                    "no testing-farm check of this commit failed", "",
                                    m_input.commit.commit});
      return Flow::stop;
    }
    return Flow::next;
  }

  std::vector<std::string> chroots() const {
    std::vector<std::string> names;
    for (const Target& target : m_targets) {
      names.push_back(target.chroot);
    }
    return names;
  }

  // The Copr build the tests install: the one given, or the commit's (built when missing).
  Result<Flow> get_build() {
    if (setting_bool(m_settings, "skip_build")) {
      return Flow::next;
    }
    if (m_services.copr == nullptr) {
      return fail(ErrorKind::config, "the tests need a Copr build: set the Copr settings "
                                     "(copr_login, copr_token) or `skip_build: true`");
    }
    if (m_input.copr_build_id) {
      FERRY_TRY_ASSIGN(auto build, m_services.copr->get_build(*m_input.copr_build_id));
      m_build_url = m_services.copr->build_url(build);
      m_copr_project = build.owner + "/" + build.project;
      FERRY_TRY_ASSIGN(m_build, m_services.copr->wait_for_build(build.id));
    } else {
      FERRY_TRY(build_in_copr());
    }
    if (!m_build && m_options.dry_run) {
      for (Target* target : open_targets()) {
        finish(*target, OutcomeState::success, "dry_run",
               "nothing was submitted (--dry-run): the Copr build comes first");
      }
    }
    if (!m_build) {
      return Flow::stop; // dry run, or every target failed with the build
    }
    mark_failed_builds();
    return Flow::next;
  }

  Status build_in_copr() {
    const config::JobConfig* build_job =
        m_input.build_job != nullptr ? m_input.build_job : m_input.job;
    CoprBuildInput build_input{m_input.package,       build_job, chroots(), m_input.commit,
                               m_input.rebuild_after, false};
    CoprServices copr_services{*m_services.copr, m_services.forge};
    CoprBuildResult built = run_copr_build(build_input, copr_services, m_options);
    m_outcome.builds = built.outcome.builds;
    m_build_url = built.build_url;
    m_copr_project = built.owner + "/" + built.project;
    m_build = std::move(built.build);
    if (m_build || m_options.dry_run) {
      return {};
    }
    std::string detail = built.outcome.branches.empty() ? std::string("the Copr build failed")
                                                        : built.outcome.branches.front().detail;
    for (Target& target : m_targets) {
      m_checks.report(target.check, forge::CommitState::error,
                      "The Copr build could not be made: tests were not run.", m_build_url);
      finish(target, OutcomeState::failed, "build_failed", detail);
    }
    return {};
  }

  void mark_failed_builds() {
    std::map<std::string, std::string> states;
    for (const copr::BuildChroot& chroot : m_build->chroots) {
      states[chroot.name] = chroot.state;
    }
    for (Target* target : open_targets()) {
      std::string state = states.count(target->chroot) ? states[target->chroot] : "missing";
      if (state != "succeeded" && state != "skipped") {
        m_checks.report(target->check, forge::CommitState::failure,
                        "RPM build failed: tests were not run.", m_build_url);
        finish(*target, OutcomeState::failed, "build_failed",
               fmt::format("the Copr build of {} {}: {}", target->chroot, state, m_build_url));
      }
    }
  }

  // A result is recent enough when made after the build it tests and after the comment.
  bool recent_enough(const tf::RequestStatus& status) const {
    auto created = parse_timestamp(status.created);
    if (!created) {
      return false;
    }
    for (auto after : {m_input.retest_after, m_input.rebuild_after}) {
      if (after && *created < *after) {
        return false;
      }
    }
    return !m_build || *created >= m_build->build.submitted_on.value_or(0);
  }

  Result<Flow> find_requests() {
    const auto& current = m_checks.current();
    for (Target* target : open_targets()) {
      auto found = current.find(target->check);
      auto id = found == current.end() ? std::nullopt : request_id_of(found->second.details_url);
      if (!id) {
        continue;
      }
      auto status = m_services.testing_farm.get_request(*id);
      if (status && recent_enough(*status)) {
        infra::log::info("tests {}: request {} exists: not submitting again", target->chroot, *id);
        target->request_id = *id;
        target->reused = true;
      }
    }
    return Flow::next;
  }

  std::map<std::string, std::string> variables() const {
    std::map<std::string, std::string> vars = {
        {"PACKIT_FULL_REPO_NAME", m_input.commit.repo.full_name()},
        {"PACKIT_COMMIT_SHA", m_input.commit.commit},
        {"PACKIT_SOURCE_URL", m_input.commit.clone_url},
        {"PACKIT_PACKAGE_NAME", m_outcome.package},
        {"PACKIT_UPSTREAM_NAME", setting_string(m_settings, "upstream_package_name")}};
    if (m_input.commit.pr_number) {
      vars["PACKIT_PR_ID"] = std::to_string(*m_input.commit.pr_number);
    }
    if (m_build) {
      vars["PACKIT_COPR_PROJECT"] = m_copr_project;
    }
    if (auto env = m_settings.find("env"); env != m_settings.end() && env->is_object()) {
      for (const auto& [key, value] : env->items()) {
        vars[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    for (const std::string& assignment : m_input.env) {
      std::size_t equals = assignment.find('=');
      std::string key = assignment.substr(0, equals);
      std::string value = equals == std::string::npos ? "" : assignment.substr(equals + 1);
      if (value.empty()) {
        vars.erase(key);
      } else {
        vars[key] = value;
      }
    }
    return vars;
  }

  tf::RequestSpec request_for(const Target& target) const {
    tf::RequestSpec spec;
    spec.test.url = optional_setting(m_settings, "fmf_url").value_or(m_input.commit.clone_url);
    spec.test.ref = optional_setting(m_settings, "fmf_ref").value_or(m_input.commit.commit);
    spec.test.path = optional_setting(m_settings, "fmf_path");
    spec.test.plan_name = optional_setting(m_settings, "tmt_plan");
    tf::Environment environment = tf::environment_for_chroot(target.chroot);
    if (m_build) {
      environment.artifacts.push_back(tf::copr_build_artifact(m_build->build.id, target.chroot));
    }
    environment.variables = variables();
    environment.tmt_context["trigger"] = "commit";
    environment.tmt_context["initiator"] = "packit";
    spec.environments.push_back(std::move(environment));
    return spec;
  }

  Result<Flow> submit_requests() {
    for (Target* target : open_targets()) {
      if (target->reused) {
        continue;
      }
      tf::RequestSpec spec = request_for(*target);
      if (m_options.dry_run) {
        if (m_options.dry_run_out != nullptr) {
          *m_options.dry_run_out << fmt::format("would submit to Testing Farm for {}:\n{}\n",
                                                target->chroot, tf::request_json(spec).dump(2));
        }
        finish(*target, OutcomeState::success, "dry_run", "nothing was submitted (--dry-run)");
        continue;
      }
      FERRY_TRY_ASSIGN(target->request_id, m_services.testing_farm.submit(spec));
      m_checks.report(target->check, forge::CommitState::pending, "Tests have been submitted ...",
                      m_services.testing_farm.request_url(target->request_id));
    }
    return Flow::next;
  }

  Result<Flow> wait_for_results() {
    for (Target* target : open_targets()) {
      auto on_change = [this, target](const tf::RequestStatus& status) {
        if (status.state == "running") {
          m_checks.report(target->check, forge::CommitState::pending, "Tests are running ...",
                          url_of(*target, status));
        }
      };
      FERRY_TRY_ASSIGN(auto status,
                       m_services.testing_farm.wait_for_request(target->request_id, on_change));
      record(*target, status);
    }
    return Flow::next;
  }

  std::string url_of(const Target& target, const tf::RequestStatus& status) const {
    return status.artifacts_url.empty() ? m_services.testing_farm.request_url(target.request_id)
                                        : status.artifacts_url;
  }

  void record(Target& target, const tf::RequestStatus& status) {
    std::string url = url_of(target, status);
    m_checks.report(target.check, check_state(status), tests_state_title(status), url);
    std::string detail = fmt::format("{}{}: {}", target.reused ? "(not run again) " : "",
                                     tests_state_title(status), url);
    if (status.passed()) {
      finish(target, OutcomeState::success,
             status.overall == "skipped" ? "tests_skipped" : "tests_passed", detail);
    } else {
      std::string reason = status.state == "canceled"   ? "tests_canceled"
                           : status.overall == "failed" ? "tests_failed"
                                                        : "tests_error";
      finish(target, OutcomeState::failed, reason, detail);
    }
  }

  const TestsInput& m_input;
  TestsServices& m_services;
  const UpstreamJobOptions& m_options;
  const json& m_settings;
  std::string m_identifier;
  CheckReporter m_checks;
  std::vector<Target> m_targets;
  job::JobOutcome m_outcome;
  std::optional<copr::FinishedBuild> m_build;
  std::string m_build_url;
  std::string m_copr_project;
};

} // namespace

std::string tests_state_title(const tf::RequestStatus& status) {
  if (status.state == "running") {
    return "Tests are running ...";
  }
  if (!status.finished()) {
    return "Tests have been submitted ...";
  }
  if (status.state == "canceled") {
    return "Tests were canceled.";
  }
  if (status.state == "error") {
    return "Testing Farm could not run the tests: " +
           (status.summary.empty() ? std::string("infrastructure error") : status.summary);
  }
  if (status.overall == "passed") {
    return "Tests passed ...";
  }
  if (status.overall == "skipped") {
    return "Tests were skipped.";
  }
  if (status.overall == "failed") {
    return "Tests failed ...";
  }
  return "Tests ended in an error (" + status.overall + ") ...";
}

job::JobOutcome run_tests(const TestsInput& input, TestsServices& services,
                          const UpstreamJobOptions& options) {
  return TestsJob(input, services, options).run();
}

} // namespace ferry::core::jobs
