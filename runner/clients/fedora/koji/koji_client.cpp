#include "clients/fedora/koji/koji_client.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace ferry::clients::fedora::koji {

namespace {

namespace http = infra::http;
using xmlrpc::Array;
using xmlrpc::Fault;
using xmlrpc::Reply;
using xmlrpc::Struct;
using xmlrpc::Value;

// koji/__init__.py fault codes (fedora-protocols §4.3)
constexpr std::int64_t k_auth_error = 1002;
constexpr std::int64_t k_action_not_allowed = 1004;
constexpr std::int64_t k_auth_lock_error = 1006;
constexpr std::int64_t k_auth_expired = 1007;
constexpr std::int64_t k_sequence_error = 1008;
constexpr std::int64_t k_retry_error = 1009;
constexpr std::int64_t k_server_offline = 1014;
constexpr std::int64_t k_gssapi_auth_error = 1023;

// A task that answers "still running" is asked again; a poll that fails for a transport reason
// is tolerated this many times in a row before the wait gives up.
constexpr int k_max_failed_polls = 5;

std::string_view fault_name(std::int64_t code) {
  switch (code) {
  case 1000:
    return "GenericError";
  case 1001:
    return "LockError";
  case k_auth_error:
    return "AuthError";
  case 1003:
    return "TagError";
  case k_action_not_allowed:
    return "ActionNotAllowed";
  case 1005:
    return "BuildError";
  case k_auth_lock_error:
    return "AuthLockError";
  case k_auth_expired:
    return "AuthExpired";
  case k_sequence_error:
    return "SequenceError";
  case k_retry_error:
    return "RetryError";
  case 1010:
    return "PreBuildError";
  case 1011:
    return "PostBuildError";
  case 1012:
    return "BuildrootError";
  case 1013:
    return "FunctionDeprecated";
  case k_server_offline:
    return "ServerOffline";
  case 1016:
    return "PluginError";
  case 1019:
    return "ParameterError";
  case k_gssapi_auth_error:
    return "GSSAPIAuthError";
  default:
    return "fault";
  }
}

// ActionNotAllowed is the hub's answer both to a call that needs a login (assertLogin) and to
// a policy, permission or quota refusal of a logged-in user: only the first is about credentials.
bool is_auth_fault(const Fault& fault) {
  if (fault.code == k_action_not_allowed) {
    return fault.message.find("must be logged in") != std::string::npos;
  }
  return fault.code == k_auth_error || fault.code == k_auth_lock_error ||
         fault.code == k_auth_expired || fault.code == k_gssapi_auth_error;
}

// What to tell about a login the hub refused, from its words ("Unknown user: mallory", "logins
// by alice are not allowed").
std::string login_advice(const std::string& message) {
  if (message.find("Unknown user") != std::string::npos) {
    return "the user must exist in Koji (a Fedora account that has logged in to Koji once)";
  }
  if (message.find("not allowed") != std::string::npos) {
    return "the Koji user is disabled or blocked: ask the Koji admins to enable it";
  }
  return "check the credentials";
}

// A builder's failure can be a whole Python traceback: its last line names the error.
std::string one_line(const std::string& reason) {
  std::size_t end = reason.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) {
    return reason;
  }
  std::size_t start = reason.rfind('\n', end);
  if (start == std::string::npos) {
    return reason.substr(0, end + 1);
  }
  return reason.substr(start + 1, end - start) + " (the last line of the builder's traceback)";
}

bool is_transient(const Error& error) {
  return error.kind() == ErrorKind::network || error.kind() == ErrorKind::timeout ||
         (error.kind() == ErrorKind::http_status && error.http_status().value_or(0) >= 500);
}

std::unexpected<Error> malformed(std::string_view method, const std::string& problem) {
  return fail(ErrorKind::http_status,
              fmt::format("Koji {} answered with an unexpected value: {}", method, problem));
}

std::string required_string(const Value& value, std::string_view key) {
  return value.string_member(key).value_or("");
}

Result<Task> parse_task(const Value& value) {
  auto id = value.int_member("id");
  auto state = value.int_member("state");
  if (!id || !state || *state < 0 || *state > 5) {
    return malformed("getTaskInfo", "a task without id or with an unknown state");
  }
  return Task{*id, static_cast<TaskState>(*state), required_string(value, "method"),
              value.int_member("parent"), value.int_member("owner")};
}

Result<Build> parse_build(const Value& value, std::string_view method) {
  auto id = value.int_member("id");
  if (!id) {
    id = value.int_member("build_id");
  }
  auto state = value.int_member("state");
  auto nvr = value.string_member("nvr");
  if (!id || !state || !nvr || *state < 0 || *state > 4) {
    return malformed(method, "a build without id, nvr or a known state");
  }
  Build build;
  build.id = *id;
  build.nvr = *nvr;
  build.name = value.string_member("name").value_or(required_string(value, "package_name"));
  build.version = required_string(value, "version");
  build.release = required_string(value, "release");
  build.epoch = value.int_member("epoch");
  build.state = static_cast<BuildState>(*state);
  build.task_id = value.int_member("task_id");
  build.source = required_string(value, "source");
  build.owner_name = required_string(value, "owner_name");
  return build;
}

Result<std::vector<Build>> parse_builds(const Value& value, std::string_view method) {
  const Array* items = value.as_array();
  if (items == nullptr) {
    return malformed(method, "not a list of builds");
  }
  std::vector<Build> builds;
  for (const Value& item : *items) {
    FERRY_TRY_ASSIGN(auto build, parse_build(item, method));
    builds.push_back(std::move(build));
  }
  return builds;
}

Result<SideTag> parse_side_tag(const Value& value, std::string_view method) {
  auto id = value.int_member("id");
  auto name = value.string_member("name");
  if (!id || !name) {
    return malformed(method, "a side tag without id or name");
  }
  return SideTag{*id, *name};
}

bool is_hex_sha1(std::string_view text) {
  return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

std::string_view to_string(TaskState state) {
  switch (state) {
  case TaskState::free:
    return "FREE";
  case TaskState::open:
    return "OPEN";
  case TaskState::closed:
    return "CLOSED";
  case TaskState::canceled:
    return "CANCELED";
  case TaskState::assigned:
    return "ASSIGNED";
  case TaskState::failed:
    return "FAILED";
  }
  return "?";
}

bool is_finished(TaskState state) {
  return state == TaskState::closed || state == TaskState::canceled || state == TaskState::failed;
}

std::string_view to_string(BuildState state) {
  switch (state) {
  case BuildState::building:
    return "BUILDING";
  case BuildState::complete:
    return "COMPLETE";
  case BuildState::deleted:
    return "DELETED";
  case BuildState::failed:
    return "FAILED";
  case BuildState::canceled:
    return "CANCELED";
  }
  return "?";
}

Result<std::string> dist_git_scm_url(std::string_view dist_git_url, std::string_view package,
                                     std::string_view commit) {
  if (!is_hex_sha1(commit)) {
    return fail(ErrorKind::config,
                fmt::format("Koji builds need a full 40-character commit hash, not '{}'", commit));
  }
  if (package.empty() || package.find_first_of("/#?") != std::string_view::npos) {
    return fail(ErrorKind::config, fmt::format("'{}' is not a dist-git package name", package));
  }
  std::string base(dist_git_url);
  while (base.ends_with('/')) {
    base.pop_back();
  }
  if (!base.starts_with("https://") && !base.starts_with("http://")) {
    return fail(ErrorKind::config,
                fmt::format("the dist-git URL '{}' is not an http(s) URL", dist_git_url));
  }
  return fmt::format("git+{}/rpms/{}.git#{}", base, package, commit);
}

std::string build_target_for_branch(std::string_view branch) {
  if (branch == "rawhide" || branch == "main") {
    return "rawhide";
  }
  return std::string(branch) + "-candidate";
}

KojiClient::KojiClient(http::HttpClient& http, KojiSettings settings)
    : m_http(http), m_settings(std::move(settings)) {
  while (m_settings.hub_url.ends_with('/')) {
    m_settings.hub_url.pop_back();
  }
  if (!m_settings.sleep) {
    m_settings.sleep = [](std::chrono::milliseconds delay) {
      infra::process::wait_unless_cancelled(delay);
    };
  }
}

std::string KojiClient::web_url() const {
  std::string base = m_settings.hub_url;
  std::size_t slash = base.rfind('/');
  if (slash != std::string::npos && slash > base.find("://") + 2) {
    base.erase(slash);
  }
  return base + "/koji";
}

std::string KojiClient::task_url(std::int64_t task_id) const {
  return fmt::format("{}/taskinfo?taskID={}", web_url(), task_id);
}

// ---- one exchange with the hub ---------------------------------------------------------------

Result<Reply> KojiClient::exchange(std::string_view method, const Array& params, bool login_url) {
  FERRY_TRY_ASSIGN(std::string body, xmlrpc::encode_call(method, params));
  http::Request request;
  request.method = http::Method::post;
  request.url = login_url ? m_settings.hub_url + "/ssllogin" : m_settings.hub_url;
  request.body = std::move(body);
  request.headers.emplace_back("Content-Type", "text/xml");
  // A call is sent again (same body, same call number) after a transport failure: the hub
  // refuses with RetryError to run twice a call that changed something.
  request.retry_unsafe = true;
  std::string shown = fmt::format("Koji {}", method);
  if (m_session && !login_url) {
    std::string callnum = std::to_string(m_session->callnum++);
    request.headers.emplace_back("Koji-Session-Id", std::to_string(m_session->id));
    request.headers.emplace_back("Koji-Session-Key", m_session->key);
    // koji's client sends Koji-Session-Callnum; the hub's auth.py reads Koji-Callnum
    // (HTTP_KOJI_CALLNUM). Both carry the same number.
    request.headers.emplace_back("Koji-Session-Callnum", callnum);
    request.headers.emplace_back("Koji-Callnum", callnum);
    infra::log::debug("koji: {} (session call {})", method, callnum);
  } else {
    infra::log::debug("koji: {}{}", method, login_url ? " at /ssllogin" : "");
  }
  auto sent = m_http.send(request);
  if (!sent && sent.error().kind() == ErrorKind::auth) {
    return fail(ErrorKind::auth,
                fmt::format("calling {}: {}; {}", shown, sent.error().message(), refused_advice()));
  }
  FERRY_TRY_ASSIGN(http::Response response, with_context(std::move(sent), "calling " + shown));
  if (response.status != 200) {
    bool refused = response.status == 401 || response.status == 403;
    std::string advice = refused ? ": " + refused_advice() : "";
    return std::unexpected(Error(refused ? ErrorKind::auth : ErrorKind::http_status,
                                 fmt::format("{} answered HTTP {} ({}){}", shown, response.status,
                                             request.url, advice))
                               .with_http_status(response.status));
  }
  return xmlrpc::decode_response(response.body, shown);
}

std::string KojiClient::refused_advice() const {
  if (!m_settings.has_credentials) {
    return "Koji needs a login, and there is " + m_settings.credentials;
  }
  return fmt::format("the hub did not accept {}: is it current, and for this Koji ({})?",
                     m_settings.credentials, m_settings.hub_url);
}

Error KojiClient::fault_error(std::string_view method, const Fault& fault) const {
  ErrorKind kind = ErrorKind::http_status;
  std::string advice;
  if (is_auth_fault(fault)) {
    kind = ErrorKind::auth;
    advice = "; " + refused_advice();
  } else if (fault.code == k_action_not_allowed) {
    kind = ErrorKind::refused;
    advice = fmt::format("; Koji's policy or permissions do not let {} do this (the hub's admins "
                         "decide; for Fedora, release engineering)",
                         m_user_name.empty() ? "this user" : m_user_name);
  } else if (fault.code == k_sequence_error || fault.code == k_retry_error) {
    kind = ErrorKind::conflict;
  } else if (fault.code == k_server_offline) {
    kind = ErrorKind::network;
    advice = "; Koji is down for maintenance, try again later";
  }
  return Error(kind, fmt::format("Koji {} failed: {} ({} {}){}", method, fault.message,
                                 fault_name(fault.code), fault.code, advice));
}

// ---- sessions --------------------------------------------------------------------------------

Status KojiClient::open_session(bool renew) {
  m_session.reset();
  FERRY_TRY_ASSIGN(Reply reply, exchange("sslLogin", {}, true));
  if (const Fault* fault = std::get_if<Fault>(&reply)) {
    return std::unexpected(
        Error(ErrorKind::auth,
              fmt::format("Koji refused the login at {}/ssllogin with {}: {} ({} {}); {}",
                          m_settings.hub_url, m_settings.credentials, fault->message,
                          fault_name(fault->code), fault->code, login_advice(fault->message))));
  }
  const Value& info = std::get<Value>(reply);
  auto id = info.int_member("session-id");
  auto key = info.string_member("session-key");
  if (!id || !key || key->empty()) {
    return malformed("sslLogin", "no session-id and session-key");
  }
  infra::log::logger().register_secret(*key);
  m_session = Session{*id, *key, 0};
  FERRY_TRY_ASSIGN(Value user, call("getLoggedInUser"));
  auto name = user.string_member("name");
  if (!name) {
    m_session.reset();
    return fail(ErrorKind::auth, "Koji accepted the login but getLoggedInUser knows no user");
  }
  m_user_name = *name;
  m_user_id = user.int_member("id");
  infra::log::info("koji: {} as {}", renew ? "logged in again" : "logged in", m_user_name);
  return {};
}

Status KojiClient::login() {
  return open_session(false);
}

Status KojiClient::ensure_logged_in() {
  return m_session ? Status{} : open_session(false);
}

Status KojiClient::logout() {
  if (!m_session) {
    return {};
  }
  auto result = call("logout");
  m_session.reset();
  m_user_name.clear();
  m_user_id.reset();
  return result ? Status{} : std::unexpected(result.error());
}

// ---- calls -----------------------------------------------------------------------------------

Result<Reply> KojiClient::call_reply(std::string_view method, const Array& params) {
  FERRY_TRY_ASSIGN(Reply reply, exchange(method, params, false));
  if (const Fault* fault = std::get_if<Fault>(&reply);
      fault != nullptr && fault->code == k_auth_expired && m_session) {
    // An expired session did not run the call: log in afresh and send it once more.
    FERRY_TRY(open_session(true));
    FERRY_TRY_ASSIGN(reply, exchange(method, params, false));
  }
  return reply;
}

Result<Value> KojiClient::call_once(std::string_view method, const Array& params) {
  FERRY_TRY_ASSIGN(Reply reply, call_reply(method, params));
  if (const Fault* fault = std::get_if<Fault>(&reply)) {
    return std::unexpected(fault_error(method, *fault));
  }
  return std::get<Value>(std::move(reply));
}

Result<Value> KojiClient::call(std::string_view method, Array args, Struct kwargs) {
  return call_once(method, xmlrpc::with_kwargs(std::move(args), std::move(kwargs)));
}

Result<std::vector<Reply>> KojiClient::multicall(const std::vector<xmlrpc::MethodCall>& calls) {
  Array entries;
  for (const xmlrpc::MethodCall& one : calls) {
    entries.emplace_back(Struct{{"methodName", one.method}, {"params", one.params}});
  }
  FERRY_TRY_ASSIGN(Value results, call("system.multicall", Array{Value(std::move(entries))}));
  return xmlrpc::decode_multicall_results(results, "Koji system.multicall");
}

// ---- builds and tasks ------------------------------------------------------------------------

Result<std::int64_t> KojiClient::submit_build(std::string_view scm_url, std::string_view target,
                                              const BuildOptions& options) {
  FERRY_TRY(ensure_logged_in());
  Struct opts{{"scratch", options.scratch}, {"skip_tag", options.skip_tag}};
  if (options.fail_fast) {
    opts.set("fail_fast", *options.fail_fast);
  }
  if (options.wait_repo) {
    opts.set("wait_repo", *options.wait_repo);
  }
  Array params{Value(scm_url), Value(target), Value(std::move(opts))};
  FERRY_TRY_ASSIGN(Reply submitted, call_reply("build", params));
  if (const Fault* fault = std::get_if<Fault>(&submitted)) {
    if (fault->code != k_retry_error) {
      return std::unexpected(fault_error("build", *fault));
    }
    // RetryError: an attempt whose answer was lost did create the task.
    FERRY_TRY_ASSIGN(auto found, find_submitted_build(scm_url, target));
    if (!found) {
      return fail(ErrorKind::conflict,
                  fmt::format("Koji ran build({}, {}) but its answer was lost, and no build task "
                              "of {} for it was found; look at {}/tasks?owner={} before retrying",
                              scm_url, target, m_user_name, web_url(), m_user_name));
    }
    infra::log::info("koji: the lost answer of build({}, {}) was task {}", scm_url, target, *found);
    return *found;
  }
  const Value& task_id = std::get<Value>(submitted);
  if (task_id.as_int() == nullptr) {
    return malformed("build", "the task id is a " + std::string(to_string(task_id.type())));
  }
  infra::log::info("koji: build of {} for {} is task {} ({})", scm_url, target, *task_id.as_int(),
                   task_url(*task_id.as_int()));
  return *task_id.as_int();
}

Result<std::optional<std::int64_t>> KojiClient::find_submitted_build(std::string_view scm_url,
                                                                     std::string_view target) {
  if (!m_user_id) {
    return std::optional<std::int64_t>{};
  }
  FERRY_TRY_ASSIGN(auto task, find_build_task(scm_url, target, std::chrono::hours(1), true));
  return task ? std::optional<std::int64_t>(task->id) : std::optional<std::int64_t>{};
}

Result<std::optional<Task>> KojiClient::find_build_task(std::string_view scm_url,
                                                        std::string_view target,
                                                        std::chrono::hours window,
                                                        bool include_closed) {
  FERRY_TRY(ensure_logged_in());
  if (!m_user_id) {
    return std::optional<Task>{};
  }
  Array states{Value(std::int64_t{0}), Value(std::int64_t{1}), Value(std::int64_t{4})};
  if (include_closed) {
    states.emplace_back(std::int64_t{2});
  }
  double since = unix_now() - std::chrono::duration<double>(window).count();
  Struct opts{{"owner", *m_user_id},
              {"method", "build"},
              {"state", Value(std::move(states))},
              {"createdAfter", since},
              {"decode", true}};
  // Koji: listTasks(opts={owner, method, state, createdAfter, decode}, queryOpts={order})
  FERRY_TRY_ASSIGN(Value tasks, call("listTasks", Array{Value(std::move(opts)),
                                                        Value(Struct{{"order", "-id"}})}));
  const Array* list = tasks.as_array();
  if (list == nullptr) {
    return malformed("listTasks", "not a list of tasks");
  }
  for (const Value& item : *list) {
    const Value* request = item.member("request");
    const Array* args = request == nullptr ? nullptr : request->as_array();
    if (args != nullptr && args->size() >= 2 && (*args)[0] == Value(scm_url) &&
        (*args)[1] == Value(target)) {
      FERRY_TRY_ASSIGN(Task task, parse_task(item));
      return std::optional<Task>(std::move(task));
    }
  }
  return std::optional<Task>{};
}

Result<std::vector<Build>> KojiClient::builds_from_source(std::string_view package,
                                                          std::string_view scm_url) {
  // Koji: listBuilds(prefix="<package>-", queryOpts={order: -build_id, limit}) then by source
  FERRY_TRY_ASSIGN(Value listed,
                   call("listBuilds", {},
                        Struct{{"prefix", std::string(package) + "-"},
                               {"queryOpts", Struct{{"order", "-build_id"}, {"limit", 200}}}}));
  FERRY_TRY_ASSIGN(std::vector<Build> builds, parse_builds(listed, "listBuilds"));
  std::vector<Build> matching;
  for (Build& build : builds) {
    bool live = build.state == BuildState::building || build.state == BuildState::complete;
    if (live && build.name == package && build.source == scm_url) {
      matching.push_back(std::move(build));
    }
  }
  std::sort(matching.begin(), matching.end(),
            [](const Build& a, const Build& b) { return a.id > b.id; });
  return matching;
}

Result<std::optional<Task>> KojiClient::task(std::int64_t task_id) {
  FERRY_TRY_ASSIGN(Value info, call("getTaskInfo", Array{Value(task_id)}));
  if (info.is_nil()) {
    return std::optional<Task>{};
  }
  FERRY_TRY_ASSIGN(Task parsed, parse_task(info));
  return std::optional<Task>(std::move(parsed));
}

Result<Task> KojiClient::wait_for_task(std::int64_t task_id) {
  const PollPolicy& poll = m_settings.poll;
  std::chrono::milliseconds delay = poll.first_interval;
  std::chrono::milliseconds waited{0};
  std::optional<TaskState> last_state;
  int failed_polls = 0;
  while (true) {
    auto current = task(task_id);
    if (!current && is_transient(current.error()) && ++failed_polls < k_max_failed_polls) {
      infra::log::warning("koji: could not ask about task {} ({}); asking again later", task_id,
                          current.error().describe());
    } else {
      FERRY_TRY_ASSIGN(std::optional<Task> info, std::move(current));
      failed_polls = 0;
      if (!info) {
        return fail(ErrorKind::not_found, fmt::format("Koji knows no task {}", task_id));
      }
      if (info->state != last_state) {
        infra::log::info("koji: task {} is {}", task_id, to_string(info->state));
        last_state = info->state;
      }
      if (is_finished(info->state)) {
        return *info;
      }
    }
    if (waited >= poll.timeout) {
      return fail(ErrorKind::timeout,
                  fmt::format("Koji task {} is still {} after {} minutes; see {}", task_id,
                              last_state ? to_string(*last_state) : "unknown",
                              std::chrono::duration_cast<std::chrono::minutes>(waited).count(),
                              task_url(task_id)));
    }
    m_settings.sleep(delay);
    waited += delay;
    delay = std::min(poll.max_interval, std::chrono::milliseconds(static_cast<std::int64_t>(
                                            static_cast<double>(delay.count()) * poll.factor)));
  }
}

Result<std::string> KojiClient::task_failure(std::int64_t task_id) {
  FERRY_TRY_ASSIGN(Reply reply, exchange("getTaskResult", Array{Value(task_id)}, false));
  if (const Fault* fault = std::get_if<Fault>(&reply)) {
    return fault->message;
  }
  return std::string("the task did not report a failure");
}

Result<BuildOutcome> KojiClient::build_and_wait(std::string_view scm_url, std::string_view target,
                                                const BuildOptions& options) {
  FERRY_TRY_ASSIGN(std::int64_t task_id, submit_build(scm_url, target, options));
  return watch_build(task_id, target, options.scratch);
}

Result<BuildOutcome> KojiClient::watch_build(std::int64_t task_id, std::string_view target,
                                             bool scratch) {
  BuildOutcome outcome{task_id, task_url(task_id), std::nullopt};
  FERRY_TRY_ASSIGN(Task finished, wait_for_task(task_id));
  if (finished.state == TaskState::failed) {
    std::string reason = one_line(task_failure(task_id).value_or("the reason could not be read"));
    return fail(ErrorKind::process, fmt::format("Koji build task {} for {} failed: {} (see {})",
                                                task_id, target, reason, outcome.task_url));
  }
  if (finished.state == TaskState::canceled) {
    return fail(ErrorKind::process, fmt::format("Koji build task {} for {} was canceled (see {})",
                                                task_id, target, outcome.task_url));
  }
  FERRY_TRY_ASSIGN(std::vector<Build> builds, builds_of_task(task_id));
  if (!builds.empty()) {
    outcome.build = builds.front();
    infra::log::info("koji: task {} built {}", task_id, outcome.build->nvr);
  } else if (!scratch) {
    return malformed("listBuilds", fmt::format("task {} closed but no build records it (see {})",
                                               task_id, outcome.task_url));
  }
  return outcome;
}

Result<std::vector<Build>> KojiClient::builds_of_task(std::int64_t task_id) {
  FERRY_TRY_ASSIGN(Value builds, call("listBuilds", {}, Struct{{"taskID", task_id}}));
  return parse_builds(builds, "listBuilds");
}

Result<std::optional<Build>> KojiClient::build_info(std::string_view nvr) {
  FERRY_TRY_ASSIGN(Value build, call("getBuild", Array{Value(nvr)}));
  if (build.is_nil()) {
    return std::optional<Build>{};
  }
  FERRY_TRY_ASSIGN(Build parsed, parse_build(build, "getBuild"));
  return std::optional<Build>(std::move(parsed));
}

Result<std::vector<Build>> KojiClient::latest_builds(std::string_view tag,
                                                     std::string_view package) {
  FERRY_TRY_ASSIGN(Value builds,
                   call("getLatestBuilds", Array{Value(tag)}, Struct{{"package", package}}));
  return parse_builds(builds, "getLatestBuilds");
}

Result<std::vector<Build>> KojiClient::tagged_builds(std::string_view tag, std::string_view package,
                                                     bool latest, bool inherit) {
  FERRY_TRY_ASSIGN(Value builds,
                   call("listTagged", Array{Value(tag)},
                        Struct{{"package", package}, {"latest", latest}, {"inherit", inherit}}));
  return parse_builds(builds, "listTagged");
}

Result<std::vector<Build>> KojiClient::tagged_builds(std::string_view tag, bool latest) {
  FERRY_TRY_ASSIGN(Value builds, call("listTagged", Array{Value(tag)}, Struct{{"latest", latest}}));
  return parse_builds(builds, "listTagged");
}

Result<std::optional<BuildTarget>> KojiClient::build_target(std::string_view name) {
  FERRY_TRY_ASSIGN(Value target, call("getBuildTarget", Array{Value(name)}));
  if (target.is_nil()) {
    return std::optional<BuildTarget>{};
  }
  auto id = target.int_member("id");
  auto build_tag = target.string_member("build_tag_name");
  auto dest_tag = target.string_member("dest_tag_name");
  if (!id || !build_tag || !dest_tag) {
    return malformed("getBuildTarget", "a target without id, build_tag_name or dest_tag_name");
  }
  return std::optional<BuildTarget>(BuildTarget{
      *id, target.string_member("name").value_or(std::string(name)), *build_tag, *dest_tag});
}

Result<SideTag> KojiClient::create_side_tag(std::string_view base_tag) {
  FERRY_TRY(ensure_logged_in());
  FERRY_TRY_ASSIGN(Reply created, call_reply("createSideTag", Array{Value(base_tag)}));
  if (const Fault* fault = std::get_if<Fault>(&created)) {
    if (fault->code != k_retry_error) {
      return std::unexpected(fault_error("createSideTag", *fault));
    }
    // RetryError: the lost attempt created it; side tag ids grow, so it is the newest of ours.
    FERRY_TRY_ASSIGN(std::vector<SideTag> ours, side_tags(base_tag, m_user_name));
    if (ours.empty()) {
      return std::unexpected(fault_error("createSideTag", *fault));
    }
    return *std::max_element(ours.begin(), ours.end(),
                             [](const SideTag& a, const SideTag& b) { return a.id < b.id; });
  }
  const Value& tag = std::get<Value>(created);
  FERRY_TRY_ASSIGN(SideTag side_tag, parse_side_tag(tag, "createSideTag"));
  infra::log::info("koji: created side tag {} from {}", side_tag.name, base_tag);
  return side_tag;
}

Result<std::vector<SideTag>> KojiClient::side_tags(std::string_view base_tag,
                                                   std::optional<std::string> user) {
  Struct kwargs{{"basetag", base_tag}};
  if (user) {
    kwargs.set("user", *user);
  }
  FERRY_TRY_ASSIGN(Value tags, call("listSideTags", {}, std::move(kwargs)));
  const Array* list = tags.as_array();
  if (list == nullptr) {
    return malformed("listSideTags", "not a list of side tags");
  }
  std::vector<SideTag> side_tags;
  for (const Value& item : *list) {
    FERRY_TRY_ASSIGN(SideTag tag, parse_side_tag(item, "listSideTags"));
    side_tags.push_back(std::move(tag));
  }
  return side_tags;
}

} // namespace ferry::clients::fedora::koji
