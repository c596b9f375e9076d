#include "fakes/fake_github.hpp"

#include "fakes/fake_http.hpp"
#include "infra/util/encoding.hpp"

#include <algorithm>
#include <fstream>

namespace ferry::testing {

using nlohmann::json;

struct FakeGitHub::Repo {
  std::string owner;
  std::string name;
  std::string default_branch = "main";
  bool fork = false;
  std::string parent;
  int unreadable_reads = 0; // a fork still being created
  json releases = json::array();
  json pulls = json::array();
  json issues = json::array(); // pull requests are issues too, as on GitHub
  std::map<long, json> comments;
  json statuses = json::array();
  json reactions = json::array();
  json check_runs = json::array();
  std::map<std::string, std::string> permissions;
};

namespace {

const char* k_docs = "https://docs.github.com/rest";

// GitHub's own example objects (tests/prism/extract-templates.js), so that every answer has
// all the fields the real API sends; the fake's state is overlaid on a copy.
const json& templates() {
  static const json k_templates = [] {
    std::string text = read_file(std::filesystem::path(FERRY_SOURCE_DIR) /
                                 "tests/fixtures/api/github/templates.json");
    return json::parse(text);
  }();
  return k_templates;
}

json from_template(const char* kind) {
  return templates().at(kind);
}

void set_login(json& user, const std::string& login) {
  user["login"] = login;
  user["id"] = std::hash<std::string>{}(login) % 100000;
  user["html_url"] = "https://github.com/" + login;
}

TestResponse github_error(int status, const std::string& message, TestHeaders headers = {}) {
  return json_response(status, {{"message", message}, {"documentation_url", k_docs}},
                       std::move(headers));
}

json user_json(const std::string& login) {
  json user = from_template("user");
  set_login(user, login);
  return user;
}

// A stored pull request (number, state, title, body, user, head, base) as GitHub shows it.
json render_pull(const json& record, bool simple, const std::string& full_name) {
  json pr = from_template(simple ? "pull-request-simple" : "pull-request");
  for (const char* field :
       {"id", "number", "state", "title", "body", "html_url", "maintainer_can_modify"}) {
    if (record.contains(field) && pr.contains(field)) {
      pr[field] = record[field];
    }
  }
  if (!simple) {
    pr["maintainer_can_modify"] = record.value("maintainer_can_modify", false);
  }
  set_login(pr["user"], record["user"]["login"]);
  for (const char* side : {"head", "base"}) {
    pr[side]["label"] = record[side]["label"];
    pr[side]["ref"] = record[side]["ref"];
    pr[side]["sha"] = record[side].value("sha", std::string(40, '0'));
    set_login(pr[side]["user"], record[side]["user"]["login"]);
    if (record[side].contains("clone_url")) {
      pr[side]["repo"]["clone_url"] = record[side]["clone_url"];
      pr[side]["repo"]["full_name"] = record[side]["full_name"];
    }
  }
  pr["url"] = "https://api.github.com/repos/" + full_name + "/pulls/" +
              std::to_string(record["number"].get<long>());
  return pr;
}

json render_issue(const json& record) {
  json issue = from_template("issue");
  for (const char* field : {"id", "number", "state", "title", "body", "html_url"}) {
    if (record.contains(field)) {
      issue[field] = record[field];
    }
  }
  set_login(issue["user"], record["user"]["login"]);
  if (record.contains("pull_request")) {
    std::string url = record["pull_request"]["url"];
    issue["pull_request"] = {{"url", url},
                             {"html_url", url},
                             {"diff_url", url + ".diff"},
                             {"patch_url", url + ".patch"},
                             {"merged_at", nullptr}};
  } else {
    issue.erase("pull_request");
  }
  return issue;
}

// Copies `fields` from the stored record onto a template of `kind`, and the user under `user_key`.
json render(const char* kind, const json& record, std::initializer_list<const char*> fields,
            const char* user_key) {
  json result = from_template(kind);
  for (const char* field : fields) {
    if (record.contains(field)) {
      result[field] = record[field];
    }
  }
  set_login(result[user_key], record[user_key]["login"]);
  return result;
}

std::string now_iso() {
  return "2026-11-22T00:00:00Z";
}

// One page of `items` and the Link header pointing at the next, as GitHub paginates.
TestResponse paged(const TestRequest& request, const std::string& base_url, const json& items,
                   std::size_t default_page_size) {
  auto query = parse_query(request.query);
  const char* size_key = query.count("limit") ? "limit" : "per_page";
  std::size_t per_page = query.count(size_key) ? std::stoul(query[size_key]) : default_page_size;
  per_page = std::clamp<std::size_t>(per_page, 1, 100);
  std::size_t page = query.count("page") ? std::stoul(query["page"]) : 1;
  json slice = json::array();
  for (std::size_t i = (page - 1) * per_page; i < items.size() && i < page * per_page; ++i) {
    slice.push_back(items[i]);
  }
  TestHeaders headers = {{"X-Total-Count", std::to_string(items.size())}};
  if (page * per_page < items.size()) {
    query["page"] = std::to_string(page + 1);
    std::string next = base_url + request.path + "?";
    for (const auto& [key, value] : query) {
      next += key + "=" + infra::util::percent_encode(value) + "&";
    }
    next.pop_back();
    headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
  }
  return json_response(200, slice, headers);
}

// The fine-grained permission a write route needs (GitHub's X-Accepted-GitHub-Permissions).
std::string needed_permission(const std::string& method, const std::vector<std::string>& parts) {
  if (method == "GET" || parts.size() < 4) {
    return "";
  }
  const std::string& area = parts[3];
  if (area == "pulls") {
    return "pull_requests=write";
  }
  if (area == "issues") {
    return "issues=write";
  }
  if (area == "statuses") {
    return "statuses=write";
  }
  if (area == "check-runs") {
    return "checks=write";
  }
  return "contents=write";
}

} // namespace

FakeGitHub::FakeGitHub(Flavor flavor) : m_flavor(flavor) {
  std::filesystem::create_directories(m_dir / "git");
  GitServerOptions git_options;
  git_options.root = m_dir / "git";
  git_options.anonymous_read = true;
  git_options.authorize = [this](const std::string& user, const std::string& password) {
    std::lock_guard lock(m_mutex);
    auto token = m_tokens.find(password);
    // GitHub takes any user name with a token ("x-access-token" by convention); Forgejo
    // wants the token owner's login.
    return token != m_tokens.end() && (is_forgejo() ? user == token->second.first : true);
  };
  m_git = std::make_unique<GitHttpServer>(git_options);
  m_api = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

FakeGitHub::~FakeGitHub() = default;

std::string FakeGitHub::api_url() const {
  return m_api->url(is_forgejo() ? "/api/v1" : "");
}

TestResponse FakeGitHub::error(int status, const std::string& message, TestHeaders headers) const {
  if (is_forgejo()) {
    return json_response(status, {{"message", message}, {"url", m_api->url("/api/swagger")}},
                         std::move(headers));
  }
  return github_error(status, message, std::move(headers));
}

void FakeGitHub::add_user(const std::string& login, const std::string& token,
                          std::set<std::string> permissions) {
  std::lock_guard lock(m_mutex);
  m_tokens[token] = {login, std::move(permissions)};
}

void FakeGitHub::add_repository(const std::string& owner, const std::string& name,
                                const std::map<std::string, std::string>& files,
                                const std::string& default_branch) {
  auto seed = m_dir / "seed" / owner / name;
  std::filesystem::create_directories(seed);
  run_git(seed, {"init", "-q", "-b", default_branch});
  for (const auto& [path, content] : files) {
    m_dir.write("seed/" + owner + "/" + name + "/" + path, content);
  }
  run_git(seed, {"add", "-A"});
  run_git(seed, {"commit", "-q", "-m", "Initial commit"});
  std::filesystem::create_directories(m_dir / "git" / owner);
  run_git(m_dir / "git" / owner, {"clone", "-q", "--bare", seed.string(), name + ".git"});
  auto repo = std::make_unique<Repo>();
  repo->owner = owner;
  repo->name = name;
  repo->default_branch = default_branch;
  std::lock_guard lock(m_mutex);
  m_repos[owner + "/" + name] = std::move(repo);
}

void FakeGitHub::add_release(const std::string& owner, const std::string& name,
                             const std::string& tag, const std::string& body) {
  std::lock_guard lock(m_mutex);
  Repo* repo = find_repo(owner, name);
  repo->releases.push_back(
      {{"id", ++m_next_id},
       {"tag_name", tag},
       {"name", tag},
       {"body", body},
       {"draft", false},
       {"prerelease", false},
       {"target_commitish", repo->default_branch},
       {"html_url", "https://github.com/" + owner + "/" + name + "/releases/tag/" + tag},
       {"created_at", now_iso()},
       {"published_at", now_iso()}});
}

void FakeGitHub::set_permission(const std::string& owner, const std::string& name,
                                const std::string& user, const std::string& permission) {
  std::lock_guard lock(m_mutex);
  find_repo(owner, name)->permissions[user] = permission;
}

std::string FakeGitHub::clone_url(const std::string& owner, const std::string& name) const {
  return m_git->repo_url(owner + "/" + name);
}

std::string FakeGitHub::add_pull_request(const std::string& owner, const std::string& name,
                                         long number, const std::string& author,
                                         const std::string& head_branch,
                                         const std::map<std::string, std::string>& files) {
  std::filesystem::path bare = m_dir / "git" / owner / (name + ".git");
  std::filesystem::path work = m_dir / "pr-work" / (owner + "-" + name + "-" + head_branch);
  std::filesystem::create_directories(work.parent_path());
  run_git(work.parent_path(), {"clone", "-q", bare.string(), work.string()});
  run_git(work, {"checkout", "-q", "-b", head_branch});
  for (const auto& [path, content] : files) {
    std::filesystem::create_directories((work / path).parent_path());
    std::ofstream(work / path, std::ios::binary) << content;
  }
  run_git(work, {"add", "-A"});
  run_git(work, {"-c", "user.name=" + author, "-c", "user.email=" + author + "@example.org",
                 "commit", "-q", "-m", "Change from " + author});
  run_git(work, {"push", "-q", "origin", head_branch});
  std::string sha = run_git(work, {"rev-parse", "HEAD"});
  sha.erase(sha.find_last_not_of("\n") + 1);
  std::lock_guard lock(m_mutex);
  Repo* repo = find_repo(owner, name);
  std::string full = owner + "/" + name;
  std::string url = "https://github.com/" + full + "/pull/" + std::to_string(number);
  while (repo->issues.size() + 1 < static_cast<std::size_t>(number)) { // numbers in between
    repo->issues.push_back({{"number", repo->issues.size() + 1},
                            {"title", "Earlier issue"},
                            {"state", "closed"},
                            {"user", user_json(owner)}});
  }
  json pr = {{"id", ++m_next_id},
             {"number", number},
             {"state", "open"},
             {"title", "Change from " + author},
             {"body", ""},
             {"user", user_json(author)},
             {"html_url", url},
             {"head",
              {{"label", author + ":" + head_branch},
               {"ref", head_branch},
               {"sha", sha},
               {"clone_url", m_git->repo_url(full)},
               {"full_name", full},
               {"user", user_json(author)}}},
             {"base",
              {{"label", owner + ":" + repo->default_branch},
               {"ref", repo->default_branch},
               {"clone_url", m_git->repo_url(full)},
               {"full_name", full},
               {"user", user_json(owner)}}},
             {"maintainer_can_modify", true},
             {"created_at", now_iso()},
             {"updated_at", now_iso()}};
  repo->pulls.push_back(pr);
  repo->issues.push_back({{"number", number},
                          {"title", pr["title"]},
                          {"state", "open"},
                          {"user", user_json(author)},
                          {"pull_request", {{"url", url}}}});
  return sha;
}

long FakeGitHub::add_merged_pull_request(const std::string& owner, const std::string& name,
                                         const std::string& author, const std::string& base,
                                         const std::string& merge_commit) {
  std::lock_guard lock(m_mutex);
  Repo* repo = find_repo(owner, name);
  std::string full = owner + "/" + name;
  long number = static_cast<long>(repo->issues.size() + 1);
  std::string head_ref = "merged-" + std::to_string(number);
  json pr = {{"id", ++m_next_id},
             {"number", number},
             {"state", "closed"},
             {"title", "Merged change " + std::to_string(number)},
             {"body", ""},
             {"user", user_json(author)},
             {"html_url", "https://github.com/" + full + "/pull/" + std::to_string(number)},
             {"head",
              {{"label", author + ":" + head_ref},
               {"ref", head_ref},
               {"sha", merge_commit},
               {"user", user_json(author)}}},
             {"base", {{"label", owner + ":" + base}, {"ref", base}, {"user", user_json(owner)}}},
             {"merged", true},
             {"merged_at", now_iso()},
             {"merge_commit_sha", merge_commit},
             {"created_at", now_iso()},
             {"updated_at", now_iso()}};
  repo->pulls.push_back(pr);
  repo->issues.push_back({{"number", number},
                          {"title", pr["title"]},
                          {"state", "closed"},
                          {"user", user_json(author)},
                          {"pull_request", {{"url", pr["html_url"]}}}});
  return number;
}

std::filesystem::path FakeGitHub::git_dir(const std::string& owner, const std::string& name) const {
  return m_dir / "git" / owner / (name + ".git");
}

void FakeGitHub::inject(const std::string& route_prefix, TestResponse response, int count,
                        bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

FakeGitHub::Repo* FakeGitHub::find_repo(const std::string& owner, const std::string& name) {
  auto it = m_repos.find(owner + "/" + name);
  return it == m_repos.end() ? nullptr : it->second.get();
}

const FakeGitHub::Repo* FakeGitHub::find_repo(const std::string& owner,
                                              const std::string& name) const {
  auto it = m_repos.find(owner + "/" + name);
  return it == m_repos.end() ? nullptr : it->second.get();
}

json FakeGitHub::repo_json(const Repo& repo) const {
  json result = from_template("repository");
  result["id"] = std::hash<std::string>{}(repo.owner + "/" + repo.name) % 1000000;
  result["name"] = repo.name;
  result["full_name"] = repo.owner + "/" + repo.name;
  set_login(result["owner"], repo.owner);
  result["private"] = false;
  result["fork"] = repo.fork;
  result["default_branch"] = repo.default_branch;
  result["html_url"] = "https://github.com/" + repo.owner + "/" + repo.name;
  result["clone_url"] = m_git->repo_url(repo.owner + "/" + repo.name);
  if (repo.fork) {
    json parent = from_template("repository");
    parent.erase("parent");
    parent.erase("source");
    parent["full_name"] = repo.parent;
    result["parent"] = parent;
    result["source"] = parent;
  } else {
    result.erase("parent");
    result.erase("source");
  }
  return result;
}

TestResponse FakeGitHub::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer_authorised(request); });
}

TestResponse FakeGitHub::answer_authorised(const TestRequest& request) {
  TestRequest routed = request;
  if (is_forgejo()) {
    if (!request.path.starts_with("/api/v1/")) {
      return error(404, "Not Found");
    }
    routed.path = request.path.substr(7);
  }
  auto token = m_tokens.find(authorization_token(routed));
  if (token == m_tokens.end()) {
    return is_forgejo() ? error(401, "token is required") : github_error(401, "Bad credentials");
  }
  const auto& [login, granted] = token->second;
  std::string needed = needed_permission(routed.method, split_path(routed.path));
  if (!needed.empty() && granted.count("*") == 0 && granted.count(needed) == 0) {
    if (is_forgejo()) {
      return error(403, "token does not have at least one of required scope(s): [" + needed + "]");
    }
    return github_error(403, "Resource not accessible by personal access token",
                        {{"X-Accepted-GitHub-Permissions", needed}});
  }
  TestResponse response = route(routed, login);
  response.headers.emplace_back("X-RateLimit-Limit", "5000");
  response.headers.emplace_back("X-RateLimit-Remaining", "4999");
  response.headers.emplace_back("X-RateLimit-Reset", "4102444800");
  return response;
}

TestResponse FakeGitHub::route(const TestRequest& request, const std::string& login) {
  auto parts = split_path(request.path);
  const std::string& method = request.method;
  json body = parse_body(request);
  if (body.is_discarded()) {
    return error(400, "Problems parsing JSON");
  }
  if (method == "GET" && parts == std::vector<std::string>{"user"}) {
    return json_response(200, user_json(login));
  }
  if (parts.size() < 3 || parts[0] != "repos") {
    return error(404, "Not Found");
  }
  Repo* repo = find_repo(parts[1], parts[2]);
  if (repo == nullptr ||
      (method == "GET" && repo->unreadable_reads > 0 && repo->unreadable_reads--)) {
    return error(404, "Not Found");
  }
  std::string area = parts.size() > 3 ? parts[3] : "";
  std::string full = repo->owner + "/" + repo->name;

  if (method == "GET" && parts.size() == 3) {
    return json_response(200, repo_json(*repo));
  }
  if (method == "GET" && area == "releases" && parts.size() == 6 && parts[4] == "tags") {
    for (const json& release : repo->releases) {
      if (release["tag_name"] == parts[5]) {
        json answer = from_template("release");
        for (const auto& [key, value] : release.items()) {
          answer[key] = value;
        }
        set_login(answer["author"], repo->owner);
        return json_response(200, answer);
      }
    }
    return error(404, "Not Found");
  }
  if (method == "GET" && area == "releases" && parts.size() == 5 && parts[4] == "latest") {
    for (auto it = repo->releases.rbegin(); it != repo->releases.rend(); ++it) {
      if (!(*it)["draft"].get<bool>() && !(*it)["prerelease"].get<bool>()) {
        json answer = from_template("release");
        for (const auto& [key, value] : it->items()) {
          answer[key] = value;
        }
        set_login(answer["author"], repo->owner);
        return json_response(200, answer);
      }
    }
    return error(404, "Not Found");
  }
  if (method == "POST" && area == "check-runs" && parts.size() == 4 && !is_forgejo()) {
    if (!body.contains("name") || !body.contains("head_sha")) {
      return json_response(422, {{"message", "Invalid request."}, {"documentation_url", k_docs}});
    }
    json run = from_template("check-run");
    run["id"] = ++m_next_id;
    run["name"] = body["name"];
    run["head_sha"] = body["head_sha"];
    run["status"] = body.value("status", "queued");
    run["conclusion"] = body.contains("conclusion") ? body["conclusion"] : json(nullptr);
    run["details_url"] = body.value("details_url", "");
    if (body.contains("output")) {
      run["output"]["title"] = body["output"].value("title", "");
      run["output"]["summary"] = body["output"].value("summary", "");
    }
    repo->check_runs.push_back(run);
    return json_response(201, run);
  }
  if (method == "GET" && area == "contents" && parts.size() >= 5) {
    std::string path;
    for (std::size_t i = 4; i < parts.size(); ++i) {
      path += (i > 4 ? "/" : "") + parts[i];
    }
    auto query = parse_query(request.query);
    std::string ref = query.count("ref") ? query["ref"] : repo->default_branch;
    std::string content;
    try {
      content = file_at(repo->owner, repo->name, ref, path);
    } catch (const std::exception&) {
      return error(404, "Not Found");
    }
    json file = from_template("content-file");
    file["type"] = "file";
    file["encoding"] = "base64";
    file["name"] = parts.back();
    file["path"] = path;
    file["size"] = content.size();
    file["content"] = infra::util::base64_encode(content);
    return json_response(200, file);
  }
  if (method == "POST" && area == "forks" && parts.size() == 4) {
    std::string fork_name = login + "/" + repo->name;
    if (is_forgejo() && m_repos.count(fork_name) > 0) {
      return error(409, "repository is already forked by user");
    }
    if (m_repos.count(fork_name) == 0) {
      std::filesystem::create_directories(m_dir / "git" / login);
      run_git(m_dir / "git" / login,
              {"clone", "-q", "--bare",
               (m_dir / "git" / repo->owner / (repo->name + ".git")).string(),
               repo->name + ".git"});
      auto fork = std::make_unique<Repo>();
      fork->owner = login;
      fork->name = repo->name;
      fork->default_branch = repo->default_branch;
      fork->fork = true;
      fork->parent = full;
      fork->unreadable_reads = m_fork_delay;
      m_repos[fork_name] = std::move(fork);
    }
    return json_response(202, repo_json(*m_repos[fork_name]));
  }
  // Forgejo: GET /repos/{o}/{r}/commits/{sha}/pull -> the merged PR (404 when none);
  // GitHub: GET /repos/{o}/{r}/commits/{sha}/pulls -> every PR holding the commit
  if (method == "GET" && area == "commits" && parts.size() == 6 &&
      parts[5] == (is_forgejo() ? "pull" : "pulls")) {
    json found = json::array();
    for (const json& pr : repo->pulls) {
      if (pr.value("merge_commit_sha", "") == parts[4] || pr["head"].value("sha", "") == parts[4]) {
        json shown = render_pull(pr, false, full);
        shown["merged"] = pr.value("merged", false);
        shown["merged_at"] = pr.contains("merged_at") ? pr["merged_at"] : json(nullptr);
        shown["merge_commit_sha"] = pr.value("merge_commit_sha", "");
        shown["state"] = pr["state"];
        found.push_back(shown);
      }
    }
    if (is_forgejo()) {
      return found.empty() ? error(404, "pull request does not exist")
                           : json_response(200, found[0]);
    }
    return json_response(200, found);
  }
  if (area == "pulls" && parts.size() == 4 && method == "GET") {
    auto query = parse_query(request.query);
    json open = json::array();
    for (const json& pr : repo->pulls) {
      bool head_matches = !query.count("head") || pr["head"]["label"] == query["head"];
      if (pr["state"] == "open" && head_matches) {
        open.push_back(render_pull(pr, true, full));
      }
    }
    return paged(request, api_url(), open, m_page_size);
  }
  if (area == "pulls" && parts.size() == 4 && method == "POST") {
    for (const char* field : {"title", "head", "base"}) {
      if (!body.contains(field) || !body[field].is_string()) {
        return json_response(422, {{"message", "Invalid request.\n\n\"" + std::string(field) +
                                                   "\" wasn't supplied."},
                                   {"documentation_url", k_docs}});
      }
    }
    std::string head = body["head"];
    for (const json& pr : repo->pulls) {
      if (pr["state"] == "open" && pr["head"]["label"] == head &&
          pr["base"]["ref"] == body["base"]) {
        if (is_forgejo()) {
          return error(409, "pull request already exists for these targets [id: " +
                                std::to_string(pr["id"].get<long>()) +
                                ", issue_id: " + std::to_string(pr["number"].get<long>()) +
                                ", head_branch: " + pr["head"]["ref"].get<std::string>() +
                                ", base_branch: " + body["base"].get<std::string>() + "]");
        }
        return json_response(
            422, {{"message", "Validation Failed"},
                  {"errors",
                   json::array({{{"resource", "PullRequest"},
                                 {"code", "custom"},
                                 {"message", "A pull request already exists for " + head + "."}}})},
                  {"documentation_url", k_docs}});
      }
    }
    std::size_t colon = head.find(':');
    std::string head_owner = colon == std::string::npos ? repo->owner : head.substr(0, colon);
    std::string head_ref = colon == std::string::npos ? head : head.substr(colon + 1);
    std::string sha;
    try {
      sha = run_git(m_dir / "git" / head_owner / (repo->name + ".git"),
                    {"rev-parse", "refs/heads/" + head_ref});
      sha.pop_back();
    } catch (const std::exception&) {
      return json_response(
          422,
          {{"message", "Validation Failed"},
           {"errors",
            json::array({{{"resource", "PullRequest"}, {"field", "head"}, {"code", "invalid"}}})},
           {"documentation_url", k_docs}});
    }
    long number = static_cast<long>(repo->issues.size() + 1);
    json pr = {{"id", ++m_next_id},
               {"number", number},
               {"state", "open"},
               {"title", body["title"]},
               {"body", body.value("body", "")},
               {"user", user_json(login)},
               {"html_url", "https://github.com/" + full + "/pull/" + std::to_string(number)},
               {"head",
                {{"label", head_owner + ":" + head_ref},
                 {"ref", head_ref},
                 {"sha", sha},
                 {"clone_url", m_git->repo_url(head_owner + "/" + repo->name)},
                 {"full_name", head_owner + "/" + repo->name},
                 {"user", user_json(head_owner)}}},
               {"base",
                {{"label", repo->owner + ":" + body["base"].get<std::string>()},
                 {"ref", body["base"]},
                 {"user", user_json(repo->owner)}}},
               {"maintainer_can_modify", body.value("maintainer_can_modify", false)},
               {"created_at", now_iso()},
               {"updated_at", now_iso()}};
    repo->pulls.push_back(pr);
    repo->issues.push_back({{"number", number},
                            {"title", body["title"]},
                            {"state", "open"},
                            {"user", user_json(login)},
                            {"pull_request", {{"url", pr["html_url"]}}}});
    return json_response(201, render_pull(pr, false, full));
  }
  if (area == "pulls" && parts.size() == 5 && method == "GET") {
    for (const json& pr : repo->pulls) {
      if (std::to_string(pr["number"].get<long>()) == parts[4]) {
        return json_response(200, render_pull(pr, false, full));
      }
    }
    return error(404, "Not Found");
  }
  if (area == "commits" && parts.size() == 6 && parts[5] == "status" && method == "GET") {
    json latest = json::array(); // the newest status of each context, newest first
    std::set<std::string> seen;
    for (auto it = repo->statuses.rbegin(); it != repo->statuses.rend(); ++it) {
      if ((*it)["sha"] == parts[4] && seen.insert((*it)["context"].get<std::string>()).second) {
        latest.push_back(render(
            "status", *it, {"id", "state", "context", "description", "target_url", "created_at"},
            "creator"));
        if (is_forgejo()) {
          latest.back()["status"] = latest.back()["state"];
          latest.back().erase("state");
        }
      }
    }
    std::string state = latest.empty() ? "pending" : "success";
    for (const json& status : latest) {
      std::string one = status.value(is_forgejo() ? "status" : "state", "");
      state = one == "failure" || one == "error"       ? "failure"
              : one == "pending" && state != "failure" ? "pending"
                                                       : state;
    }
    return json_response(200, {{"state", state},
                               {"sha", parts[4]},
                               {"total_count", latest.size()},
                               {"statuses", latest}});
  }
  if (area == "commits" && parts.size() == 6 && parts[5] == "check-runs" && method == "GET" &&
      !is_forgejo()) {
    json latest = json::array(); // filter=latest: the newest run of each name
    std::set<std::string> seen;
    for (auto it = repo->check_runs.rbegin(); it != repo->check_runs.rend(); ++it) {
      if ((*it)["head_sha"] == parts[4] && seen.insert((*it)["name"].get<std::string>()).second) {
        latest.push_back(*it);
      }
    }
    return json_response(200, {{"total_count", latest.size()}, {"check_runs", latest}});
  }
  if (area == "pulls" && parts.size() == 5 && method == "PATCH") {
    for (json& pr : repo->pulls) {
      if (std::to_string(pr["number"].get<long>()) == parts[4]) {
        for (const char* field : {"title", "body", "state"}) {
          if (body.contains(field)) {
            pr[field] = body[field];
          }
        }
        return json_response(is_forgejo() ? 201 : 200, render_pull(pr, false, full));
      }
    }
    return error(404, "Not Found");
  }
  if (area == "issues" && parts.size() == 4 && method == "GET") {
    auto query = parse_query(request.query);
    json selected = json::array();
    for (const json& issue : repo->issues) {
      const char* creator_key = is_forgejo() ? "created_by" : "creator";
      bool creator_ok = !query.count(creator_key) || issue["user"]["login"] == query[creator_key];
      if (issue["state"] == "open" && creator_ok) {
        selected.push_back(render_issue(issue));
      }
    }
    return paged(request, api_url(), selected, m_page_size);
  }
  if (area == "issues" && parts.size() == 4 && method == "POST") {
    if (!body.contains("title") || !body["title"].is_string()) {
      return json_response(422, {{"message", "Validation Failed"}, {"documentation_url", k_docs}});
    }
    long number = static_cast<long>(repo->issues.size() + 1);
    json issue = {{"id", ++m_next_id},
                  {"number", number},
                  {"title", body["title"]},
                  {"body", body.value("body", "")},
                  {"state", "open"},
                  {"user", user_json(login)},
                  {"html_url", "https://github.com/" + full + "/issues/" + std::to_string(number)}};
    repo->issues.push_back(issue);
    return json_response(201, render_issue(issue));
  }
  if (area == "issues" && parts.size() == 6 && parts[5] == "comments") {
    long number = std::stol(parts[4]);
    if (number < 1 || static_cast<std::size_t>(number) > repo->issues.size()) {
      return error(404, "Not Found");
    }
    json& list = repo->comments[number];
    if (!list.is_array()) {
      list = json::array();
    }
    if (method == "GET") {
      json rendered = json::array();
      for (const json& comment : list) {
        rendered.push_back(
            render("issue-comment", comment, {"id", "body", "html_url", "created_at"}, "user"));
      }
      return paged(request, api_url(), rendered, m_page_size);
    }
    if (!body.contains("body") || !body["body"].is_string()) {
      return json_response(422, {{"message", "Invalid request.\n\n\"body\" wasn't supplied."},
                                 {"documentation_url", k_docs}});
    }
    json comment = {{"id", ++m_next_id},
                    {"body", body["body"]},
                    {"user", user_json(login)},
                    {"html_url", "https://github.com/" + full + "/issues/" + parts[4] +
                                     "#issuecomment-" + std::to_string(m_next_id)},
                    {"created_at", now_iso()}};
    list.push_back(comment);
    return json_response(
        201, render("issue-comment", comment, {"id", "body", "html_url", "created_at"}, "user"));
  }
  if (area == "issues" && parts.size() == 7 && parts[4] == "comments" && parts[6] == "reactions" &&
      method == "POST") {
    std::string content = body.value("content", "");
    static const std::set<std::string> k_allowed = {"+1",    "-1",     "laugh",  "confused",
                                                    "heart", "hooray", "rocket", "eyes"};
    if (k_allowed.count(content) == 0) {
      return json_response(422, {{"message", "Validation Failed"}, {"documentation_url", k_docs}});
    }
    for (const json& reaction : repo->reactions) {
      if (reaction["comment_id"] == parts[5] && reaction["content"] == content &&
          reaction["user"]["login"] == login) {
        return json_response(200,
                             render("reaction", reaction, {"id", "content", "created_at"}, "user"));
      }
    }
    json reaction = {{"id", ++m_next_id},
                     {"content", content},
                     {"user", user_json(login)},
                     {"comment_id", parts[5]},
                     {"created_at", now_iso()}};
    repo->reactions.push_back(reaction);
    return json_response(201,
                         render("reaction", reaction, {"id", "content", "created_at"}, "user"));
  }
  if (area == "statuses" && parts.size() == 5 && method == "POST") {
    static const std::set<std::string> k_states = {"pending", "success", "failure", "error"};
    if (!body.contains("state") || k_states.count(body.value("state", "")) == 0) {
      return json_response(422, {{"message", "Validation Failed"}, {"documentation_url", k_docs}});
    }
    json status = {{"id", ++m_next_id},
                   {"state", body["state"]},
                   {"context", body.value("context", "default")},
                   {"description", body.value("description", "")},
                   {"target_url", body.value("target_url", "")},
                   {"sha", parts[4]},
                   {"creator", user_json(login)},
                   {"created_at", now_iso()}};
    repo->statuses.push_back(status);
    return json_response(
        201,
        render("status", status,
               {"id", "state", "context", "description", "target_url", "created_at"}, "creator"));
  }
  if (area == "collaborators" && parts.size() == 6 && parts[5] == "permission" && method == "GET") {
    const std::string& user = parts[4];
    std::string permission = user == repo->owner ? (is_forgejo() ? "owner" : "admin") : "none";
    if (auto it = repo->permissions.find(user); it != repo->permissions.end()) {
      permission = it->second;
    }
    std::string folded = permission == "maintain" ? "write"
                         : permission == "triage" ? "read"
                                                  : permission;
    json answer = from_template("collaborator-permission");
    answer["permission"] = folded;
    answer["role_name"] = permission;
    set_login(answer["user"], user);
    return json_response(200, answer);
  }
  return error(404, "Not Found");
}

json FakeGitHub::pulls(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(m_mutex);
  return find_repo(owner, name)->pulls;
}

json FakeGitHub::issues(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(m_mutex);
  json result = json::array();
  for (const json& issue : find_repo(owner, name)->issues) {
    if (!issue.contains("pull_request")) {
      result.push_back(issue);
    }
  }
  return result;
}

json FakeGitHub::comments(const std::string& owner, const std::string& name, long number) const {
  std::lock_guard lock(m_mutex);
  const Repo* repo = find_repo(owner, name);
  auto it = repo->comments.find(number);
  return it == repo->comments.end() ? json::array() : it->second;
}

json FakeGitHub::check_runs(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(m_mutex);
  return find_repo(owner, name)->check_runs;
}

json FakeGitHub::statuses(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(m_mutex);
  return find_repo(owner, name)->statuses;
}

json FakeGitHub::reactions(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(m_mutex);
  return find_repo(owner, name)->reactions;
}

void FakeGitHub::add_branch(const std::string& owner, const std::string& name,
                            const std::string& branch, const std::string& from) {
  run_git(m_dir / "git" / owner / (name + ".git"), {"branch", branch, from});
}

std::string FakeGitHub::file_at(const std::string& owner, const std::string& name,
                                const std::string& ref, const std::string& path) const {
  return run_git(m_dir / "git" / owner / (name + ".git"), {"show", ref + ":" + path});
}

} // namespace ferry::testing
