#include "fakes/fake_koji.hpp"

#include "infra/util/encoding.hpp"
#include "support/kerberos_realm.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <random>
#include <set>
#include <stdexcept>

namespace ferry::testing {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---- the wire: XML-RPC <-> JSON ---------------------------------------------------------------
// (the hub's Python marshaller: ints as <int> or <i8> past 32 bits, None as <nil/>, dicts as
// structs; dateTime and base64 arrive as strings)

struct KojiFault {
  std::int64_t code;
  std::string message;
};

[[noreturn]] void parse_error(const std::string& what) {
  throw KojiFault{1, "<class 'xml.parsers.expat.ExpatError'>: " + what};
}

std::string node_text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

std::string stripped(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

json read_value(pugi::xml_node value) {
  pugi::xml_node typed =
      value.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
  if (!typed) {
    return node_text(value);
  }
  std::string tag = typed.name();
  std::string text = node_text(typed);
  if (tag == "string" || tag == "dateTime.iso8601") {
    return text;
  }
  if (tag == "int" || tag == "i4" || tag == "i8") {
    std::string digits = stripped(text);
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      parse_error("bad integer '" + digits + "'");
    }
    return number;
  }
  if (tag == "boolean") {
    std::string flag = stripped(text);
    if (flag != "0" && flag != "1") {
      parse_error("bad boolean value");
    }
    return flag == "1";
  }
  if (tag == "double") {
    return std::stod(stripped(text));
  }
  if (tag == "nil") {
    return nullptr;
  }
  if (tag == "base64") {
    return infra::util::base64_decode(text).value_or("");
  }
  if (tag == "array") {
    json items = json::array();
    for (pugi::xml_node item : typed.child("data").children("value")) {
      items.push_back(read_value(item));
    }
    return items;
  }
  if (tag == "struct") {
    json object = json::object();
    for (pugi::xml_node member : typed.children("member")) {
      object[node_text(member.child("name"))] = read_value(member.child("value"));
    }
    return object;
  }
  parse_error("unknown tag " + tag);
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c == '&'   ? std::string("&amp;")
           : c == '<' ? std::string("&lt;")
           : c == '>' ? std::string("&gt;")
                      : std::string(1, c);
  }
  return out;
}

void write_value(const json& value, std::string& out) {
  switch (value.type()) {
  case json::value_t::null:
    out += "<value><nil/></value>";
    break;
  case json::value_t::boolean:
    out += fmt::format("<value><boolean>{}</boolean></value>\n", value.get<bool>() ? 1 : 0);
    break;
  case json::value_t::number_integer:
  case json::value_t::number_unsigned: {
    auto number = value.get<std::int64_t>();
    bool wide = number > 2147483647LL || number < -2147483648LL;
    out += fmt::format("<value><{0}>{1}</{0}></value>\n", wide ? "i8" : "int", number);
    break;
  }
  case json::value_t::number_float: {
    std::string text = fmt::format("{}", value.get<double>());
    if (text.find_first_of(".e") == std::string::npos) {
      text += ".0";
    }
    out += "<value><double>" + text + "</double></value>\n";
    break;
  }
  case json::value_t::string:
    out += "<value><string>" + escape(value.get<std::string>()) + "</string></value>\n";
    break;
  case json::value_t::array:
    out += "<value><array><data>\n";
    for (const json& item : value) {
      write_value(item, out);
    }
    out += "</data></array></value>\n";
    break;
  default:
    out += "<value><struct>\n";
    for (const auto& [name, member] : value.items()) {
      out += "<member>\n<name>" + escape(name) + "</name>\n";
      write_value(member, out);
      out += "</member>\n";
    }
    out += "</struct></value>\n";
  }
}

TestResponse xml_response(const std::string& body) {
  return TestResponse{200, {{"Content-Type", "text/xml"}, {"Koji-Version", "1.35.3"}}, body};
}

std::string response_body(const json& value) {
  std::string out = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n";
  write_value(value, out);
  return out + "</param>\n</params>\n</methodResponse>\n";
}

std::string fault_body(std::int64_t code, const std::string& message) {
  std::string out = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n";
  write_value(json{{"faultCode", code}, {"faultString", message}}, out);
  return out + "</fault>\n</methodResponse>\n";
}

// ---- binding arguments as Python does ---------------------------------------------------------

struct Param {
  const char* name;
  json fallback;
  bool required = false;
};

// koji.decode_args + call_with_argcheck: positional params, then the __starstar kwargs struct.
json bind_args(const std::string& method, json params, const std::vector<Param>& spec) {
  json kwargs = json::object();
  if (!params.empty() && params.back().is_object() && params.back().value("__starstar", false)) {
    kwargs = params.back();
    kwargs.erase("__starstar");
    params.erase(params.size() - 1);
  }
  if (params.size() > spec.size()) {
    throw KojiFault{1019, fmt::format("{}() takes {} positional arguments but {} were given",
                                      method, spec.size(), params.size())};
  }
  json bound = json::object();
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (i < params.size()) {
      bound[spec[i].name] = params[i];
    }
  }
  for (const auto& [name, value] : kwargs.items()) {
    bool known =
        std::any_of(spec.begin(), spec.end(), [&](const Param& p) { return p.name == name; });
    if (!known) {
      throw KojiFault{1019,
                      fmt::format("{}() got an unexpected keyword argument '{}'", method, name)};
    }
    bound[name] = value;
  }
  for (const Param& param : spec) {
    if (!bound.contains(param.name)) {
      if (param.required) {
        throw KojiFault{1019, fmt::format("{}() missing 1 required positional argument: '{}'",
                                          method, param.name)};
      }
      bound[param.name] = param.fallback;
    }
  }
  return bound;
}

std::string timestamp_text(double ts) {
  std::time_t seconds = static_cast<std::time_t>(ts);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &utc);
  return fmt::format("{}.{:06d}+00:00", buffer,
                     static_cast<int>((ts - std::floor(ts)) * 1'000'000));
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool is_write(const std::string& method) {
  static const std::set<std::string> writes = {
      "build", "createSideTag", "removeSideTag", "cancelTask", "tagBuild", "untagBuild", "logout"};
  return writes.count(method) > 0;
}

// "git+https://host/rpms/python-foo.git#<sha>" -> "python-foo"
std::string package_of(const std::string& src) {
  std::string path = src.substr(0, src.find('#'));
  std::string name = path.substr(path.rfind('/') + 1);
  return name.ends_with(".git") ? name.substr(0, name.size() - 4) : name;
}

// The per-request context the hub's Session object holds.
struct Context {
  std::string path;
  std::optional<std::string> remote_user; // a verified Negotiate principal at /ssllogin
  std::optional<std::int64_t> session_id;
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> callnum;
  bool wrote = false; // a write succeeded: the call number is stored
};

} // namespace

// ---- state ------------------------------------------------------------------------------------

struct FakeKoji::State {
  struct Session {
    std::string key;
    std::int64_t user_id = 0;
    std::optional<std::int64_t> callnum;
    bool expired = false;
  };
  struct TaskRecord {
    json info;
    Clock::time_point created;
    std::optional<std::string> failure;
    std::optional<std::int64_t> build_id;
  };
  struct Script {
    std::string version = "1.0";
    std::string release = "1";
    std::optional<std::string> failure;
  };

  std::map<std::int64_t, json> users; // id -> {id, name, krb_principals, ...}
  std::map<std::int64_t, Session> sessions;
  std::map<std::string, json> tags;    // name -> tag struct
  std::map<std::string, json> targets; // name -> target struct
  std::vector<json> builds;
  std::map<std::int64_t, TaskRecord> tasks;
  std::map<std::string, std::vector<std::int64_t>> tagged; // tag -> build ids, oldest first
  std::map<std::string, Script> scripts;
  std::vector<Call> calls;
  std::int64_t next_user = 1001, next_session = 81234, next_tag = 100, next_target = 10,
               next_build = 1672055, next_task = 124577301, next_package = 31141,
               next_event = 67495748;
  std::map<std::string, std::int64_t> packages;
  std::size_t build_tasks = 0;
  std::mt19937_64 random{42};
  Options options;

  explicit State(Options given) : options(std::move(given)) {}

  void check_session(const TestRequest& request, const std::string& method, Context& context);
  json dispatch(const std::string& method, const json& params, Context& context);
  json call_method(const std::string& method, const json& params, Context& context);
  json multicall(const json& params, Context& context);
  json ssl_login(const json& params, Context& context);
  json submit_build(const json& params, Context& context);
  json task_info(const json& params);
  json task_result(const json& params);
  json cancel_task(const json& params, Context& context);
  json list_tasks(const json& params);
  json list_builds(const json& params);
  json get_build(const json& params);
  json list_tagged(const std::string& method, const json& args);
  json create_side_tag(const json& params, Context& context);
  json list_side_tags(const json& params);
  json remove_side_tag(const json& params, Context& context);
  TaskRecord& task_of(const json& id);
  const json& tag_of(const json& info);
  json user_json(std::int64_t id) const;

  std::optional<std::int64_t> user_by(const std::string& who) const {
    for (const auto& [id, user] : users) {
      if (user["name"] == who) {
        return id;
      }
      for (const json& principal : user["krb_principals"]) {
        if (principal == who) {
          return id;
        }
      }
    }
    return std::nullopt;
  }

  std::int64_t package_id(const std::string& name) {
    auto [it, added] = packages.emplace(name, next_package);
    if (added) {
      ++next_package;
    }
    return it->second;
  }

  json& add_tag(const std::string& name, json extra = json::object()) {
    auto it = tags.find(name);
    if (it == tags.end()) {
      std::int64_t id = next_tag++;
      it = tags.emplace(name, json{{"id", id},
                                   {"name", name},
                                   {"arches", "x86_64"},
                                   {"locked", false},
                                   {"perm", nullptr},
                                   {"perm_id", nullptr},
                                   {"maven_support", false},
                                   {"extra", extra}})
               .first;
    }
    return it->second;
  }

  json& make_build(const std::string& name, const std::string& version, const std::string& release,
                   int state, std::optional<std::int64_t> task_id, const std::string& source,
                   const json& owner) {
    double now = unix_now();
    json build = {
        {"build_id", next_build},
        {"id", next_build},
        {"package_id", package_id(name)},
        {"package_name", name},
        {"name", name},
        {"version", version},
        {"release", release},
        {"epoch", nullptr},
        {"nvr", name + "-" + version + "-" + release},
        {"draft", false},
        {"state", state},
        {"task_id", task_id ? json(*task_id) : json(nullptr)},
        {"owner_id", owner.value("id", json(nullptr))},
        {"owner_name", owner.value("name", json(nullptr))},
        {"volume_id", 0},
        {"volume_name", "DEFAULT"},
        {"source", source.empty() ? json(nullptr) : json(source)},
        {"extra", source.empty() ? json(nullptr) : json{{"source", {{"original_url", source}}}}},
        {"creation_event_id", next_event++},
        {"creation_time", timestamp_text(now)},
        {"creation_ts", now},
        {"start_time", timestamp_text(now)},
        {"start_ts", now},
        {"completion_time", nullptr},
        {"completion_ts", nullptr},
        {"cg_id", nullptr},
        {"cg_name", nullptr}};
    ++next_build;
    builds.push_back(std::move(build));
    return builds.back();
  }

  json* build_by_id(std::int64_t id) {
    for (json& build : builds) {
      if (build["build_id"] == id) {
        return &build;
      }
    }
    return nullptr;
  }

  void complete_build(json& build, int state) {
    double now = unix_now();
    build["state"] = state;
    build["completion_time"] = timestamp_text(now);
    build["completion_ts"] = now;
  }

  // Moves a task along its timeline: FREE -> OPEN (build BUILDING) -> CLOSED/FAILED.
  void advance(TaskRecord& task) {
    json& info = task.info;
    int state = info["state"];
    if (state == 3 || state == 2 || state == 5) {
      return;
    }
    auto elapsed = Clock::now() - task.created;
    double now = unix_now();
    if (state == 0 && elapsed >= options.free_for) {
      info["state"] = 1;
      info["host_id"] = 1;
      info["start_time"] = timestamp_text(now);
      info["start_ts"] = now;
      start_build(task);
    }
    if (info["state"] == 1 && elapsed >= options.free_for + options.open_for) {
      finish_task(task, now);
    }
  }

  void start_build(TaskRecord& task) {
    const json& request = task.info["request"];
    std::string src = request[0];
    std::string target = request[1];
    if (src.find('#') == std::string::npos || !src.starts_with("git")) {
      task.failure = "Invalid SCM URL: " + src;
    } else if (targets.count(target) == 0) {
      task.failure = "unknown build target: " + target;
    }
    std::string package = package_of(src);
    Script script = scripts.count(package) > 0 ? scripts[package] : Script{};
    scripts.erase(package);
    bool scratch =
        request.size() > 2 && request[2].is_object() && request[2].value("scratch", false);
    if (task.failure) {
      return; // the source or target was refused before any build record existed
    }
    // A failure in the builder (mock) comes after the SRPM: the build record exists and fails.
    task.failure = script.failure;
    if (scratch) {
      return; // scratch builds leave no build record
    }
    json& build = make_build(package, script.version, script.release, 0, task.info["id"], src,
                             users[task.info["owner"]]);
    task.build_id = build["build_id"];
  }

  void finish_task(TaskRecord& task, double now) {
    json& info = task.info;
    info["state"] = task.failure ? 5 : 2;
    info["completion_time"] = timestamp_text(now);
    info["completion_ts"] = now;
    json* build = task.build_id ? build_by_id(*task.build_id) : nullptr;
    if (build == nullptr) {
      return;
    }
    complete_build(*build, task.failure ? 3 : 1);
    const json& request = info["request"];
    bool skip_tag =
        request.size() > 2 && request[2].is_object() && request[2].value("skip_tag", false);
    if (!task.failure && !skip_tag) {
      std::string dest = targets[request[1].get<std::string>()]["dest_tag_name"];
      tagged[dest].push_back(*task.build_id);
    }
  }
};

// ---- the hub's methods --------------------------------------------------------------------------

namespace {

std::int64_t as_id(const json& value, const char* what) {
  if (!value.is_number_integer()) {
    throw KojiFault{1000, fmt::format("Invalid type for {}: {}", what, value.dump())};
  }
  return value.get<std::int64_t>();
}

void require_login(const Context& context) {
  if (!context.user_id) {
    throw KojiFault{1004, "you must be logged in for this operation"};
  }
}

bool is_finished_state(int state) {
  return state == 2 || state == 3 || state == 5;
}

std::string request_xml(const json& params) {
  std::string out =
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>build</methodName>\n<params>\n";
  for (const json& param : params) {
    out += "<param>\n";
    write_value(param, out);
    out += "</param>\n";
  }
  return out + "</params>\n</methodCall>\n";
}

json listed(json build) {
  build.erase("id"); // list calls name the id build_id only, as the recordings show
  return build;
}

} // namespace

void FakeKoji::State::check_session(const TestRequest& request, const std::string& method,
                                    Context& context) {
  auto id_header = request.header("Koji-Session-Id");
  if (!id_header) {
    return; // anonymous
  }
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(id_header->data(), id_header->data() + id_header->size(), id);
  if (error != std::errc() || end != id_header->data() + id_header->size()) {
    throw KojiFault{1, "<class 'ValueError'>: invalid literal for int() with base 10: '" +
                           *id_header + "'"};
  }
  auto key = request.header("Koji-Session-Key");
  if (!key) {
    throw KojiFault{1, "<class 'KeyError'>: 'HTTP_KOJI_SESSION_KEY'"};
  }
  // The hub reads Koji-Callnum; koji's client sends Koji-Session-Callnum: either counts here.
  auto callnum_header = request.header("Koji-Callnum");
  if (!callnum_header) {
    callnum_header = request.header("Koji-Session-Callnum");
  }
  auto session = sessions.find(id);
  if (session == sessions.end() || session->second.key != *key) {
    throw KojiFault{1002, "Invalid session or bad credentials"};
  }
  if (session->second.expired && method != "sslLogin") {
    throw KojiFault{1007, fmt::format("session \"{}\" has expired", id)};
  }
  std::optional<std::int64_t> callnum;
  if (callnum_header) {
    std::int64_t number = 0;
    auto [cend, cerror] = std::from_chars(callnum_header->data(),
                                          callnum_header->data() + callnum_header->size(), number);
    if (cerror != std::errc() || cend != callnum_header->data() + callnum_header->size()) {
      throw KojiFault{1002, "Invalid callnum: '" + *callnum_header + "'"};
    }
    callnum = number;
    if (auto last = session->second.callnum) {
      if (*last > number) {
        throw KojiFault{1008, fmt::format("{} > {} (session {})", *last, number, id)};
      }
      if (*last == number) {
        throw KojiFault{1009, fmt::format("unable to retry call {} (method {}) for session {}",
                                          number, method, id)};
      }
    }
  }
  if (session->second.expired) {
    return;
  }
  context.session_id = id;
  context.user_id = session->second.user_id;
  context.callnum = callnum;
}

json FakeKoji::State::dispatch(const std::string& method, const json& params, Context& context) {
  if (method == "system.multicall" || method == "multiCall") {
    return multicall(params, context);
  }
  json result = call_method(method, params, context);
  if (is_write(method)) {
    context.wrote = true;
  }
  return result;
}

json FakeKoji::State::multicall(const json& params, Context& context) {
  json args = bind_args("multiCall", params, {{"calls", nullptr, true}});
  if (!args["calls"].is_array()) {
    throw KojiFault{1000, "multicall calls must be a list"};
  }
  json results = json::array();
  for (const json& call : args["calls"]) {
    try {
      if (!call.is_object() || !call.contains("methodName") || !call["methodName"].is_string()) {
        throw KojiFault{1, "<class 'KeyError'>: 'methodName'"};
      }
      std::string inner = call["methodName"];
      if (inner == "system.multicall" || inner == "multiCall") {
        throw KojiFault{1000, "recursive multicall not allowed"};
      }
      results.push_back(
          json::array({dispatch(inner, call.value("params", json::array()), context)}));
    } catch (const KojiFault& fault) {
      results.push_back(json{{"faultCode", fault.code}, {"faultString", fault.message}});
    }
  }
  return results;
}

json FakeKoji::State::call_method(const std::string& method, const json& params, Context& context) {
  if (method == "hello") {
    bind_args(method, params, {});
    return "Hello World";
  }
  if (method == "getAPIVersion") {
    bind_args(method, params, {});
    return 1;
  }
  if (method == "getKojiVersion") {
    bind_args(method, params, {});
    return "1.35.3";
  }
  if (method == "sslLogin") {
    return ssl_login(params, context);
  }
  if (method == "getLoggedInUser") {
    bind_args(method, params, {});
    return context.user_id ? user_json(*context.user_id) : json(nullptr);
  }
  if (method == "logout") {
    bind_args(method, params, {});
    if (context.session_id) {
      sessions.erase(*context.session_id);
    }
    return nullptr;
  }
  if (method == "build") {
    return submit_build(params, context);
  }
  if (method == "getTaskInfo") {
    return task_info(params);
  }
  if (method == "taskFinished") {
    json args = bind_args(method, params, {{"taskId", nullptr, true}});
    TaskRecord& task = task_of(args["taskId"]);
    advance(task);
    return is_finished_state(task.info["state"]);
  }
  if (method == "getTaskResult") {
    return task_result(params);
  }
  if (method == "cancelTask") {
    return cancel_task(params, context);
  }
  if (method == "listTasks") {
    return list_tasks(params);
  }
  if (method == "listBuilds") {
    return list_builds(params);
  }
  if (method == "getBuild") {
    return get_build(params);
  }
  if (method == "listTagged") {
    return list_tagged(method, bind_args(method, params,
                                         {{"tag", nullptr, true},
                                          {"event", nullptr},
                                          {"inherit", false},
                                          {"prefix", nullptr},
                                          {"latest", false},
                                          {"package", nullptr},
                                          {"owner", nullptr},
                                          {"type", nullptr},
                                          {"strict", true},
                                          {"extra", false},
                                          {"draft", nullptr}}));
  }
  if (method == "getLatestBuilds") {
    json args = bind_args(method, params,
                          {{"tag", nullptr, true},
                           {"event", nullptr},
                           {"package", nullptr},
                           {"type", nullptr},
                           {"draft", nullptr}});
    args["latest"] = true;
    args["inherit"] = true;
    args["strict"] = true;
    args["prefix"] = nullptr;
    args["owner"] = nullptr;
    return list_tagged(method, args);
  }
  if (method == "getBuildTarget") {
    json args =
        bind_args(method, params, {{"info", nullptr, true}, {"event", nullptr}, {"strict", false}});
    for (const auto& [name, target] : targets) {
      if (args["info"] == name || args["info"] == target["id"]) {
        return target;
      }
    }
    if (args["strict"].get<bool>()) {
      throw KojiFault{1000, "No such build target: " + args["info"].dump()};
    }
    return nullptr;
  }
  if (method == "getTag") {
    json args = bind_args(
        method, params,
        {{"tagInfo", nullptr, true}, {"strict", false}, {"event", nullptr}, {"blocked", false}});
    for (const auto& [name, tag] : tags) {
      if (args["tagInfo"] == name || args["tagInfo"] == tag["id"]) {
        return tag;
      }
    }
    if (args["strict"].get<bool>()) {
      throw KojiFault{1000, "No such tagInfo: " + args["tagInfo"].dump()};
    }
    return nullptr;
  }
  if (method == "createSideTag") {
    return create_side_tag(params, context);
  }
  if (method == "listSideTags") {
    return list_side_tags(params);
  }
  if (method == "removeSideTag") {
    return remove_side_tag(params, context);
  }
  throw KojiFault{1000, "Invalid method: " + method};
}

json FakeKoji::State::user_json(std::int64_t id) const {
  json user = users.at(id);
  user["authtype"] = 2; // GSSAPI
  return user;
}

json FakeKoji::State::ssl_login(const json& params, Context& context) {
  bind_args("sslLogin", params,
            {{"proxyuser", nullptr},
             {"proxyauthtype", nullptr},
             {"renew", false},
             {"exclusive", nullptr}});
  if (context.user_id) {
    throw KojiFault{1002, "Already logged in"};
  }
  if (context.path != "/kojihub/ssllogin" || !context.remote_user) {
    throw KojiFault{1002, "could not verify client: None"};
  }
  auto user = user_by(*context.remote_user);
  if (!user) {
    throw KojiFault{1002, "Unknown user: " + *context.remote_user};
  }
  static constexpr std::string_view alnum =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string key = std::to_string(*user) + "-";
  for (int i = 0; i < 19; ++i) {
    key += alnum[random() % alnum.size()];
  }
  std::int64_t id = next_session++;
  sessions[id] = Session{key, *user, std::nullopt, false};
  return json{{"session-id", id}, {"session-key", key}, {"header-auth", true}};
}

json FakeKoji::State::submit_build(const json& params, Context& context) {
  json args = bind_args("build", params,
                        {{"src", nullptr, true},
                         {"target", nullptr, true},
                         {"opts", nullptr},
                         {"priority", nullptr},
                         {"channel", nullptr}});
  require_login(context);
  if (!args["src"].is_string() || !args["target"].is_string()) {
    throw KojiFault{1000, "Invalid type for value: src and target must be strings"};
  }
  json opts = args["opts"].is_null() ? json::object() : args["opts"];
  if (!opts.is_object()) {
    throw KojiFault{1, "<class 'AttributeError'>: 'list' object has no attribute 'get'"};
  }
  if (args["priority"].is_number_integer() && args["priority"].get<std::int64_t>() < 0) {
    throw KojiFault{1004, "only admins may create high-priority tasks"};
  }
  double now = unix_now();
  std::int64_t id = next_task++;
  json info = {{"id", id},
               {"state", 0},
               {"create_time", timestamp_text(now)},
               {"create_ts", now},
               {"start_time", nullptr},
               {"start_ts", nullptr},
               {"completion_time", nullptr},
               {"completion_ts", nullptr},
               {"channel_id", 1},
               {"host_id", nullptr},
               {"parent", nullptr},
               {"label", nullptr},
               {"waiting", nullptr},
               {"awaited", nullptr},
               {"owner", *context.user_id},
               {"method", "build"},
               {"arch", "noarch"},
               {"priority", 20},
               {"weight", 0.2},
               {"request", json::array({args["src"], args["target"], opts})}};
  tasks[id] = TaskRecord{std::move(info), Clock::now(), std::nullopt, std::nullopt};
  ++build_tasks;
  return id;
}

FakeKoji::State::TaskRecord& FakeKoji::State::task_of(const json& id) {
  auto task = tasks.find(as_id(id, "task id"));
  if (task == tasks.end()) {
    throw KojiFault{1000, "No such task: " + id.dump()};
  }
  return task->second;
}

json FakeKoji::State::task_info(const json& params) {
  json args = bind_args("getTaskInfo", params,
                        {{"task_id", nullptr, true}, {"request", false}, {"strict", false}});
  auto one = [&](const json& id) -> json {
    auto task = tasks.find(as_id(id, "task id"));
    if (task == tasks.end()) {
      if (args["strict"].get<bool>()) {
        throw KojiFault{1000, "No such task: " + id.dump()};
      }
      return nullptr;
    }
    advance(task->second);
    json info = task->second.info;
    if (!args["request"].get<bool>()) {
      info.erase("request");
    }
    return info;
  };
  if (args["task_id"].is_array()) {
    json all = json::array();
    for (const json& id : args["task_id"]) {
      all.push_back(one(id));
    }
    return all;
  }
  return one(args["task_id"]);
}

json FakeKoji::State::task_result(const json& params) {
  json args =
      bind_args("getTaskResult", params, {{"taskId", nullptr, true}, {"raise_fault", true}});
  TaskRecord& task = task_of(args["taskId"]);
  advance(task);
  int state = task.info["state"];
  if (state == 5) {
    throw KojiFault{1, task.failure.value_or("task failed")};
  }
  if (state == 3) {
    throw KojiFault{1000, fmt::format("Task {} is canceled", task.info["id"].get<std::int64_t>())};
  }
  if (state != 2) {
    throw KojiFault{1000,
                    fmt::format("Task {} is not finished", task.info["id"].get<std::int64_t>())};
  }
  return nullptr;
}

json FakeKoji::State::cancel_task(const json& params, Context& context) {
  json args = bind_args("cancelTask", params, {{"task_id", nullptr, true}, {"recurse", true}});
  require_login(context);
  TaskRecord& task = task_of(args["task_id"]);
  advance(task);
  if (task.info["owner"] != *context.user_id) {
    throw KojiFault{1004, "Cannot cancel task, not owner"};
  }
  if (!is_finished_state(task.info["state"])) {
    double now = unix_now();
    task.info["state"] = 3;
    task.info["completion_time"] = timestamp_text(now);
    task.info["completion_ts"] = now;
    if (json* build = task.build_id ? build_by_id(*task.build_id) : nullptr) {
      complete_build(*build, 4);
    }
  }
  return nullptr;
}

json FakeKoji::State::list_tasks(const json& params) {
  json args = bind_args("listTasks", params, {{"opts", nullptr}, {"queryOpts", nullptr}});
  json opts = args["opts"].is_object() ? args["opts"] : json::object();
  json query = args["queryOpts"].is_object() ? args["queryOpts"] : json::object();
  json found = json::array();
  for (auto& [id, task] : tasks) {
    advance(task);
    const json& info = task.info;
    if (opts.contains("owner") && !opts["owner"].is_null()) {
      json owners = opts["owner"].is_array() ? opts["owner"] : json::array({opts["owner"]});
      if (std::find(owners.begin(), owners.end(), info["owner"]) == owners.end()) {
        continue;
      }
    }
    if (opts.contains("method") && !opts["method"].is_null() && opts["method"] != info["method"]) {
      continue;
    }
    if (opts.contains("state") && opts["state"].is_array() &&
        std::find(opts["state"].begin(), opts["state"].end(), info["state"]) ==
            opts["state"].end()) {
      continue;
    }
    if (opts.contains("createdAfter") && opts["createdAfter"].is_number() &&
        info["create_ts"].get<double>() <= opts["createdAfter"].get<double>()) {
      continue;
    }
    json shown = info;
    if (!opts.value("decode", false)) {
      shown["request"] = request_xml(info["request"]);
    }
    found.push_back(shown);
  }
  if (query.value("order", "") == "-id") {
    std::reverse(found.begin(), found.end());
  }
  return found;
}

json FakeKoji::State::list_builds(const json& params) {
  static const char* names[] = {
      "packageID", "userID",        "taskID",       "prefix",         "state",         "volumeID",
      "source",    "createdBefore", "createdAfter", "completeBefore", "completeAfter", "type",
      "typeInfo",  "queryOpts",     "pattern",      "cgID",           "draft"};
  std::vector<Param> spec;
  for (const char* name : names) {
    spec.push_back(Param{name, nullptr});
  }
  json args = bind_args("listBuilds", params, spec);
  for (auto& [id, task] : tasks) {
    advance(task);
  }
  json found = json::array();
  for (const json& build : builds) {
    if ((!args["taskID"].is_null() && build["task_id"] != args["taskID"]) ||
        (!args["packageID"].is_null() && build["package_id"] != args["packageID"]) ||
        (!args["userID"].is_null() && build["owner_id"] != args["userID"]) ||
        (!args["state"].is_null() && build["state"] != args["state"]) ||
        (args["prefix"].is_string() &&
         !build["nvr"].get<std::string>().starts_with(args["prefix"].get<std::string>()))) {
      continue;
    }
    found.push_back(listed(build));
  }
  return found;
}

json FakeKoji::State::get_build(const json& params) {
  json args = bind_args("getBuild", params, {{"buildInfo", nullptr, true}, {"strict", false}});
  for (auto& [id, task] : tasks) {
    advance(task);
  }
  const json& info = args["buildInfo"];
  for (const json& build : builds) {
    bool match = info.is_number_integer() ? build["build_id"] == info
                 : info.is_string()       ? build["nvr"] == info
                 : info.is_object()       ? build["name"] == info.value("name", json()) &&
                                          build["version"] == info.value("version", json()) &&
                                          build["release"] == info.value("release", json())
                                    : false;
    if (match) {
      return build;
    }
  }
  if (args["strict"].get<bool>()) {
    throw KojiFault{1000, "No such build: " + info.dump()};
  }
  return nullptr;
}

const json& FakeKoji::State::tag_of(const json& info) {
  for (const auto& [name, tag] : tags) {
    if (info == name || info == tag["id"]) {
      return tag;
    }
  }
  throw KojiFault{1000, "No such tagInfo: '" +
                            (info.is_string() ? info.get<std::string>() : info.dump()) + "'"};
}

json FakeKoji::State::list_tagged(const std::string& method, const json& args) {
  for (auto& [id, task] : tasks) {
    advance(task);
  }
  const json* tag = nullptr;
  try {
    tag = &tag_of(args["tag"]);
  } catch (const KojiFault&) {
    if (args["strict"].get<bool>()) {
      throw;
    }
    return json::array();
  }
  (void)method;
  std::string tag_name = (*tag)["name"];
  std::vector<std::int64_t> ids = tagged[tag_name];
  json found = json::array();
  std::set<std::string> seen;
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) { // newest first
    const json* build = build_by_id(*it);
    if (build == nullptr || (args["package"].is_string() && (*build)["name"] != args["package"]) ||
        (args["prefix"].is_string() &&
         !(*build)["name"].get<std::string>().starts_with(args["prefix"].get<std::string>())) ||
        (args["owner"].is_string() && (*build)["owner_name"] != args["owner"])) {
      continue;
    }
    if (args["latest"].get<bool>() && !seen.insert((*build)["name"]).second) {
      continue;
    }
    json entry = listed(*build);
    entry["tag_id"] = (*tag)["id"];
    entry["tag_name"] = tag_name;
    found.push_back(std::move(entry));
  }
  return found;
}

json FakeKoji::State::create_side_tag(const json& params, Context& context) {
  json args = bind_args("createSideTag", params,
                        {{"basetag", nullptr, true}, {"debuginfo", false}, {"suffix", nullptr}});
  require_login(context);
  const json& base = tag_of(args["basetag"]);
  if (!args["suffix"].is_null()) {
    throw KojiFault{1000, "Suffix " + args["suffix"].dump() + " is not allowed"};
  }
  std::string name = fmt::format("{}-side-{}", base["name"].get<std::string>(), next_tag);
  const json& user = users.at(*context.user_id);
  json& tag = add_tag(name, json{{"sidetag", true},
                                 {"sidetag_user", user["name"]},
                                 {"sidetag_user_id", user["id"]},
                                 {"sidetag_base", base["name"]}});
  targets[name] = json{{"id", next_target++},    {"name", name},          {"build_tag", tag["id"]},
                       {"build_tag_name", name}, {"dest_tag", tag["id"]}, {"dest_tag_name", name}};
  return json{{"name", name}, {"id", tag["id"]}};
}

json FakeKoji::State::list_side_tags(const json& params) {
  json args = bind_args("listSideTags", params,
                        {{"basetag", nullptr}, {"user", nullptr}, {"queryOpts", nullptr}});
  json found = json::array();
  for (const auto& [name, tag] : tags) {
    const json& extra = tag["extra"];
    if (!extra.value("sidetag", false) ||
        (!args["basetag"].is_null() && extra["sidetag_base"] != args["basetag"]) ||
        (!args["user"].is_null() && extra["sidetag_user"] != args["user"] &&
         extra["sidetag_user_id"] != args["user"])) {
      continue;
    }
    found.push_back(json{{"id", tag["id"]},
                         {"name", name},
                         {"user_id", extra["sidetag_user_id"]},
                         {"user_name", extra["sidetag_user"]}});
  }
  return found;
}

json FakeKoji::State::remove_side_tag(const json& params, Context& context) {
  json args = bind_args("removeSideTag", params, {{"sidetag", nullptr, true}});
  require_login(context);
  const json& tag = tag_of(args["sidetag"]);
  if (!tag["extra"].value("sidetag", false)) {
    throw KojiFault{1000, "Not a sidetag: " + tag["name"].get<std::string>()};
  }
  if (tag["extra"]["sidetag_user_id"] != *context.user_id) {
    throw KojiFault{1004, "This is not your sidetag"};
  }
  std::string name = tag["name"];
  targets.erase(name);
  tags.erase(name);
  return nullptr;
}

// ---- the fake ---------------------------------------------------------------------------------

FakeKoji::FakeKoji() : FakeKoji(Options{}) {}

FakeKoji::FakeKoji(Options options)
    : m_options(options), m_state(std::make_unique<State>(std::move(options))) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

FakeKoji::~FakeKoji() {
  m_server.reset(); // no handler runs once the state is gone
}

std::string FakeKoji::hub_url(const std::string& host) const {
  return "http://" + host + ":" + std::to_string(m_server->port()) + "/kojihub";
}

std::int64_t FakeKoji::add_user(const std::string& name, const std::string& krb_principal) {
  std::lock_guard lock(m_mutex);
  std::int64_t id = m_state->next_user++;
  json principals = json::array();
  if (!krb_principal.empty()) {
    principals.push_back(krb_principal);
  }
  m_state->users[id] = json{{"id", id},
                            {"name", name},
                            {"status", 0},
                            {"usertype", 0},
                            {"krb_principal", principals.empty() ? json(nullptr) : principals[0]},
                            {"krb_principals", principals}};
  return id;
}

void FakeKoji::add_tag(const std::string& name) {
  std::lock_guard lock(m_mutex);
  m_state->add_tag(name);
}

void FakeKoji::add_target(const std::string& name, const std::string& build_tag,
                          const std::string& dest_tag) {
  std::lock_guard lock(m_mutex);
  const json& build = m_state->add_tag(build_tag);
  const json& dest = m_state->add_tag(dest_tag);
  m_state->targets[name] =
      json{{"id", m_state->next_target++}, {"name", name},           {"build_tag", build["id"]},
           {"build_tag_name", build_tag},  {"dest_tag", dest["id"]}, {"dest_tag_name", dest_tag}};
}

void FakeKoji::add_build(const std::string& nvr, const std::string& tag, const std::string& owner) {
  std::lock_guard lock(m_mutex);
  std::size_t last = nvr.rfind('-');
  std::size_t middle = nvr.rfind('-', last - 1);
  json owner_json = json::object();
  if (auto id = m_state->user_by(owner)) {
    owner_json = m_state->users[*id];
  }
  json& build =
      m_state->make_build(nvr.substr(0, middle), nvr.substr(middle + 1, last - middle - 1),
                          nvr.substr(last + 1), 1, std::nullopt, "", owner_json);
  m_state->complete_build(build, 1);
  m_state->add_tag(tag);
  m_state->tagged[tag].push_back(build["build_id"]);
}

void FakeKoji::script_build(const std::string& package, const std::string& version,
                            const std::string& release) {
  std::lock_guard lock(m_mutex);
  m_state->scripts[package] = State::Script{version, release, std::nullopt};
}

void FakeKoji::fail_next_build(const std::string& package, const std::string& reason) {
  std::lock_guard lock(m_mutex);
  m_state->scripts[package].failure = reason;
}

void FakeKoji::expire_sessions() {
  std::lock_guard lock(m_mutex);
  for (auto& [id, session] : m_state->sessions) {
    session.expired = true;
  }
}

void FakeKoji::inject(const std::string& route_prefix, TestResponse response, int count,
                      bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

TestResponse FakeKoji::fault_response(std::int64_t code, const std::string& message) {
  return xml_response(fault_body(code, message));
}

std::vector<std::string> FakeKoji::tags_of(const std::string& nvr) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> found;
  for (const auto& [tag, ids] : m_state->tagged) {
    for (std::int64_t id : ids) {
      const json* build = m_state->build_by_id(id);
      if (build != nullptr && (*build)["nvr"] == nvr) {
        found.push_back(tag);
        break;
      }
    }
  }
  return found;
}

std::vector<std::string> FakeKoji::latest_in(const std::string& tag) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> found;
  std::set<std::string> packages;
  auto ids = m_state->tagged.find(tag);
  if (ids == m_state->tagged.end()) {
    return found;
  }
  for (auto it = ids->second.rbegin(); it != ids->second.rend(); ++it) {
    const json* build = m_state->build_by_id(*it);
    if (build != nullptr && packages.insert((*build)["name"].get<std::string>()).second) {
      found.push_back((*build)["nvr"]);
    }
  }
  return found;
}

std::optional<std::pair<std::string, std::string>>
FakeKoji::side_tag(const std::string& tag) const {
  std::lock_guard lock(m_mutex);
  auto found = m_state->tags.find(tag);
  if (found == m_state->tags.end() || !found->second["extra"].value("sidetag", false)) {
    return std::nullopt;
  }
  const json& extra = found->second["extra"];
  return std::pair<std::string, std::string>(extra.value("sidetag_user", ""),
                                             extra.value("sidetag_base", ""));
}

std::vector<FakeKoji::Call> FakeKoji::calls() const {
  std::lock_guard lock(m_mutex);
  return m_state->calls;
}

nlohmann::json FakeKoji::tasks() const {
  std::lock_guard lock(m_mutex);
  json all = json::object();
  for (const auto& [id, task] : m_state->tasks) {
    all[std::to_string(id)] = task.info;
  }
  return all;
}

nlohmann::json FakeKoji::builds() const {
  std::lock_guard lock(m_mutex);
  return m_state->builds;
}

std::size_t FakeKoji::build_tasks_created() const {
  std::lock_guard lock(m_mutex);
  return m_state->build_tasks;
}

TestResponse FakeKoji::handle(const TestRequest& request) {
  if (request.method != "POST" ||
      (request.path != "/kojihub" && request.path != "/kojihub/ssllogin")) {
    return TestResponse{404, {{"Content-Type", "text/plain"}}, "Not Found\n"};
  }
  std::optional<std::string> principal;
  std::string reply_token;
  if (request.path == "/kojihub/ssllogin" && m_options.negotiate_keytab) {
    // mod_auth_gssapi guards the location before the hub sees anything.
    principal = negotiated_principal(request, *m_options.negotiate_keytab, &reply_token);
    if (!principal) {
      return TestResponse{401,
                          {{"WWW-Authenticate", "Negotiate"}, {"Content-Type", "text/html"}},
                          "<title>401 Unauthorized</title>\n"};
    }
  }
  std::lock_guard lock(m_mutex);
  std::string method = "?";
  pugi::xml_document document;
  json params = json::array();
  if (document.load_buffer(request.body.data(), request.body.size())) {
    pugi::xml_node call = document.child("methodCall");
    method = stripped(node_text(call.child("methodName")));
  }
  TestRequest routed = request;
  routed.path = "/kojihub/" + method;
  TestResponse response = m_faults.answer(routed, [&] {
    Call record{method,        request.path,
                std::nullopt,  request.header("Koji-Session-Key"),
                std::nullopt,  request.header("Koji-Session-Callnum"),
                json::array(), std::nullopt};
    Context context{request.path, principal, std::nullopt, std::nullopt, std::nullopt, false};
    std::string body;
    try {
      if (!document.child("methodCall") || method.empty()) {
        parse_error("not a methodCall");
      }
      for (pugi::xml_node param : document.child("methodCall").child("params").children("param")) {
        params.push_back(read_value(param.child("value")));
      }
      record.params = params;
      m_state->check_session(request, method, context);
      record.session_id = context.session_id;
      record.callnum = context.callnum;
      json result = m_state->dispatch(method, params, context);
      if (context.wrote && context.session_id && context.callnum) {
        m_state->sessions[*context.session_id].callnum = context.callnum;
      }
      body = response_body(result);
    } catch (const KojiFault& fault) {
      record.fault_code = fault.code;
      body = fault_body(fault.code, fault.message);
    } catch (const std::exception& e) {
      record.fault_code = 1;
      body = fault_body(1, std::string("<class 'Exception'>: ") + e.what());
    }
    m_state->calls.push_back(std::move(record));
    TestResponse answer = xml_response(body);
    if (!reply_token.empty()) {
      answer.headers.emplace_back("WWW-Authenticate", reply_token);
    }
    return answer;
  });
  return response;
}

} // namespace ferry::testing
