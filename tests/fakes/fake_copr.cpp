#include "fakes/fake_copr.hpp"

#include "fakes/fake_http.hpp"
#include "fakes/multipart.hpp"

#include <algorithm>
#include <ctime>

namespace ferry::testing {

using nlohmann::json;

namespace {

const char* k_login_invalid = "Login invalid/expired. Please visit "
                              "https://copr.fedorainfracloud.org/api to get or renew your API "
                              "token.";

TestResponse copr_error(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

const json& field(const json& object, const char* key) {
  static const json k_null;
  return object.is_object() && object.contains(key) ? object[key] : k_null;
}

std::string text(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

} // namespace

FakeCopr::FakeCopr(std::chrono::milliseconds step)
    : m_step(step), m_mock_chroots({"fedora-rawhide-x86_64", "fedora-rawhide-aarch64",
                                    "fedora-42-x86_64", "fedora-42-aarch64", "fedora-41-x86_64",
                                    "fedora-41-aarch64", "fedora-40-x86_64", "epel-9-x86_64",
                                    "epel-10-x86_64", "centos-stream-9-x86_64"}) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

void FakeCopr::add_user(const std::string& login, const std::string& token, const std::string& name,
                        std::set<std::string> groups) {
  std::lock_guard lock(m_mutex);
  m_logins[login] = {token, name};
  m_groups[name] = std::move(groups);
}

void FakeCopr::fail_chroot(const std::string& chroot) {
  std::lock_guard lock(m_mutex);
  m_failing_chroots.insert(chroot);
}

void FakeCopr::inject(const std::string& route_prefix, TestResponse response, int count,
                      bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

json FakeCopr::projects() const {
  std::lock_guard lock(m_mutex);
  json all = json::array();
  for (const auto& [name, project] : m_projects) {
    all.push_back(project_json(project));
  }
  return all;
}

std::size_t FakeCopr::build_count() const {
  std::lock_guard lock(m_mutex);
  return m_builds.size();
}

json FakeCopr::builds() const {
  std::lock_guard lock(m_mutex);
  json all = json::array();
  for (const auto& [id, build] : m_builds) {
    json shown = build_json(build);
    shown["request"] = build.source;
    all.push_back(shown);
  }
  return all;
}

std::map<std::string, std::string> FakeCopr::uploads() const {
  std::lock_guard lock(m_mutex);
  return m_uploads;
}

TestResponse FakeCopr::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakeCopr::answer(const TestRequest& request) {
  if (!request.path.starts_with("/api_3/")) {
    return TestResponse{404, {{"Content-Type", "text/html"}}, "<h1>Not Found</h1>"};
  }
  std::string user;
  if (auto credentials = basic_credentials(request)) {
    auto login = m_logins.find(credentials->first);
    if (login == m_logins.end() || login->second.first != credentials->second) {
      return json_response(401, {{"output", "notok"}, {"error", k_login_invalid}});
    }
    user = login->second.second;
  }
  bool write = request.method != "GET";
  if (write && user.empty()) {
    return json_response(401, {{"output", "notok"}, {"error", k_login_invalid}});
  }
  return api(request, user);
}

bool FakeCopr::may_write(const std::string& user, const std::string& owner) const {
  if (owner.starts_with("@")) {
    auto groups = m_groups.find(user);
    return groups != m_groups.end() && groups->second.count(owner.substr(1)) > 0;
  }
  return owner == user;
}

TestResponse FakeCopr::api(const TestRequest& request, const std::string& user) {
  auto parts = split_path(request.path); // api_3, ...
  if (!parts.empty() && parts.back().empty()) {
    parts.pop_back(); // "/build/list/" and "/build/list" are one route (Flask redirects)
  }
  auto query = parse_query(request.query);
  const std::string& method = request.method;
  std::string route = parts.size() > 1 ? parts[1] : "";
  std::string action = parts.size() > 2 ? parts[2] : "";
  if (method == "GET" && route == "mock-chroots" && action == "list") {
    json chroots = json::object();
    for (const std::string& chroot : m_mock_chroots) {
      chroots[chroot] = "";
    }
    return json_response(200, chroots);
  }
  if (method == "GET" && route == "auth-check") {
    return json_response(200, {{"id", 1}, {"name", user}});
  }
  if (method == "GET" && route == "project" && parts.size() == 2) {
    auto project = m_projects.find(query["ownername"] + "/" + query["projectname"]);
    if (project == m_projects.end()) {
      return copr_error(404, "Project " + query["ownername"] + "/" + query["projectname"] +
                                 " does not exist.");
    }
    return json_response(200, project_json(project->second));
  }
  if (method == "POST" && route == "project" && action == "add" && parts.size() == 4) {
    return add_project(parts[3], user, parse_body(request), query["exist_ok"] == "True");
  }
  if ((method == "POST" || method == "PUT") && route == "project" && action == "edit" &&
      parts.size() == 5) {
    return edit_project(parts[3], parts[4], user, parse_body(request));
  }
  if (method == "POST" && route == "build" && action == "create" && parts.size() == 4) {
    if (parts[3] == "upload") {
      return upload_build(request, user);
    }
    if (parts[3] == "scm") {
      return create_build(user, parse_body(request), "scm");
    }
  }
  if (method == "PUT" && route == "build" && action == "cancel" && parts.size() == 4) {
    auto build = m_builds.find(std::atol(parts[3].c_str()));
    if (build == m_builds.end()) {
      return copr_error(404, "Build " + parts[3] + " does not exist.");
    }
    build->second.canceled = true;
    return json_response(200, build_json(build->second));
  }
  if (method == "GET" && route == "build" && action == "list") {
    return list_builds(query);
  }
  if (method == "GET" && route == "build" && action == "source-build-config" && parts.size() == 4) {
    auto build = m_builds.find(std::atol(parts[3].c_str()));
    if (build == m_builds.end()) {
      return copr_error(404, "Build " + parts[3] + " does not exist.");
    }
    const json& source = build->second.source;
    json source_dict = json::object();
    if (build->second.source_type == "scm") {
      source_dict = {{"type", text(source, "scm_type")},
                     {"clone_url", text(source, "clone_url")},
                     {"committish", text(source, "committish")},
                     {"subdirectory", text(source, "subdirectory")},
                     {"spec", text(source, "spec")},
                     {"srpm_build_method", text(source, "source_build_method")}};
    } else {
      source_dict = {{"pkg", build->second.package + ".src.rpm"}};
    }
    return json_response(
        200, {{"source_type", build->second.source_type},
              {"source_dict", source_dict},
              {"memory_limit", 2048},
              {"timeout", field(source, "timeout").is_number() ? source["timeout"] : json(18000)},
              {"is_background", false}});
  }
  if (method == "GET" && route == "build" && (action == "source-chroot" || parts.size() <= 4)) {
    std::string id_text = action == "source-chroot" ? (parts.size() > 3 ? parts[3] : "") : action;
    auto build = m_builds.find(std::atol(id_text.c_str()));
    if (build == m_builds.end()) {
      return copr_error(404, "Build " + id_text + " does not exist.");
    }
    if (action != "source-chroot") {
      return json_response(200, build_json(build->second));
    }
    auto elapsed = std::chrono::steady_clock::now() - build->second.submitted;
    return json_response(200, {{"state", elapsed < m_step / 2 ? "running" : "succeeded"},
                               {"result_url", url() + "/results/" + build->second.owner + "/" +
                                                  build->second.project + "/srpm-builds/0" +
                                                  std::to_string(build->second.id)}});
  }
  if (method == "GET" && route == "build-chroot" && action == "list") {
    auto build = m_builds.find(std::atol(query["build_id"].c_str()));
    if (build == m_builds.end()) {
      return copr_error(404, "Build " + query["build_id"] + " does not exist.");
    }
    json items = json::array();
    for (std::size_t i = 0; i < build->second.chroots.size(); ++i) {
      items.push_back(chroot_json(build->second, i));
    }
    return json_response(
        200,
        {{"items", items},
         {"meta", {{"limit", nullptr}, {"offset", 0}, {"order", "id"}, {"order_type", "ASC"}}}});
  }
  return copr_error(404, "Such API endpoint doesn't exist");
}

// Copr: GET /api_3/build/list/?ownername=&projectname=[&limit=&offset=&order=&order_type=]
TestResponse FakeCopr::list_builds(std::map<std::string, std::string> query) const {
  std::string owner = query["ownername"];
  std::string name = query["projectname"];
  if (m_projects.count(owner + "/" + name) == 0) {
    return copr_error(404, "Project " + owner + "/" + name + " does not exist.");
  }
  std::vector<const Build*> builds;
  for (const auto& [id, build] : m_builds) {
    if (build.owner == owner && build.project == name) {
      builds.push_back(&build);
    }
  }
  bool descending = query["order_type"] == "DESC";
  if (descending) {
    std::reverse(builds.begin(), builds.end());
  }
  std::size_t offset = query.count("offset") ? std::stoul(query["offset"]) : 0;
  std::size_t limit = query.count("limit") ? std::stoul(query["limit"]) : builds.size();
  json items = json::array();
  for (std::size_t i = offset; i < builds.size() && items.size() < limit; ++i) {
    items.push_back(build_json(*builds[i]));
  }
  json meta = {{"limit", query.count("limit") ? json(limit) : json(nullptr)},
               {"offset", offset},
               {"order", query.count("order") ? query["order"] : "id"},
               {"order_type", descending ? "DESC" : "ASC"}};
  return json_response(200, {{"items", items}, {"meta", meta}});
}

json FakeCopr::project_json(const json& project) const {
  std::string owner = project["ownername"];
  std::string name = project["name"];
  json repos = json::object();
  for (const json& chroot : project["chroots"]) {
    repos[chroot.get<std::string>()] =
        url() + "/results/" + owner + "/" + name + "/" + chroot.get<std::string>() + "/";
  }
  json shown = project;
  shown.erase("chroots");
  shown["chroot_repos"] = repos;
  return shown;
}

// Copr: POST /api_3/project/add/<owner>[?exist_ok=True]
TestResponse FakeCopr::add_project(const std::string& owner, const std::string& user,
                                   const json& body, bool exist_ok) {
  std::string name = text(body, "name");
  if (name.empty()) {
    return copr_error(400, "Bad request parameters: {'name': ['You must enter a name.']}");
  }
  if (!may_write(user, owner)) {
    return copr_error(403, "User '" + user + "' can not create projects for '" + owner + "'");
  }
  json chroots = field(body, "chroots").is_array() ? field(body, "chroots") : json::array();
  for (const json& chroot : chroots) {
    if (!chroot.is_string() || m_mock_chroots.count(chroot.get<std::string>()) == 0) {
      return copr_error(400, "Unexpected chroot: " +
                                 (chroot.is_string() ? chroot.get<std::string>() : chroot.dump()));
    }
  }
  std::string key = owner + "/" + name;
  auto existing = m_projects.find(key);
  if (existing != m_projects.end()) {
    if (exist_ok) {
      return json_response(200, project_json(existing->second));
    }
    return copr_error(409, "You already have a project named '" + name + "'.");
  }
  json project = {
      {"id", m_next_project_id++},
      {"name", name},
      {"ownername", owner},
      {"full_name", key},
      {"homepage", field(body, "homepage")},
      {"contact", field(body, "contact")},
      {"description", text(body, "description")},
      {"instructions", text(body, "instructions")},
      {"devel_mode", false},
      {"persistent", field(body, "persistent").is_boolean() && body["persistent"]},
      {"unlisted_on_hp",
       !field(body, "unlisted_on_hp").is_boolean() || body["unlisted_on_hp"].get<bool>()},
      {"auto_prune", true},
      {"additional_repos",
       field(body, "additional_repos").is_array() ? body["additional_repos"] : json::array()},
      {"enable_net", field(body, "enable_net").is_boolean() && body["enable_net"]},
      {"bootstrap", field(body, "bootstrap").is_string() ? body["bootstrap"] : json("default")},
      {"isolation", "default"},
      {"module_hotfixes", false},
      {"appstream", false},
      {"packit_forge_projects_allowed", field(body, "packit_forge_projects_allowed").is_array()
                                            ? body["packit_forge_projects_allowed"]
                                            : json::array()},
      {"follow_fedora_branching", true},
      {"repo_priority", nullptr},
      {"chroots", chroots}};
  m_projects[key] = project;
  return json_response(200, project_json(project));
}

// Copr: PUT (or POST) /api_3/project/edit/<owner>/<project>
TestResponse FakeCopr::edit_project(const std::string& owner, const std::string& name,
                                    const std::string& user, const json& body) {
  auto project = m_projects.find(owner + "/" + name);
  if (project == m_projects.end()) {
    return copr_error(404, "Project " + owner + "/" + name + " does not exist.");
  }
  if (!may_write(user, owner)) {
    return copr_error(403, "Only owners and admins may update their projects.");
  }
  if (field(body, "chroots").is_array()) {
    for (const json& chroot : body["chroots"]) {
      if (!chroot.is_string() || m_mock_chroots.count(chroot.get<std::string>()) == 0) {
        return copr_error(400, "Unexpected chroot: " + chroot.dump());
      }
    }
    project->second["chroots"] = body["chroots"];
  }
  for (const char* key : {"description", "instructions", "homepage", "contact"}) {
    if (body.is_object() && body.contains(key)) {
      project->second[key] = body[key];
    }
  }
  return json_response(200, project_json(project->second));
}

TestResponse FakeCopr::create_build(const std::string& user, const json& body,
                                    const std::string& source_type) {
  std::string owner = text(body, "ownername");
  std::string name = text(body, "projectname");
  auto project = m_projects.find(owner + "/" + name);
  if (project == m_projects.end()) {
    return copr_error(404, "Project " + owner + "/" + name + " does not exist.");
  }
  if (source_type == "scm" && text(body, "clone_url").empty()) {
    return copr_error(400, "Bad request parameters: {'clone_url': ['This field is required.']}");
  }
  std::vector<std::string> chroots;
  const json& project_chroots = project->second["chroots"];
  const json& wanted = field(body, "chroots").is_array() && !body["chroots"].empty()
                           ? body["chroots"]
                           : project_chroots;
  for (const json& chroot : wanted) {
    if (std::find(project_chroots.begin(), project_chroots.end(), chroot) ==
        project_chroots.end()) {
      return copr_error(400, "Bad request parameters: {'chroots': [\"'" +
                                 chroot.get<std::string>() +
                                 "' is not a valid choice for this field.\"]}");
    }
    chroots.push_back(chroot.get<std::string>());
  }
  if (!may_write(user, owner)) {
    return copr_error(403, "User " + user + " is not allowed to build in the copr: " + owner + "/" +
                               name);
  }
  Build build;
  build.id = m_next_build_id++;
  build.owner = owner;
  build.project = name;
  build.chroots = chroots;
  build.source_type = source_type;
  build.source = body;
  build.submitter = user;
  std::string clone_url = text(body, "clone_url"); // the package is named after the repository
  std::string repository = clone_url.substr(clone_url.rfind('/') + 1);
  build.package =
      repository.ends_with(".git") ? repository.substr(0, repository.size() - 4) : repository;
  build.submitted = std::chrono::steady_clock::now();
  build.submitted_epoch = static_cast<long>(std::time(nullptr));
  m_builds[build.id] = build;
  return json_response(200, build_json(build));
}

// Copr: POST /api_3/build/create/upload, multipart `json` (a file part) + `pkgs`
TestResponse FakeCopr::upload_build(const TestRequest& request, const std::string& user) {
  auto parts = parse_multipart(request);
  if (!parts) {
    return copr_error(400, "Bad request parameters: {'pkgs': ['This field is required.']}");
  }
  const FormPart* json_part = nullptr;
  const FormPart* pkgs = nullptr;
  for (const FormPart& part : *parts) {
    json_part = part.name == "json" && part.filename ? &part : json_part;
    pkgs = part.name == "pkgs" && part.filename ? &part : pkgs;
  }
  if (json_part == nullptr) { // Flask reads `json` from request.files only
    return copr_error(400, "Missing argument ownername");
  }
  if (pkgs == nullptr || !pkgs->filename->ends_with(".src.rpm")) {
    return copr_error(400, "Bad request parameters: {'pkgs': ['Allowed extensions are: "
                           "src.rpm, nosrc.rpm']}");
  }
  json body = json::parse(json_part->content, nullptr, false);
  TestResponse response = create_build(user, body, "upload");
  if (response.status == 200) {
    m_uploads[*pkgs->filename] = pkgs->content;
    std::string name = *pkgs->filename; // hello-1.0-1.fc41.src.rpm -> hello
    std::size_t release = name.rfind('-');
    std::size_t version = release == std::string::npos ? release : name.rfind('-', release - 1);
    m_builds.rbegin()->second.package = name.substr(0, version);
  }
  return response;
}

std::string FakeCopr::chroot_state(const Build& build, std::size_t index) const {
  auto elapsed = std::chrono::steady_clock::now() - build.submitted;
  auto since = elapsed - m_step / 2 - m_step * static_cast<long>(index) / 4; // staggered
  bool finished = since >= m_step * 2;
  if (build.canceled && !finished) {
    return "canceled";
  }
  if (since < m_step) {
    return "pending";
  }
  if (!finished) {
    return "running";
  }
  return m_failing_chroots.count(build.chroots[index]) > 0 ? "failed" : "succeeded";
}

std::string FakeCopr::build_state(const Build& build) const {
  if (std::chrono::steady_clock::now() - build.submitted < m_step / 2) {
    return "importing";
  }
  bool all_terminal = true;
  bool any_running = false;
  bool any_failed = false;
  for (std::size_t i = 0; i < build.chroots.size(); ++i) {
    std::string state = chroot_state(build, i);
    any_running = any_running || state == "running";
    any_failed = any_failed || state == "failed";
    all_terminal =
        all_terminal && (state == "succeeded" || state == "failed" || state == "canceled");
  }
  if (build.canceled) {
    return "canceled";
  }
  if (all_terminal) {
    return any_failed ? "failed" : "succeeded";
  }
  return any_running ? "running" : "pending";
}

json FakeCopr::build_json(const Build& build) const {
  bool imported = std::chrono::steady_clock::now() - build.submitted >= m_step / 2;
  const std::string& package = build.package;
  json source = {{"name", nullptr}, {"version", nullptr}, {"url", nullptr}};
  if (imported) {
    source = {{"name", package},
              {"version", "1.0-1"},
              {"url", url() + "/results/" + build.owner + "/" + build.project + "/srpm-builds/0" +
                          std::to_string(build.id) + "/" + package + "-1.0-1.src.rpm"}};
    // (the fake does not read the spec: the version is made up)
  }
  std::string state = build_state(build);
  bool ended = state == "succeeded" || state == "failed" || state == "canceled";
  return {{"id", build.id},
          {"state", state},
          {"ownername", build.owner},
          {"projectname", build.project},
          {"project_dirname", build.project},
          {"repo_url", url() + "/results/" + build.owner + "/" + build.project},
          {"source_package", source},
          {"submitted_on", build.submitted_epoch},
          {"started_on", imported ? json(build.submitted_epoch) : json(nullptr)},
          {"ended_on", ended ? json(build.submitted_epoch + 1) : json(nullptr)},
          {"submitter", build.submitter},
          {"chroots", build.chroots},
          {"is_background", false}};
}

json FakeCopr::chroot_json(const Build& build, std::size_t index) const {
  std::string state = chroot_state(build, index);
  bool started = state != "pending";
  bool ended = state == "succeeded" || state == "failed" || state == "canceled";
  char number[16];
  std::snprintf(number, sizeof number, "%08ld", build.id);
  return {{"name", build.chroots[index]},
          {"state", state},
          {"started_on", started ? json(build.submitted_epoch) : json(nullptr)},
          {"ended_on", ended ? json(build.submitted_epoch + 1) : json(nullptr)},
          {"result_url", url() + "/results/" + build.owner + "/" + build.project + "/" +
                             build.chroots[index] + "/" + number + "-hello/"}};
}

} // namespace ferry::testing
