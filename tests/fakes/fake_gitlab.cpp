#include "fakes/fake_gitlab.hpp"

#include "fakes/fake_http.hpp"
#include "infra/util/encoding.hpp"

namespace ferry::testing {

using nlohmann::json;

struct FakeGitLab::Project {
  long id = 0;
  std::string path; // path_with_namespace
  std::string default_branch = "main";
  std::string forked_from;
  int import_reads_left = 0;
  std::map<std::string, int> members;
  json releases = json::array();
  json merge_requests = json::array();
  json issues = json::array();
  std::map<std::string, json> notes; // "merge_requests/1" -> [note]
  json statuses = json::array();
  json award_emoji = json::array();
};

namespace {

const char* k_time = "2026-11-22T00:00:00.000Z";

TestResponse message(int status, const json& text) {
  return json_response(status, {{"message", text}});
}

} // namespace

FakeGitLab::FakeGitLab() {
  m_git.root = m_dir / "git";
  m_git.anonymous_read = true;
  m_git.authorize = [this](const std::string&, const std::string& password) {
    std::lock_guard lock(m_mutex);
    auto token = m_tokens.find(password);
    return token != m_tokens.end() && token->second.second.count("write_repository") > 0;
  };
  std::filesystem::create_directories(m_git.root);
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

FakeGitLab::~FakeGitLab() = default;

void FakeGitLab::add_user(const std::string& username, const std::string& token,
                          std::set<std::string> scopes) {
  std::lock_guard lock(m_mutex);
  m_tokens[token] = {username, std::move(scopes)};
  m_user_ids.emplace(username, ++m_next_id);
}

void FakeGitLab::add_project(const std::string& path,
                             const std::map<std::string, std::string>& files,
                             const std::string& default_branch) {
  auto seed = m_dir / "seed" / path;
  std::filesystem::create_directories(seed);
  run_git(seed, {"init", "-q", "-b", default_branch});
  for (const auto& [file, content] : files) {
    m_dir.write("seed/" + path + "/" + file, content);
  }
  run_git(seed, {"add", "-A"});
  run_git(seed, {"commit", "-q", "-m", "Initial commit"});
  auto bare = m_git.root / (path + ".git");
  std::filesystem::create_directories(bare.parent_path());
  run_git(bare.parent_path(), {"clone", "-q", "--bare", seed.string(), bare.filename().string()});
  auto project = std::make_unique<Project>();
  std::lock_guard lock(m_mutex);
  project->id = ++m_next_id;
  project->path = path;
  project->default_branch = default_branch;
  m_projects[path] = std::move(project);
}

void FakeGitLab::add_release(const std::string& project, const std::string& tag,
                             const std::string& notes) {
  std::lock_guard lock(m_mutex);
  Project& p = *m_projects.at(project);
  p.releases.push_back(
      {{"tag_name", tag},
       {"name", tag},
       {"description", notes},
       {"created_at", k_time},
       {"released_at", k_time},
       {"commit", {{"id", std::string(40, '1')}}},
       {"_links", {{"self", m_server->url("/" + project + "/-/releases/" + tag)}}}});
}

void FakeGitLab::set_member(const std::string& project, const std::string& username,
                            int access_level) {
  std::lock_guard lock(m_mutex);
  m_projects.at(project)->members[username] = access_level;
  m_user_ids.emplace(username, ++m_next_id);
}

long FakeGitLab::add_note(const std::string& project, const std::string& kind, long iid,
                          const std::string& author, const std::string& body, long id) {
  std::lock_guard lock(m_mutex);
  json& list = m_projects.at(project)->notes[kind + "/" + std::to_string(iid)];
  if (!list.is_array()) {
    list = json::array();
  }
  id = id != 0 ? id : ++m_next_id;
  list.push_back({{"id", id},
                  {"body", body},
                  {"author", user_json(author)},
                  {"system", false},
                  {"created_at", k_time}});
  return id;
}

void FakeGitLab::inject(const std::string& route_prefix, TestResponse response, int count,
                        bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

FakeGitLab::Project* FakeGitLab::find_project(const std::string& id_or_path) {
  auto by_path = m_projects.find(id_or_path);
  if (by_path != m_projects.end()) {
    return by_path->second.get();
  }
  for (auto& [path, project] : m_projects) {
    if (std::to_string(project->id) == id_or_path) {
      return project.get();
    }
  }
  return nullptr;
}

json FakeGitLab::user_json(const std::string& username) const {
  auto id = m_user_ids.find(username);
  return {{"id", id == m_user_ids.end() ? 0 : id->second},
          {"username", username},
          {"name", username},
          {"state", "active"},
          {"web_url", m_server->url("/" + username)}};
}

json FakeGitLab::project_json(Project& project) {
  std::size_t slash = project.path.rfind('/');
  std::string status = project.forked_from.empty() ? "none" : "finished";
  if (project.import_reads_left > 0) {
    --project.import_reads_left;
    status = "started";
  }
  json result = {{"id", project.id},
                 {"name", project.path.substr(slash + 1)},
                 {"path", project.path.substr(slash + 1)},
                 {"path_with_namespace", project.path},
                 {"default_branch", project.default_branch},
                 {"http_url_to_repo", m_server->url("/" + project.path + ".git")},
                 {"web_url", m_server->url("/" + project.path)},
                 {"visibility", "public"},
                 {"namespace", {{"full_path", project.path.substr(0, slash)}}},
                 {"import_status", status}};
  if (!project.forked_from.empty()) {
    Project& parent = *m_projects.at(project.forked_from);
    result["forked_from_project"] = {{"id", parent.id}, {"path_with_namespace", parent.path}};
  }
  return result;
}

TestResponse FakeGitLab::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakeGitLab::answer(const TestRequest& request) {
  if (is_git_request(request)) {
    return serve_git(m_git, request);
  }
  auto parts = split_path(request.path);
  if (parts.size() < 3 || parts[0] != "api" || parts[1] != "v4") {
    return message(404, "404 Not Found");
  }
  std::string token = request.header("PRIVATE-TOKEN").value_or(authorization_token(request));
  auto found = m_tokens.find(token);
  if (found == m_tokens.end()) {
    return message(401, "401 Unauthorized");
  }
  if (request.method != "GET" && found->second.second.count("api") == 0) {
    return json_response(
        403, {{"error", "insufficient_scope"},
              {"error_description",
               "The request requires higher privileges than provided by the access token."},
              {"scope", "api"}});
  }
  return api(request, found->second.first, parts);
}

TestResponse FakeGitLab::api(const TestRequest& request, const std::string& user,
                             const std::vector<std::string>& parts) {
  auto query = parse_query(request.query);
  if (request.method == "GET" && parts.size() == 3 && parts[2] == "user") {
    return json_response(200, user_json(user));
  }
  if (request.method == "GET" && parts.size() == 3 && parts[2] == "users") {
    json users = json::array();
    if (m_user_ids.count(query["username"]) > 0) {
      users.push_back(user_json(query["username"]));
    }
    return json_response(200, users);
  }
  if (parts.size() >= 4 && parts[2] == "projects") {
    Project* project = find_project(parts[3]); // split_path decoded group%2Fname
    if (project == nullptr) {
      return message(404, "404 Project Not Found");
    }
    return project_api(request, user, *project,
                       std::vector<std::string>(parts.begin() + 4, parts.end()));
  }
  return message(404, "404 Not Found");
}

TestResponse FakeGitLab::project_api(const TestRequest& request, const std::string& user,
                                     Project& project, const std::vector<std::string>& tail) {
  const std::string& method = request.method;
  auto query = parse_query(request.query);
  json body = parse_body(request);
  if (method == "GET" && tail.empty()) {
    return json_response(200, project_json(project));
  }
  if (method == "POST" && tail == std::vector<std::string>{"fork"}) {
    std::string name = project.path.substr(project.path.rfind('/') + 1);
    std::string fork_path = user + "/" + name;
    if (m_projects.count(fork_path) > 0) {
      return message(409,
                     {{"name", {"has already been taken"}}, {"path", {"has already been taken"}}});
    }
    auto bare = m_git.root / (fork_path + ".git");
    std::filesystem::create_directories(bare.parent_path());
    run_git(bare.parent_path(),
            {"clone", "-q", "--bare", (m_git.root / (project.path + ".git")).string(),
             bare.filename().string()});
    auto fork = std::make_unique<Project>();
    fork->id = ++m_next_id;
    fork->path = fork_path;
    fork->default_branch = project.default_branch;
    fork->forked_from = project.path;
    fork->import_reads_left = m_import_reads;
    Project& created = *fork;
    m_projects[fork_path] = std::move(fork);
    json answer = project_json(created);
    answer["import_status"] = "scheduled";
    return json_response(201, answer);
  }
  if (method == "GET" && tail.size() == 1 && tail[0] == "releases") {
    json newest_first = json::array();
    for (auto it = project.releases.rbegin(); it != project.releases.rend(); ++it) {
      newest_first.push_back(*it);
    }
    std::size_t limit = query.count("per_page") ? std::stoul(query["per_page"]) : 20;
    json page = json::array();
    for (std::size_t i = 0; i < newest_first.size() && i < limit; ++i) {
      page.push_back(newest_first[i]);
    }
    return json_response(200, page);
  }
  if (method == "GET" && tail.size() == 2 && tail[0] == "releases") {
    for (const json& release : project.releases) {
      if (release["tag_name"] == tail[1]) {
        return json_response(200, release);
      }
    }
    return message(404, "404 Not Found");
  }
  if (method == "GET" && tail.size() == 3 && tail[0] == "repository" && tail[1] == "files") {
    try {
      std::string content =
          run_git(m_git.root / (project.path + ".git"), {"show", query["ref"] + ":" + tail[2]});
      return json_response(200, {{"file_name", tail[2]},
                                 {"file_path", tail[2]},
                                 {"size", content.size()},
                                 {"encoding", "base64"},
                                 {"content", infra::util::base64_encode(content)},
                                 {"ref", query["ref"]}});
    } catch (const std::exception&) {
      return message(404, "404 File Not Found");
    }
  }
  if (tail.size() == 1 && tail[0] == "merge_requests") {
    if (method == "GET") {
      json selected = json::array();
      for (const json& mr : project.merge_requests) {
        bool branch_ok =
            !query.count("source_branch") || mr["source_branch"] == query["source_branch"];
        if (mr["state"] == "opened" && branch_ok) {
          selected.push_back(mr);
        }
      }
      return json_response(200, selected);
    }
    // Created on the source project, stored on the target one.
    Project* target = find_project(std::to_string(body.value("target_project_id", project.id)));
    if (target == nullptr) {
      return message(404, "404 Project Not Found");
    }
    for (const char* field : {"source_branch", "target_branch", "title"}) {
      if (body.value(field, "").empty()) {
        return json_response(400, {{"error", std::string(field) + " is missing"}});
      }
    }
    for (const json& mr : target->merge_requests) {
      if (mr["state"] == "opened" && mr["source_branch"] == body["source_branch"] &&
          mr["source_project_id"] == project.id) {
        return message(
            409,
            json::array({"Another open merge request already exists for this source branch: !" +
                         std::to_string(mr["iid"].get<long>())}));
      }
    }
    long iid = static_cast<long>(target->merge_requests.size() + 1);
    json mr = {
        {"id", ++m_next_id},
        {"iid", iid},
        {"project_id", target->id},
        {"title", body["title"]},
        {"description", body.value("description", "")},
        {"state", "opened"},
        {"source_branch", body["source_branch"]},
        {"target_branch", body["target_branch"]},
        {"source_project_id", project.id},
        {"target_project_id", target->id},
        {"author", user_json(user)},
        {"web_url", m_server->url("/" + target->path + "/-/merge_requests/" + std::to_string(iid))},
        {"created_at", k_time},
        {"updated_at", k_time}};
    target->merge_requests.push_back(mr);
    return json_response(201, mr);
  }
  if (tail.size() == 2 && tail[0] == "merge_requests" && method == "GET") {
    for (const json& mr : project.merge_requests) {
      if (std::to_string(mr["iid"].get<long>()) == tail[1]) {
        return json_response(200, mr);
      }
    }
    return message(404, "404 Not found");
  }
  if (tail.size() == 2 && tail[0] == "merge_requests" && method == "PUT") {
    for (json& mr : project.merge_requests) {
      if (std::to_string(mr["iid"].get<long>()) == tail[1]) {
        for (const char* field : {"title", "description"}) {
          if (body.contains(field)) {
            mr[field] = body[field];
          }
        }
        return json_response(200, mr);
      }
    }
    return message(404, "404 Not found");
  }
  if (tail.size() >= 3 && (tail[0] == "merge_requests" || tail[0] == "issues") &&
      tail[2] == "notes") {
    json& list = project.notes[tail[0] + "/" + tail[1]];
    if (!list.is_array()) {
      list = json::array();
    }
    if (tail.size() == 3 && method == "GET") {
      return json_response(200, list);
    }
    if (tail.size() == 3 && method == "POST") {
      if (body.value("body", "").empty()) {
        return json_response(400, {{"error", "body is missing"}});
      }
      json note = {{"id", ++m_next_id},
                   {"body", body["body"]},
                   {"author", user_json(user)},
                   {"system", false},
                   {"noteable_type", tail[0] == "issues" ? "Issue" : "MergeRequest"},
                   {"created_at", k_time}};
      list.push_back(note);
      return json_response(201, note);
    }
    if (tail.size() == 5 && tail[4] == "award_emoji" && method == "POST") {
      for (const json& emoji : project.award_emoji) {
        if (emoji["note_id"] == tail[3] && emoji["name"] == body.value("name", "") &&
            emoji["user"]["username"] == user) {
          return message(404, "404 Award Emoji Name has already been taken Not Found");
        }
      }
      json emoji = {{"id", ++m_next_id},
                    {"name", body.value("name", "")},
                    {"user", user_json(user)},
                    {"note_id", tail[3]},
                    {"awardable_type", "Note"}};
      project.award_emoji.push_back(emoji);
      return json_response(201, emoji);
    }
  }
  if (tail.size() == 1 && tail[0] == "issues") {
    if (method == "GET") {
      json selected = json::array();
      for (const json& issue : project.issues) {
        bool author_ok = !query.count("author_username") ||
                         issue["author"]["username"] == query["author_username"];
        if (issue["state"] == "opened" && author_ok) {
          selected.push_back(issue);
        }
      }
      return json_response(200, selected);
    }
    long iid = static_cast<long>(project.issues.size() + 1);
    json issue = {
        {"id", ++m_next_id},
        {"iid", iid},
        {"title", body.value("title", "")},
        {"description", body.value("description", "")},
        {"state", "opened"},
        {"author", user_json(user)},
        {"web_url", m_server->url("/" + project.path + "/-/issues/" + std::to_string(iid))}};
    project.issues.push_back(issue);
    return json_response(201, issue);
  }
  if (tail.size() == 2 && tail[0] == "statuses" && method == "POST") {
    static const std::set<std::string> k_states = {"pending", "running", "success", "failed",
                                                   "canceled"};
    std::string state = body.value("state", "");
    if (k_states.count(state) == 0) {
      return json_response(400, {{"error", "state does not have a valid value"}});
    }
    std::string name = body.value("name", "default");
    for (auto it = project.statuses.rbegin(); it != project.statuses.rend(); ++it) {
      if ((*it)["sha"] == tail[1] && (*it)["name"] == name) {
        if ((*it)["status"] == state) {
          return message(400, "Cannot transition status via :" + state + " from :" + state);
        }
        break;
      }
    }
    json status = {{"id", ++m_next_id},
                   {"sha", tail[1]},
                   {"name", name},
                   {"status", state},
                   {"description", body.value("description", "")},
                   {"target_url", body.value("target_url", "")},
                   {"author", user_json(user)},
                   {"created_at", k_time}};
    project.statuses.push_back(status);
    return json_response(201, status);
  }
  if (method == "GET" && tail.size() == 3 && tail[0] == "members" && tail[1] == "all") {
    for (const auto& [name, level] : project.members) {
      auto id = m_user_ids.find(name);
      if (id != m_user_ids.end() && std::to_string(id->second) == tail[2]) {
        json member = user_json(name);
        member["access_level"] = level;
        return json_response(200, member);
      }
    }
    return message(404, "404 Not found");
  }
  return message(404, "404 Not Found");
}

json FakeGitLab::merge_requests(const std::string& project) const {
  std::lock_guard lock(m_mutex);
  return m_projects.at(project)->merge_requests;
}

json FakeGitLab::notes(const std::string& project, const std::string& kind, long iid) const {
  std::lock_guard lock(m_mutex);
  const auto& all = m_projects.at(project)->notes;
  auto it = all.find(kind + "/" + std::to_string(iid));
  return it == all.end() ? json::array() : it->second;
}

json FakeGitLab::issues(const std::string& project) const {
  std::lock_guard lock(m_mutex);
  return m_projects.at(project)->issues;
}

json FakeGitLab::statuses(const std::string& project) const {
  std::lock_guard lock(m_mutex);
  return m_projects.at(project)->statuses;
}

json FakeGitLab::award_emoji(const std::string& project) const {
  std::lock_guard lock(m_mutex);
  return m_projects.at(project)->award_emoji;
}

} // namespace ferry::testing
