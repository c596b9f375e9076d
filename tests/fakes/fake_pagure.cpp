#include "fakes/fake_pagure.hpp"

#include "fakes/fake_http.hpp"

#include <algorithm>

namespace ferry::testing {

using nlohmann::json;

struct FakePagure::Package {
  std::string name;
  std::string default_branch = "rawhide";
  json access_users = {{"owner", json::array()},
                       {"admin", json::array()},
                       {"commit", json::array()},
                       {"collaborator", json::array()},
                       {"ticket", json::array()}};
  json access_groups = {{"admin", json::array()},
                        {"commit", json::array()},
                        {"collaborator", json::array()},
                        {"ticket", json::array()}};
  json group_details = json::object();
  json pull_requests = json::array();
  json issues = json::array();
  json flags = json::array();
};

namespace {

const char* k_date = "1763769600"; // Pagure sends epoch seconds as strings

TestResponse pagure_error(int status, const std::string& code, const std::string& message,
                          const json& errors = nullptr) {
  json body = {{"error", message}, {"error_code", code}};
  if (!errors.is_null()) {
    body["errors"] = errors;
  }
  return json_response(status, body);
}

TestResponse invalid_request(const json& errors) {
  return pagure_error(400, "EINVALIDREQ", "Invalid or incomplete input submitted", errors);
}

json user_json(const std::string& name) {
  return {{"name", name}, {"fullname", name + " (test)"}};
}

// The ACL a write endpoint needs, as Pagure's API tokens carry them.
std::string needed_acl(const std::string& method, const std::vector<std::string>& parts) {
  if (method != "POST" || parts.size() < 3) {
    return "";
  }
  const std::string& last = parts.back();
  if (parts[2] == "fork" && parts.size() == 3) {
    return "fork_project";
  }
  if (last == "new" && parts[parts.size() - 2] == "pull-request") {
    return "pull_request_create";
  }
  if (last == "comment") {
    return parts[parts.size() - 3] == "issue" ? "issue_comment" : "pull_request_comment";
  }
  if (last == "flag") {
    return "commit_flag";
  }
  if (last == "new_issue") {
    return "issue_create";
  }
  if (parts.size() >= 2 && parts[parts.size() - 2] == "pull-request") {
    return "pull_request_update";
  }
  return "";
}

} // namespace

FakePagure::FakePagure() {
  m_git.root = m_dir / "git";
  m_git.anonymous_read = true;
  m_git.authorize = [this](const std::string& user, const std::string& password) {
    std::lock_guard lock(m_mutex);
    auto token = m_tokens.find(password);
    return token != m_tokens.end() && token->second.first == user;
  };
  std::filesystem::create_directories(m_git.root / "rpms");
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

FakePagure::~FakePagure() = default;

void FakePagure::add_user(const std::string& name, const std::string& token,
                          std::set<std::string> acls) {
  std::lock_guard lock(m_mutex);
  m_tokens[token] = {name, std::move(acls)};
}

void FakePagure::add_package(const std::string& name,
                             const std::map<std::string, std::string>& files,
                             const std::string& default_branch) {
  auto seed = m_dir / "seed" / name;
  std::filesystem::create_directories(seed);
  run_git(seed, {"init", "-q", "-b", default_branch});
  for (const auto& [path, content] : files) {
    m_dir.write("seed/" + name + "/" + path, content);
  }
  run_git(seed, {"add", "-A"});
  run_git(seed, {"commit", "-q", "-m", "Initial import"});
  run_git(m_git.root / "rpms", {"clone", "-q", "--bare", seed.string(), name + ".git"});
  auto package = std::make_unique<Package>();
  package->name = name;
  package->default_branch = default_branch;
  std::lock_guard lock(m_mutex);
  m_packages[name] = std::move(package);
}

void FakePagure::add_branch(const std::string& package, const std::string& branch,
                            const std::string& from) {
  run_git(m_git.root / "rpms" / (package + ".git"), {"branch", branch, from});
}

std::filesystem::path FakePagure::git_dir(const std::string& repo_path) const {
  return m_git.root / (repo_path + ".git");
}

void FakePagure::set_access(const std::string& package, const std::string& role,
                            const std::string& user) {
  std::lock_guard lock(m_mutex);
  m_packages.at(package)->access_users[role].push_back(user);
}

void FakePagure::add_group(const std::string& package, const std::string& role,
                           const std::string& group, const std::vector<std::string>& members) {
  std::lock_guard lock(m_mutex);
  Package& p = *m_packages.at(package);
  p.access_groups[role].push_back(group);
  p.group_details[group] = members;
}

void FakePagure::inject(const std::string& route_prefix, TestResponse response, int count,
                        bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

json FakePagure::project_json(const Package& package, const std::string& fork_user,
                              bool expand) const {
  bool fork = !fork_user.empty();
  std::string fullname =
      fork ? "forks/" + fork_user + "/rpms/" + package.name : "rpms/" + package.name;
  json project = {{"id", std::hash<std::string>{}(fullname) % 100000},
                  {"name", package.name},
                  {"namespace", "rpms"},
                  {"fullname", fullname},
                  {"url_path", fork ? "fork/" + fork_user + "/rpms/" + package.name : fullname},
                  {"description", "The " + package.name + " package"},
                  {"date_created", k_date},
                  {"date_modified", k_date},
                  {"parent", nullptr},
                  {"tags", json::array()},
                  {"user", user_json(fork ? fork_user : "packager")},
                  {"access_users", fork ? json{{"owner", {fork_user}},
                                               {"admin", json::array()},
                                               {"commit", json::array()},
                                               {"collaborator", json::array()},
                                               {"ticket", json::array()}}
                                        : package.access_users},
                  {"access_groups", fork ? json{{"admin", json::array()},
                                                {"commit", json::array()},
                                                {"collaborator", json::array()},
                                                {"ticket", json::array()}}
                                         : package.access_groups}};
  if (fork) {
    project["parent"] = project_json(package, "", false);
  }
  if (expand) {
    project["group_details"] = package.group_details;
  }
  return project;
}

TestResponse FakePagure::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakePagure::answer(const TestRequest& request) {
  if (is_git_request(request)) {
    return serve_git(m_git, request);
  }
  auto parts = split_path(request.path);
  // Raw files: /rpms/<pkg>/raw/<ref>/f/<path>
  if (parts.size() >= 6 && parts[0] == "rpms" && parts[2] == "raw" && parts[4] == "f") {
    std::string path;
    for (std::size_t i = 5; i < parts.size(); ++i) {
      path += (i > 5 ? "/" : "") + parts[i];
    }
    try {
      return TestResponse{200,
                          {{"Content-Type", "text/plain; charset=utf-8"}},
                          file_at("rpms/" + parts[1], parts[3], path)};
    } catch (const std::exception&) {
      return TestResponse{404, {{"Content-Type", "text/html"}}, "<h1>Page not found :'(</h1>"};
    }
  }
  if (parts.size() < 2 || parts[0] != "api" || parts[1] != "0") {
    return TestResponse{404, {}, "Not Found"};
  }
  auto token = m_tokens.find(authorization_token(request));
  bool is_write = request.method == "POST";
  if (token == m_tokens.end()) {
    if (is_write) {
      return pagure_error(401, "EINVALIDTOK",
                          "Invalid or expired token. Please visit "
                          "https://src.fedoraproject.org/settings#nav-api-tab "
                          "to get or renew your API token.",
                          "Invalid token");
    }
    return api(request, "");
  }
  std::string acl = needed_acl(request.method, parts);
  const auto& granted = token->second.second;
  if (!acl.empty() && granted.count("*") == 0 && granted.count(acl) == 0) {
    return pagure_error(
        401, "EINVALIDTOK",
        "Invalid or expired token. Please visit https://src.fedoraproject.org/settings#nav-api-tab "
        "to get or renew your API token.",
        "Missing ACLs: " + acl);
  }
  return api(request, token->second.first);
}

TestResponse FakePagure::api(const TestRequest& request, const std::string& user) {
  auto parts = split_path(request.path); // api, 0, ...
  auto query = parse_query(request.query);
  json body = parse_body(request);
  const std::string& method = request.method;
  if (method == "POST" && parts.size() == 4 && parts[2] == "-" && parts[3] == "whoami") {
    return json_response(200, {{"username", user}});
  }
  if (method == "POST" && parts.size() == 3 && parts[2] == "fork") {
    std::string repo = body.value("repo", "");
    if (repo.empty()) {
      return invalid_request({{"repo", {"This field is required."}}});
    }
    auto package = m_packages.find(repo);
    if (package == m_packages.end() || body.value("namespace", "rpms") != "rpms") {
      return pagure_error(404, "ENOPROJECT", "Project not found");
    }
    if (m_forks.count(user + "/" + repo) > 0) {
      return pagure_error(400, "ENOCODE",
                          "Repo \"forks/" + user + "/" + repo + "\" already exists");
    }
    std::filesystem::create_directories(m_git.root / "forks" / user / "rpms");
    run_git(
        m_git.root / "forks" / user / "rpms",
        {"clone", "-q", "--bare", (m_git.root / "rpms" / (repo + ".git")).string(), repo + ".git"});
    m_forks.insert(user + "/" + repo);
    return json_response(200, {{"message", "Repo \"rpms/" + repo + "\" cloned to \"" + user +
                                               "/rpms/" + repo + "\""}});
  }
  // Project paths: api/0/rpms/<pkg>/... or api/0/fork/<user>/rpms/<pkg>/...
  std::string fork_user;
  std::size_t rest = 0;
  if (parts.size() >= 5 && parts[2] == "fork") {
    fork_user = parts[3];
    rest = 6;
    if (parts[4] != "rpms" ||
        m_forks.count(fork_user + "/" + (parts.size() > 5 ? parts[5] : "")) == 0) {
      return pagure_error(404, "ENOPROJECT", "Project not found");
    }
  } else if (parts.size() >= 4 && parts[2] == "rpms") {
    rest = 4;
  } else {
    return pagure_error(404, "ENOPROJECT", "Project not found");
  }
  auto found = m_packages.find(parts[rest - 1]);
  if (found == m_packages.end()) {
    return pagure_error(404, "ENOPROJECT", "Project not found");
  }
  Package& package = *found->second;
  std::vector<std::string> tail(parts.begin() + static_cast<long>(rest), parts.end());

  if (method == "GET" && tail.empty()) {
    return json_response(200, project_json(package, fork_user, query.count("expand_group") > 0));
  }
  if (method == "GET" && tail == std::vector<std::string>{"git", "branches"}) {
    return json_response(200, {{"total_branches", 1},
                               {"branches", {package.default_branch}},
                               {"default", package.default_branch}});
  }
  if (!fork_user.empty()) {
    return pagure_error(404, "ENOPROJECT", "Project not found");
  }
  if (method == "GET" && tail == std::vector<std::string>{"pull-requests"}) {
    json selected = json::array();
    for (const json& pr : package.pull_requests) {
      bool status_ok =
          !query.count("status") || query["status"] == "all" || pr["status"] == query["status"];
      bool author_ok = !query.count("author") || pr["user"]["name"] == query["author"];
      if (status_ok && author_ok) {
        selected.push_back(pr);
      }
    }
    std::size_t per_page = query.count("per_page") ? std::stoul(query["per_page"]) : 20;
    std::size_t page = query.count("page") ? std::stoul(query["page"]) : 1;
    if (per_page < 1 || per_page > 100) {
      return pagure_error(400, "EINVALIDPERPAGEVALUE",
                          "The per_page value must be between 1 and 100");
    }
    json slice = json::array();
    for (std::size_t i = (page - 1) * per_page; i < selected.size() && i < page * per_page; ++i) {
      slice.push_back(selected[i]);
    }
    std::string self = base_url() + request.path + "?status=" + query["status"] +
                       "&per_page=" + std::to_string(per_page);
    std::size_t pages = (selected.size() + per_page - 1) / per_page;
    json next = page < pages ? json(self + "&page=" + std::to_string(page + 1) +
                                    (query.count("author") ? "&author=" + query["author"] : ""))
                             : json(nullptr);
    return json_response(
        200, {{"total_requests", selected.size()},
              {"requests", slice},
              {"args",
               {{"status", query["status"]},
                {"author", query.count("author") ? json(query["author"]) : json(nullptr)},
                {"page", page},
                {"per_page", per_page}}},
              {"pagination",
               {{"page", page},
                {"pages", pages},
                {"per_page", per_page},
                {"next", next},
                {"prev", nullptr}}}});
  }
  if (method == "POST" && tail == std::vector<std::string>{"pull-request", "new"}) {
    json errors = json::object();
    for (const char* field : {"title", "branch_to", "branch_from"}) {
      if (body.value(field, "").empty()) {
        errors[field] = {"This field is required."};
      }
    }
    if (!errors.empty()) {
      return invalid_request(errors);
    }
    std::string from_user = body.value("repo_from_username", "");
    std::filesystem::path source =
        from_user.empty() ? m_git.root / "rpms" / (package.name + ".git")
                          : m_git.root / "forks" / from_user / "rpms" / (package.name + ".git");
    std::string branch_from = body["branch_from"];
    try {
      run_git(source, {"rev-parse", "--verify", "refs/heads/" + branch_from});
    } catch (const std::exception&) {
      return invalid_request("Branch " + branch_from + " does not exist");
    }
    long id = static_cast<long>(package.pull_requests.size() + 1);
    json pr = {
        {"id", id},
        {"uid", std::to_string(++m_next_id)},
        {"title", body["title"]},
        {"branch", body["branch_to"]},
        {"branch_from", branch_from},
        {"status", "Open"},
        {"user", user_json(user)},
        {"initial_comment", body.value("initial_comment", "")},
        {"date_created", k_date},
        {"updated_on", k_date},
        {"last_updated", k_date},
        {"closed_at", nullptr},
        {"comments", json::array()},
        {"project", project_json(package, "", false)},
        {"repo_from", from_user.empty() ? project_json(package, "", false)
                                        : project_json(package, from_user, false)},
        {"full_url", base_url() + "/rpms/" + package.name + "/pull-request/" + std::to_string(id)}};
    package.pull_requests.push_back(pr); // like the real server: no check for an open duplicate
    return json_response(200, pr);
  }
  if (tail.size() >= 2 && tail[0] == "pull-request") {
    long id = std::atol(tail[1].c_str());
    if (id < 1 || static_cast<std::size_t>(id) > package.pull_requests.size()) {
      return pagure_error(404, "ENOREQ", "Pull-Request not found");
    }
    json& pr = package.pull_requests[static_cast<std::size_t>(id - 1)];
    if (method == "GET" && tail.size() == 2) {
      return json_response(200, pr);
    }
    if (method == "POST" && tail.size() == 2) {
      if (body.value("title", "").empty()) {
        return invalid_request({{"title", {"This field is required."}}});
      }
      pr["title"] = body["title"];
      pr["initial_comment"] = body.value("initial_comment", "");
      return json_response(200, pr);
    }
    if (method == "POST" && tail.size() == 3 && tail[2] == "comment") {
      if (body.value("comment", "").empty()) {
        return invalid_request({{"comment", {"This field is required."}}});
      }
      pr["comments"].push_back({{"id", ++m_next_id},
                                {"comment", body["comment"]},
                                {"user", user_json(user)},
                                {"date_created", k_date}});
      return json_response(200, {{"message", "Comment added"}});
    }
  }
  if (method == "GET" && tail == std::vector<std::string>{"issues"}) {
    json selected = json::array();
    for (const json& issue : package.issues) {
      bool author_ok = !query.count("author") || issue["user"]["name"] == query["author"];
      if (issue["status"] == "Open" && author_ok) {
        selected.push_back(issue);
      }
    }
    return json_response(
        200, {{"total_issues", selected.size()},
              {"issues", selected},
              {"pagination", {{"page", 1}, {"pages", 1}, {"next", nullptr}, {"prev", nullptr}}}});
  }
  if (method == "POST" && tail == std::vector<std::string>{"new_issue"}) {
    if (body.value("title", "").empty() || body.value("issue_content", "").empty()) {
      return invalid_request({{"title", {"This field is required."}}});
    }
    long id = static_cast<long>(package.issues.size() + 1);
    json issue = {{"id", id},
                  {"title", body["title"]},
                  {"content", body["issue_content"]},
                  {"status", "Open"},
                  {"user", user_json(user)},
                  {"date_created", k_date},
                  {"comments", json::array()}};
    package.issues.push_back(issue);
    return json_response(200, {{"issue", issue}, {"message", "Issue created"}});
  }
  if (method == "GET" && tail.size() == 2 && tail[0] == "issue") {
    long id = std::atol(tail[1].c_str());
    if (id < 1 || static_cast<std::size_t>(id) > package.issues.size()) {
      return pagure_error(404, "ENOISSUE", "Issue not found");
    }
    return json_response(200, package.issues[static_cast<std::size_t>(id - 1)]);
  }
  if (method == "POST" && tail.size() == 3 && tail[0] == "issue" && tail[2] == "comment") {
    long id = std::atol(tail[1].c_str());
    if (id < 1 || static_cast<std::size_t>(id) > package.issues.size()) {
      return pagure_error(404, "ENOISSUE", "Issue not found");
    }
    package.issues[static_cast<std::size_t>(id - 1)]["comments"].push_back(
        {{"id", ++m_next_id}, {"comment", body.value("comment", "")}, {"user", user_json(user)}});
    return json_response(200, {{"message", "Comment added"}});
  }
  if (method == "POST" && tail.size() == 3 && tail[0] == "c" && tail[2] == "flag") {
    static const std::set<std::string> k_statuses = {"success", "failure", "error", "canceled",
                                                     "pending"};
    json errors = json::object();
    for (const char* field : {"username", "comment", "url"}) {
      if (body.value(field, "").empty()) {
        errors[field] = {"This field is required."};
      }
    }
    if (k_statuses.count(body.value("status", "")) == 0) {
      errors["status"] = {"Not a valid choice"};
    }
    if (!errors.empty()) {
      return invalid_request(errors);
    }
    json flag = {
        {"commit_hash", tail[1]},   {"username", body["username"]},
        {"status", body["status"]}, {"comment", body["comment"]},
        {"url", body["url"]},       {"uid", body.value("uid", std::to_string(++m_next_id))},
        {"user", user_json(user)},  {"date_created", k_date}};
    for (json& existing : package.flags) {
      if (existing["uid"] == flag["uid"] && existing["commit_hash"] == flag["commit_hash"]) {
        existing = flag;
        return json_response(200,
                             {{"flag", flag}, {"message", "Flag updated"}, {"uid", flag["uid"]}});
      }
    }
    package.flags.push_back(flag);
    return json_response(200, {{"flag", flag}, {"message", "Flag added"}, {"uid", flag["uid"]}});
  }
  return pagure_error(404, "ENOCODE", "Not Found");
}

json FakePagure::pull_requests(const std::string& package) const {
  std::lock_guard lock(m_mutex);
  return m_packages.at(package)->pull_requests;
}

json FakePagure::issues(const std::string& package) const {
  std::lock_guard lock(m_mutex);
  return m_packages.at(package)->issues;
}

json FakePagure::flags(const std::string& package) const {
  std::lock_guard lock(m_mutex);
  return m_packages.at(package)->flags;
}

std::string FakePagure::file_at(const std::string& repo_path, const std::string& ref,
                                const std::string& path) const {
  return run_git(m_git.root / (repo_path + ".git"), {"show", ref + ":" + path});
}

} // namespace ferry::testing
