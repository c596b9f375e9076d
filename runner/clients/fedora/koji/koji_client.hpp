// The Koji hub's XML-RPC API as ferry's jobs use it (fedora-protocols §4): log in with
// `sslLogin` at <hub>/ssllogin (a client certificate or Kerberos through HTTP Negotiate, both
// configured on the HttpClient), submit a build from a dist-git commit, poll its task with
// back-off until it finishes, read the build back (NVR), look up builds, tags, targets and side
// tags, and create side tags.
//
// Sessions follow the hub's rules: the session id and key travel in headers, every call of a
// session carries the next call number, and a call that has to be sent again is sent with the
// same number. The hub then refuses (RetryError) to run a second time a call whose first attempt
// changed something, so a write is never carried out twice: a `build` whose answer was lost is
// found among the session user's tasks instead of being submitted again. The session key is
// registered with the log redactor as soon as it arrives.
#pragma once

#include "clients/fedora/koji/xmlrpc.hpp"
#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::clients::fedora::koji {

inline constexpr std::string_view k_default_hub_url = "https://koji.fedoraproject.org/kojihub";

// koji.TASK_STATES
enum class TaskState { free = 0, open = 1, closed = 2, canceled = 3, assigned = 4, failed = 5 };
std::string_view to_string(TaskState state);
// CLOSED, CANCELED and FAILED (what the hub's taskFinished answers true for).
bool is_finished(TaskState state);

// koji.BUILD_STATES
enum class BuildState { building = 0, complete = 1, deleted = 2, failed = 3, canceled = 4 };
std::string_view to_string(BuildState state);

struct Task {
  std::int64_t id = 0;
  TaskState state = TaskState::free;
  std::string method; // "build"
  std::optional<std::int64_t> parent;
  std::optional<std::int64_t> owner; // user id
};

struct Build {
  std::int64_t id = 0;
  std::string nvr; // "python-foo-1.2.3-1.fc41"
  std::string name;
  std::string version;
  std::string release;
  std::optional<std::int64_t> epoch;
  BuildState state = BuildState::building;
  std::optional<std::int64_t> task_id;
  std::string source;     // the SCM URL with the resolved commit
  std::string owner_name; // who submitted it
};

struct BuildTarget {
  std::int64_t id = 0;
  std::string name;
  std::string build_tag_name; // the base of side tags ("f41-build")
  std::string dest_tag_name;  // where builds land ("f41-updates-candidate")
};

struct SideTag {
  std::int64_t id = 0;
  std::string name; // "{basetag}-side-{id}", e.g. "f41-build-side-12345"
};

// The `opts` struct of `build` (only what is set is sent).
struct BuildOptions {
  bool scratch = false;
  bool skip_tag = false;
  std::optional<bool> fail_fast;
  std::optional<bool> wait_repo;
};

// A finished, successful build task: the task and, for a non-scratch build, the build it made.
struct BuildOutcome {
  std::int64_t task_id = 0;
  std::string task_url;
  std::optional<Build> build;
};

// How a running task is watched: the first wait, growing by `factor` up to `max_interval`,
// giving up (ErrorKind::timeout) after `timeout` in total.
struct PollPolicy {
  std::chrono::milliseconds first_interval{10'000};
  std::chrono::milliseconds max_interval{120'000};
  double factor = 1.5;
  std::chrono::milliseconds timeout{std::chrono::hours(6)};
};

struct KojiSettings {
  std::string hub_url = std::string(k_default_hub_url);
  // How the HttpClient authenticates ("the Kerberos keytab of packit@FEDORAPROJECT.ORG"), for
  // the advice in login errors; never a secret.
  std::string credentials = "a Kerberos ticket or client certificate";
  PollPolicy poll;
  // Waits between polls; tests replace it to run without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
  // False: `credentials` says that none are set and what would set them.
  bool has_credentials = true;
};

// "git+https://src.fedoraproject.org/rpms/<package>.git#<commit>" for `build`. `dist_git_url`
// is the dist-git base ("https://src.fedoraproject.org"); `commit` must be a full 40-hex SHA-1
// (the builder needs an exact revision). ErrorKind::config otherwise.
[[nodiscard]] Result<std::string>
dist_git_scm_url(std::string_view dist_git_url, std::string_view package, std::string_view commit);

// The build target packit uses for a dist-git branch: "rawhide" for rawhide/main, otherwise
// "<branch>-candidate" (f41 -> f41-candidate, epel9 -> epel9-candidate).
std::string build_target_for_branch(std::string_view branch);

class KojiClient {
public:
  explicit KojiClient(infra::http::HttpClient& http, KojiSettings settings = {});
  KojiClient(const KojiClient&) = delete;
  KojiClient& operator=(const KojiClient&) = delete;

  // sslLogin at <hub>/ssllogin, then getLoggedInUser. Fails fast with ErrorKind::auth (no
  // retry) when the hub refuses the credentials.
  [[nodiscard]] Status login();
  bool logged_in() const { return m_session.has_value(); }
  // The logged-in user's name ("" before login).
  const std::string& user_name() const { return m_user_name; }
  // Ends the session on the hub (best effort is the caller's choice).
  [[nodiscard]] Status logout();

  // Submits `build(src, target, opts)` once and returns the task id; logs in first if needed.
  // The hub validates target and source only inside the task: watch it with wait_for_task.
  [[nodiscard]] Result<std::int64_t> submit_build(std::string_view scm_url, std::string_view target,
                                                  const BuildOptions& options = {});
  // getTaskInfo; nullopt when the hub knows no such task.
  [[nodiscard]] Result<std::optional<Task>> task(std::int64_t task_id);
  // Polls getTaskInfo with back-off (KojiSettings::poll) until the task is finished.
  [[nodiscard]] Result<Task> wait_for_task(std::int64_t task_id);
  // Why a failed task failed: the fault getTaskResult raises for it.
  [[nodiscard]] Result<std::string> task_failure(std::int64_t task_id);
  // submit_build, wait_for_task, then listBuilds(taskID=) for the build. A FAILED or CANCELED
  // task is ErrorKind::process with the hub's reason and the task URL.
  [[nodiscard]] Result<BuildOutcome> build_and_wait(std::string_view scm_url,
                                                    std::string_view target,
                                                    const BuildOptions& options = {});
  // wait_for_task on a build task submitted earlier, then its build, as build_and_wait.
  [[nodiscard]] Result<BuildOutcome> watch_build(std::int64_t task_id, std::string_view target,
                                                 bool scratch);
  // The logged-in user's newest `build` task of `scm_url` into `target` created in the last
  // `window` that is still running (FREE, ASSIGNED, OPEN) or, with `include_closed`, finished
  // successfully; nullopt when there is none. Logs in first if needed.
  [[nodiscard]] Result<std::optional<Task>> find_build_task(std::string_view scm_url,
                                                            std::string_view target,
                                                            std::chrono::hours window,
                                                            bool include_closed);
  // Builds of `package` (BUILDING or COMPLETE, newest first) made from exactly `scm_url`.
  [[nodiscard]] Result<std::vector<Build>> builds_from_source(std::string_view package,
                                                              std::string_view scm_url);

  // listBuilds(taskID=)
  [[nodiscard]] Result<std::vector<Build>> builds_of_task(std::int64_t task_id);
  // getBuild(nvr); nullopt when there is no such build.
  [[nodiscard]] Result<std::optional<Build>> build_info(std::string_view nvr);
  // getLatestBuilds(tag, package=): the newest build of the package in the tag (inheritance on).
  [[nodiscard]] Result<std::vector<Build>> latest_builds(std::string_view tag,
                                                         std::string_view package);
  // listTagged(tag, package=, latest=, inherit=)
  [[nodiscard]] Result<std::vector<Build>>
  tagged_builds(std::string_view tag, std::string_view package, bool latest, bool inherit);
  // listTagged(tag, latest=): every package's builds in the tag (no inheritance).
  [[nodiscard]] Result<std::vector<Build>> tagged_builds(std::string_view tag, bool latest);
  // getBuildTarget(name); nullopt when there is no such target.
  [[nodiscard]] Result<std::optional<BuildTarget>> build_target(std::string_view name);
  // createSideTag(basetag): `base_tag` is the build tag of the target (BuildTarget::
  // build_tag_name). Sent once, like `build`.
  [[nodiscard]] Result<SideTag> create_side_tag(std::string_view base_tag);
  // listSideTags(basetag=, user=)
  [[nodiscard]] Result<std::vector<SideTag>> side_tags(std::string_view base_tag,
                                                       std::optional<std::string> user = {});

  // The web page of a task ("https://koji.fedoraproject.org/koji/taskinfo?taskID=N").
  std::string task_url(std::int64_t task_id) const;

  // Any hub method: positional args plus keyword args. Faults are errors naming the method
  // (auth faults ErrorKind::auth). Reads may be sent again after a transport failure.
  [[nodiscard]] Result<xmlrpc::Value> call(std::string_view method, xmlrpc::Array args = {},
                                           xmlrpc::Struct kwargs = {});
  // system.multicall: one answer per call, in order (a Value or the call's Fault).
  [[nodiscard]] Result<std::vector<xmlrpc::Reply>>
  multicall(const std::vector<xmlrpc::MethodCall>& calls);

private:
  struct Session {
    std::int64_t id = 0;
    std::string key;
    std::int64_t callnum = 0; // the number the next call carries
  };

  [[nodiscard]] Result<xmlrpc::Reply> exchange(std::string_view method, const xmlrpc::Array& params,
                                               bool login_url);
  // One call; an expired session is renewed and the call sent once more. Faults are returned.
  [[nodiscard]] Result<xmlrpc::Reply> call_reply(std::string_view method,
                                                 const xmlrpc::Array& params);
  [[nodiscard]] Result<xmlrpc::Value> call_once(std::string_view method,
                                                const xmlrpc::Array& params);
  [[nodiscard]] Status open_session(bool renew);
  [[nodiscard]] Status ensure_logged_in();
  [[nodiscard]] Result<std::optional<std::int64_t>> find_submitted_build(std::string_view scm_url,
                                                                         std::string_view target);
  Error fault_error(std::string_view method, const xmlrpc::Fault& fault) const;
  // What to do when the hub refused the credentials (or there are none).
  std::string refused_advice() const;
  std::string web_url() const; // "https://koji.fedoraproject.org/koji"

  infra::http::HttpClient& m_http;
  KojiSettings m_settings;
  std::optional<Session> m_session;
  std::string m_user_name;
  std::optional<std::int64_t> m_user_id;
};

} // namespace ferry::clients::fedora::koji
