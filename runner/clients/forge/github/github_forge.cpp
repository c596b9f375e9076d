#include "clients/forge/github/github_forge.hpp"

#include "clients/forge/github/github_style_forge.hpp"
#include "clients/forge/rest_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/text.hpp"

#include <map>
#include <thread>

namespace ferry::clients::forge {

namespace {

namespace http = infra::http;
using http::Method;

std::string repo_path(const RepoRef& repo) {
  return "/repos/" + path_segment(repo.owner) + "/" + path_segment(repo.name);
}

// "a/b c" -> "a/b%20c": each segment encoded, slashes kept.
std::string file_path(std::string_view path) {
  std::string result;
  while (true) {
    std::size_t slash = path.find('/');
    result += path_segment(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return result;
    }
    result += '/';
    path.remove_prefix(slash + 1);
  }
}

std::string github_message(const RestResponse& response) {
  std::string message = json_string(response.body, "message")
                            .value_or(infra::util::shorten_front(response.raw_body, 200));
  const Json& errors = json_object(response.body, "errors");
  if (errors.is_array()) {
    for (const Json& error : errors) {
      if (auto detail = json_string(error, "message")) {
        message += ": " + *detail;
      }
    }
  }
  return message;
}

// GitHub says which permission an endpoint needs: fine-grained tokens in
// X-Accepted-GitHub-Permissions ("pull_requests=write"), classic ones in X-Accepted-OAuth-Scopes.
std::string needed_permission(const RestResponse& response) {
  if (auto fine = response.header("X-Accepted-GitHub-Permissions"); fine && !fine->empty()) {
    return "; the token needs the permission " + *fine;
  }
  if (auto scopes = response.header("X-Accepted-OAuth-Scopes"); scopes && !scopes->empty()) {
    return "; the token needs the scope " + *scopes;
  }
  return "; check the token's permissions on this repository";
}

Error decode_error(std::string_view service_name, const RestResponse& response,
                   const std::string& what) {
  std::string service(service_name);
  std::string status = "HTTP " + std::to_string(response.status);
  std::string message = github_message(response);
  switch (response.status) {
  case 401:
    return Error(ErrorKind::auth, service + " rejected the token while " + what + " (" + status +
                                      ": " + message +
                                      "): check that the token secret is set and not expired")
        .with_http_status(401);
  case 403:
    return Error(ErrorKind::auth, service + " refused " + what + " (" + status + ": " + message +
                                      ")" + needed_permission(response))
        .with_http_status(403);
  case 404:
    return Error(ErrorKind::not_found, "not found while " + what + " (" + status +
                                           "); a private repository looks missing to a token "
                                           "that cannot read it")
        .with_http_status(404);
  case 409:
  case 422:
    return Error(ErrorKind::conflict,
                 service + " refused " + what + " (" + status + ": " + message + ")")
        .with_http_status(response.status);
  default:
    return Error(ErrorKind::http_status, "unexpected answer from " + service + " while " + what +
                                             " (" + status + ": " + message + ")")
        .with_http_status(response.status);
  }
}

RepositoryInfo parse_repository(const Json& json) {
  RepositoryInfo info;
  const Json& owner = json_object(json, "owner");
  info.ref =
      RepoRef{json_string(owner, "login").value_or(""), json_string(json, "name").value_or("")};
  info.default_branch = json_string(json, "default_branch").value_or("main");
  info.clone_url = json_string(json, "clone_url").value_or("");
  info.is_fork = json_bool(json, "fork");
  return info;
}

PullRequest parse_pull_request(const Json& json) {
  PullRequest pr;
  pr.number = json_integer(json, "number").value_or(0);
  pr.title = json_string(json, "title").value_or("");
  pr.body = json_string(json, "body").value_or("");
  pr.url = json_string(json, "html_url").value_or("");
  const Json& head = json_object(json, "head");
  pr.head_branch = json_string(head, "ref").value_or("");
  // GitHub names the head's owner in head.user; Forgejo only in head.repo.owner.
  pr.head_owner =
      json_string(json_object(head, "user"), "login")
          .value_or(
              json_string(json_object(json_object(head, "repo"), "owner"), "login").value_or(""));
  pr.base_branch = json_string(json_object(json, "base"), "ref").value_or("");
  pr.head_sha = json_string(head, "sha").value_or("");
  pr.head_clone_url = json_string(json_object(head, "repo"), "clone_url").value_or("");
  pr.author = json_string(json_object(json, "user"), "login").value_or("");
  // Forgejo says "merged": true; GitHub only sets "merged_at".
  pr.merged = json_bool(json, "merged") || json_string(json, "merged_at").has_value();
  pr.merge_commit = json_string(json, "merge_commit_sha").value_or("");
  return pr;
}

bool is_commit_sha(const std::string& text) {
  return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string_view state_name(CommitState state) {
  switch (state) {
  case CommitState::pending:
    return "pending";
  case CommitState::success:
    return "success";
  case CommitState::failure:
    return "failure";
  case CommitState::error:
    return "error";
  }
  return "error";
}

std::string_view reaction_name(Reaction reaction) {
  switch (reaction) {
  case Reaction::eyes:
    return "eyes";
  case Reaction::thumbs_up:
    return "+1";
  case Reaction::thumbs_down:
    return "-1";
  case Reaction::rocket:
    return "rocket";
  case Reaction::confused:
    return "confused";
  }
  return "eyes";
}

// A commit status's state as GitHub ("state") or Forgejo ("status", with "warning") names it.
CommitState parse_state(std::string_view text) {
  if (text == "success") {
    return CommitState::success;
  }
  if (text == "failure" || text == "warning") {
    return CommitState::failure;
  }
  if (text == "pending") {
    return CommitState::pending;
  }
  return CommitState::error;
}

// A check run: in progress until completed; then its conclusion.
CheckRun parse_check_run(const Json& json) {
  CheckRun check;
  check.sha = json_string(json, "head_sha").value_or("");
  check.name = json_string(json, "name").value_or("");
  const Json& output = json_object(json, "output");
  check.title = json_string(output, "title").value_or("");
  check.summary = json_string(output, "summary").value_or("");
  check.details_url = json_string(json, "details_url").value_or("");
  std::string conclusion = json_string(json, "conclusion").value_or("");
  if (json_string(json, "status").value_or("") != "completed") {
    check.state = CommitState::pending;
  } else if (conclusion == "success" || conclusion == "neutral" || conclusion == "skipped") {
    check.state = CommitState::success;
  } else if (conclusion == "cancelled" || conclusion == "stale") {
    check.state = CommitState::error;
  } else {
    check.state = CommitState::failure;
  }
  return check;
}

Permission parse_permission(std::string_view text) {
  if (text == "admin" || text == "owner") {
    return Permission::admin;
  }
  if (text == "write" || text == "maintain") {
    return Permission::write;
  }
  if (text == "read" || text == "triage") {
    return Permission::read;
  }
  return Permission::none;
}

// A pull request or issue in a list: Forgejo sends "pull_request": null for plain issues.
bool is_pull_request(const Json& item) {
  return item.contains("pull_request") && !item["pull_request"].is_null();
}

class GitHubStyleForge final : public Forge {
public:
  GitHubStyleForge(http::HttpClient& client, ForgeSettings settings, Dialect dialect)
      : m_settings(std::move(settings)), m_dialect(std::move(dialect)),
        m_rest(
            client, m_settings.api_url, m_dialect.headers(m_settings.token),
            [service = m_dialect.service](const RestResponse& r, const std::string& what) {
              return decode_error(service, r, what);
            },
            RateLimitPolicy{m_settings.max_rate_limit_wait, m_settings.sleep}) {}

  // GitHub REST: GET /user
  Result<std::string> current_user() override {
    return m_rest.cached_login(m_login, Method::get, "/user", "login");
  }

  // GitHub REST: GET /repos/{owner}/{repo}
  Result<RepositoryInfo> repository(const RepoRef& repo) override {
    FERRY_TRY_ASSIGN(auto response, m_rest.expect(Method::get, repo_path(repo), {200},
                                                  "reading repository " + repo.full_name()));
    return parse_repository(response.body);
  }

  // GitHub REST: GET /repos/{owner}/{repo}/releases/tags/{tag}
  Result<std::optional<Release>> release_by_tag(const RepoRef& repo,
                                                const std::string& tag) override {
    return read_release(repo_path(repo) + "/releases/tags/" + path_segment(tag),
                        "reading release " + tag);
  }

  // GitHub REST: GET /repos/{owner}/{repo}/releases/latest (drafts and prereleases excluded)
  Result<std::optional<Release>> latest_release(const RepoRef& repo) override {
    return read_release(repo_path(repo) + "/releases/latest",
                        "reading the latest release of " + repo.full_name());
  }

  // GitHub REST: GET /repos/{owner}/{repo}/contents/{path}?ref={ref}
  Result<std::optional<std::string>> file_content(const RepoRef& repo, const std::string& path,
                                                  const std::string& ref) override {
    FERRY_TRY_ASSIGN(auto response, m_rest.expect(Method::get,
                                                  repo_path(repo) + "/contents/" + file_path(path) +
                                                      "?ref=" + path_segment(ref),
                                                  {200, 404}, "reading " + path + " at " + ref));
    if (response.status == 404) {
      return std::optional<std::string>();
    }
    auto content = json_string(response.body, "content");
    auto decoded = content ? infra::util::base64_decode(*content) : std::nullopt;
    if (!decoded) {
      return fail(ErrorKind::http_status, "GitHub's answer for " + path + " has no base64 content");
    }
    return std::optional<std::string>(std::move(*decoded));
  }

  // GitHub REST: POST /repos/{owner}/{repo}/forks (asynchronous), then poll the fork.
  Result<RepositoryInfo> ensure_fork(const RepoRef& upstream) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    RepoRef mine{me, upstream.name};
    FERRY_TRY_ASSIGN(auto existing, m_rest.call(Method::get, repo_path(mine)));
    if (existing.status == 200 && json_bool(existing.body, "fork")) {
      return parse_repository(existing.body);
    }
    Json request = Json::object();
    FERRY_TRY_ASSIGN(auto created,
                     m_rest.expect(Method::post, repo_path(upstream) + "/forks", {202, 409},
                                   "forking " + upstream.full_name(), &request, true));
    if (created.status == 409) { // Forgejo: the fork exists already (we just could not see it)
      FERRY_TRY(wait_until_readable(mine));
      return repository(mine);
    }
    RepositoryInfo fork = parse_repository(created.body);
    infra::log::info("forked {} to {}", upstream.full_name(), fork.ref.full_name());
    FERRY_TRY(wait_until_readable(fork.ref));
    return fork;
  }

  // Forgejo: GET /repos/{owner}/{repo}/commits/{sha}/pull (404: none);
  // GitHub REST: GET /repos/{owner}/{repo}/commits/{sha}/pulls (the merged one that made it)
  Result<std::optional<PullRequest>> merged_pull_request(const RepoRef& repo,
                                                         const std::string& sha) override {
    std::string what = "looking up the pull request merged as " + sha.substr(0, 12);
    if (m_dialect.single_commit_pull) {
      FERRY_TRY_ASSIGN(auto response,
                       m_rest.expect(Method::get,
                                     repo_path(repo) + "/commits/" + path_segment(sha) + "/pull",
                                     {200, 404}, what));
      if (response.status == 404) {
        return std::optional<PullRequest>();
      }
      PullRequest pr = parse_pull_request(response.body);
      return pr.merged ? std::optional<PullRequest>(std::move(pr)) : std::optional<PullRequest>();
    }
    FERRY_TRY_ASSIGN(auto all, m_rest.get_all_pages(repo_path(repo) + "/commits/" +
                                                        path_segment(sha) + "/pulls?per_page=50",
                                                    what));
    for (const Json& item : all) {
      PullRequest pr = parse_pull_request(item);
      if (pr.merged && (pr.merge_commit == sha || pr.merge_commit.empty())) {
        return std::optional<PullRequest>(std::move(pr));
      }
    }
    return std::optional<PullRequest>();
  }

  // GitHub REST: GET /repos/{owner}/{repo}/pulls?state=open&head={owner}:{branch}
  Result<std::vector<PullRequest>> find_pull_requests(const RepoRef& base,
                                                      const std::string& head_owner,
                                                      const std::string& head_branch) override {
    std::string query = "/pulls?state=open&" + std::string(m_dialect.page_size_parameter) + "=50";
    if (m_dialect.filters_pulls_by_head) {
      query += "&head=" + path_segment(head_owner + ":" + head_branch);
    }
    FERRY_TRY_ASSIGN(auto all,
                     m_rest.get_all_pages(repo_path(base) + query,
                                          "listing pull requests of " + base.full_name()));
    std::vector<PullRequest> found;
    for (const Json& item : all) {
      PullRequest pr = parse_pull_request(item);
      if (pr.head_branch == head_branch && pr.head_owner == head_owner) {
        found.push_back(std::move(pr));
      }
    }
    return found;
  }

  // GitHub REST: POST /repos/{owner}/{repo}/pulls; PATCH /repos/{owner}/{repo}/pulls/{n}
  Result<PullRequest> open_or_update_pull_request(const RepoRef& base,
                                                  const PullRequestDraft& draft) override {
    FERRY_TRY_ASSIGN(auto existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
    existing = into_branch(std::move(existing), draft.base_branch);
    if (!existing.empty()) {
      return update_pull_request(base, existing.front(), draft);
    }
    Json request = {{"title", draft.title},
                    {"head", draft.head_owner + ":" + draft.head_branch},
                    {"base", draft.base_branch},
                    {"body", draft.body},
                    {"maintainer_can_modify", true}};
    // Retried even after a timeout: a PR created meanwhile comes back as 422 "already exists".
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.call(Method::post, repo_path(base) + "/pulls", &request, true));
    if (response.status == 201) {
      return parse_pull_request(response.body);
    }
    if (m_dialect.is_duplicate_pull_request(response)) {
      FERRY_TRY_ASSIGN(existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
      existing = into_branch(std::move(existing), draft.base_branch);
      if (!existing.empty()) {
        return update_pull_request(base, existing.front(), draft);
      }
    }
    return std::unexpected(
        m_rest.decode(response, "opening a pull request in " + base.full_name()));
  }

  // GitHub REST: GET /repos/{owner}/{repo}/pulls/{n}
  Result<PullRequest> pull_request(const RepoRef& repo, long number) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   repo_path(repo) + "/pulls/" + std::to_string(number), {200},
                                   "reading pull request #" + std::to_string(number)));
    return parse_pull_request(response.body);
  }

  // GitHub REST: GET /repos/{owner}/{repo}/commits/{sha}/status (the latest status of each
  // context) and, on GitHub, GET /repos/{owner}/{repo}/commits/{sha}/check-runs (the latest run
  // of each name)
  Result<std::vector<CheckRun>> commit_checks(const RepoRef& repo,
                                              const std::string& sha) override {
    std::string commit = repo_path(repo) + "/commits/" + path_segment(sha);
    std::string page = "?" + std::string(m_dialect.page_size_parameter) + "=100";
    std::string what = "reading the checks of " + sha.substr(0, 12);
    std::map<std::string, CheckRun> by_name;
    FERRY_TRY_ASSIGN(auto combined,
                     m_rest.expect(Method::get, commit + "/status" + page, {200}, what));
    FERRY_TRY_ASSIGN(const Json* statuses, documented_list(combined, "statuses", what));
    for (const Json& item : *statuses) {
      CheckRun check;
      check.sha = sha;
      check.name = json_string(item, "context").value_or("");
      check.state = parse_state(
          json_string(item, "state").value_or(json_string(item, "status").value_or("")));
      check.title = json_string(item, "description").value_or("");
      check.details_url = json_string(item, "target_url").value_or("");
      by_name.emplace(check.name, std::move(check));
    }
    if (m_dialect.has_check_runs) {
      FERRY_TRY_ASSIGN(auto runs,
                       m_rest.expect(Method::get, commit + "/check-runs" + page, {200}, what));
      FERRY_TRY_ASSIGN(const Json* items, documented_list(runs, "check_runs", what));
      for (const Json& item : *items) {
        CheckRun check = parse_check_run(item);
        by_name[check.name] = std::move(check);
      }
    }
    std::vector<CheckRun> checks;
    for (auto& [name, check] : by_name) {
      checks.push_back(std::move(check));
    }
    return checks;
  }

  // GitHub REST: GET /repos/{owner}/{repo}/issues/{n}/comments
  Result<std::vector<Comment>> list_comments(const RepoRef& repo, const Thread& thread) override {
    FERRY_TRY_ASSIGN(auto all,
                     m_rest.get_all_pages(repo_path(repo) + "/issues/" +
                                              std::to_string(thread.number) + "/comments?" +
                                              std::string(m_dialect.page_size_parameter) + "=50",
                                          "listing comments on #" + std::to_string(thread.number)));
    std::vector<Comment> comments;
    for (const Json& item : all) {
      comments.push_back(parse_comment(item));
    }
    return comments;
  }

  // GitHub REST: POST /repos/{owner}/{repo}/issues/comments/{id}/reactions (200 if it exists)
  Status add_reaction(const RepoRef& repo, const Thread&, long comment_id,
                      Reaction reaction) override {
    Json request = {{"content", reaction_name(reaction)}};
    FERRY_TRY(m_rest.expect(
        Method::post,
        repo_path(repo) + "/issues/comments/" + std::to_string(comment_id) + "/reactions",
        {200, 201}, "reacting to comment " + std::to_string(comment_id), &request, true));
    return {};
  }

  // GitHub REST: POST /repos/{owner}/{repo}/statuses/{sha} (a repeat only adds a duplicate entry)
  Status set_commit_status(const RepoRef& repo, const CommitStatus& status) override {
    Json request = {{"state", state_name(status.state)},
                    {"context", status.context},
                    {"description",
                     infra::util::shorten_front(status.description, k_status_description_chars)}};
    if (!status.target_url.empty()) {
      request["target_url"] = status.target_url;
    }
    FERRY_TRY(m_rest.expect(Method::post, repo_path(repo) + "/statuses/" + path_segment(status.sha),
                            {201}, "setting the status of " + status.sha.substr(0, 12), &request,
                            true));
    return {};
  }

  // GitHub REST: GET /repos/{owner}/{repo}/collaborators/{user}/permission
  Result<Permission> permission(const RepoRef& repo, const std::string& user) override {
    FERRY_TRY_ASSIGN(
        auto response,
        m_rest.expect(Method::get,
                      repo_path(repo) + "/collaborators/" + path_segment(user) + "/permission",
                      {200, 404}, "reading " + user + "'s permission on " + repo.full_name()));
    if (response.status == 404) {
      return Permission::none;
    }
    return parse_permission(json_string(response.body, "permission").value_or("none"));
  }

  infra::git::Remote git_remote(const RepositoryInfo& repo) const override {
    std::string user =
        m_dialect.git_user.empty() ? m_login.value_or("ferry") : std::string(m_dialect.git_user);
    return infra::git::Remote{repo.clone_url, infra::git::Credentials{user, m_settings.token}};
  }

  // GitHub REST: POST /repos/{owner}/{repo}/check-runs. Only GitHub App tokens (GITHUB_TOKEN in
  // Actions with `checks: write`) may create check runs; with any other token (403), or on
  // Forgejo, the check becomes a commit status.
  Status report_check(const RepoRef& repo, const CheckRun& check) override {
    if (!m_dialect.has_check_runs) {
      return Forge::report_check(repo, check);
    }
    Json request = {{"name", check.name},
                    {"head_sha", check.sha},
                    {"output", {{"title", check.title}, {"summary", check.summary}}}};
    if (check.state == CommitState::pending) {
      request["status"] = "in_progress";
    } else {
      request["status"] = "completed";
      request["conclusion"] = check.state == CommitState::success ? "success" : "failure";
    }
    if (!check.details_url.empty()) {
      request["details_url"] = check.details_url;
    }
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.call(Method::post, repo_path(repo) + "/check-runs", &request, true));
    if (response.status == 201) {
      return {};
    }
    if (response.status == 403) {
      infra::log::debug("the token may not create check runs: reporting {} as a commit status",
                        check.name);
      return Forge::report_check(repo, check);
    }
    return std::unexpected(m_rest.decode(response, "reporting check " + check.name));
  }

private:
  Result<std::optional<Release>> read_release(const std::string& path, const std::string& what) {
    FERRY_TRY_ASSIGN(auto response, m_rest.expect(Method::get, path, {200, 404}, what));
    if (response.status == 404) {
      return std::optional<Release>();
    }
    Release release;
    release.tag = json_string(response.body, "tag_name").value_or("");
    release.name = json_string(response.body, "name").value_or("");
    release.body = json_string(response.body, "body").value_or("");
    release.url = json_string(response.body, "html_url").value_or("");
    release.prerelease = json_bool(response.body, "prerelease");
    std::string target = json_string(response.body, "target_commitish").value_or("");
    release.commit = is_commit_sha(target) ? target : "";
    return std::optional<Release>(std::move(release));
  }

  Result<PullRequest> update_pull_request(const RepoRef& base, const PullRequest& existing,
                                          const PullRequestDraft& draft) {
    if (existing.title == draft.title && existing.body == draft.body) {
      return existing;
    }
    Json request = {{"title", draft.title}, {"body", draft.body}};
    FERRY_TRY_ASSIGN(
        auto response,
        m_rest.expect(Method::patch, repo_path(base) + "/pulls/" + std::to_string(existing.number),
                      {200, 201}, "updating pull request #" + std::to_string(existing.number),
                      &request, true));
    return parse_pull_request(response.body);
  }

  // GitHub REST: POST /repos/{owner}/{repo}/issues/{n}/comments (pull requests are issues)
  Result<std::optional<Comment>> try_comment(const RepoRef& repo, const Thread& thread,
                                             const std::string& body) override {
    Json request = {{"body", body}};
    FERRY_TRY_ASSIGN(
        auto posted,
        m_rest.attempt(Method::post,
                       repo_path(repo) + "/issues/" + std::to_string(thread.number) + "/comments",
                       201, "commenting on #" + std::to_string(thread.number), &request));
    return posted ? std::optional<Comment>(parse_comment(posted->body)) : std::nullopt;
  }

  // GitHub REST: POST /repos/{owner}/{repo}/issues
  Result<std::optional<Issue>> try_open_issue(const RepoRef& repo, const std::string& title,
                                              const std::string& body) override {
    Json request = {{"title", title}, {"body", body}};
    FERRY_TRY_ASSIGN(auto created,
                     m_rest.attempt(Method::post, repo_path(repo) + "/issues", 201,
                                    "opening an issue in " + repo.full_name(), &request));
    return created ? std::optional<Issue>(parse_issue(created->body, true)) : std::nullopt;
  }

  // GitHub REST: GET /repos/{owner}/{repo}/issues?state=open&creator={me}
  Result<std::optional<Issue>> find_open_issue(const RepoRef& repo,
                                               const std::string& title) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    FERRY_TRY_ASSIGN(auto issues,
                     m_rest.get_all_pages(repo_path(repo) + "/issues?state=open&" +
                                              std::string(m_dialect.page_size_parameter) + "=50&" +
                                              std::string(m_dialect.creator_parameter) + "=" +
                                              path_segment(me),
                                          "listing open issues of " + repo.full_name()));
    for (const Json& item : issues) {
      if (json_string(item, "title") == title && !is_pull_request(item)) {
        return std::optional<Issue>(parse_issue(item, false));
      }
    }
    return std::optional<Issue>();
  }

  Status wait_until_readable(const RepoRef& fork) {
    auto deadline = std::chrono::steady_clock::now() + m_settings.fork_timeout;
    while (true) {
      FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::get, repo_path(fork)));
      if (response.status == 200) {
        return {};
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return fail(ErrorKind::timeout, "the fork " + fork.full_name() + " was not ready within " +
                                            std::to_string(m_settings.fork_timeout.count() / 1000) +
                                            " s");
      }
      m_settings.sleep(m_settings.fork_poll_interval);
    }
  }

  static Comment parse_comment(const Json& json) {
    return Comment{json_integer(json, "id").value_or(0), json_string(json, "body").value_or(""),
                   json_string(json_object(json, "user"), "login").value_or("")};
  }

  static Issue parse_issue(const Json& json, bool created) {
    return Issue{json_integer(json, "number").value_or(0), json_string(json, "title").value_or(""),
                 json_string(json, "html_url").value_or(""), created};
  }

  ForgeSettings m_settings;
  Dialect m_dialect;
  RestClient m_rest;
  std::optional<std::string> m_login;
};

} // namespace

std::unique_ptr<Forge> make_github_style_forge(http::HttpClient& client, ForgeSettings settings,
                                               Dialect dialect) {
  return std::make_unique<GitHubStyleForge>(client, std::move(settings), std::move(dialect));
}

namespace github {

namespace {

Dialect github_dialect() {
  Dialect dialect;
  dialect.service = "GitHub";
  dialect.headers = [](const std::string& token) {
    return http::Headers{{"Authorization", "Bearer " + token},
                         {"Accept", "application/vnd.github+json"},
                         {"X-GitHub-Api-Version", "2022-11-28"}};
  };
  dialect.page_size_parameter = "per_page";
  dialect.creator_parameter = "creator";
  dialect.filters_pulls_by_head = true;
  dialect.has_check_runs = true;
  dialect.git_user = "x-access-token";
  dialect.is_duplicate_pull_request = [](const RestResponse& response) {
    return response.status == 422 &&
           github_message(response).find("already exists") != std::string::npos;
  };
  return dialect;
}

} // namespace

std::unique_ptr<Forge> make_github_forge(http::HttpClient& client, ForgeSettings settings) {
  return make_github_style_forge(client, std::move(settings), github_dialect());
}

} // namespace github

} // namespace ferry::clients::forge
