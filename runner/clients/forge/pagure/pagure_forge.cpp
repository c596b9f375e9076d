#include "clients/forge/pagure/pagure_forge.hpp"

#include "clients/forge/rest_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/text.hpp"

#include <thread>

namespace ferry::clients::forge::pagure {

namespace {

namespace http = infra::http;
using http::Method;

std::string api_path(const RepoRef& repo) {
  return "/api/0/" + repo.owner + "/" + path_segment(repo.name);
}

std::string pagure_message(const RestResponse& response) {
  std::string message = json_string(response.body, "error")
                            .value_or(infra::util::shorten_front(response.raw_body, 200));
  const Json& errors = json_object(response.body, "errors");
  if (errors.is_string()) {
    message += ": " + errors.get<std::string>();
  } else if (errors.is_object() || errors.is_array()) {
    message += ": " + errors.dump();
  }
  return message;
}

Error decode_pagure_error(const RestResponse& response, const std::string& what) {
  std::string code = json_string(response.body, "error_code").value_or("");
  std::string detail = "HTTP " + std::to_string(response.status) +
                       (code.empty() ? "" : " " + code) + ": " + pagure_message(response);
  ErrorKind kind = ErrorKind::http_status;
  std::string advice;
  if (response.status == 401 || response.status == 403) {
    kind = ErrorKind::auth;
    const Json& errors = json_object(response.body, "errors");
    advice = errors.is_string() && errors.get<std::string>().starts_with("Missing ACLs")
                 ? "; create a token with these ACLs in the dist-git settings (API keys)"
                 : "; check that the dist-git token is set, valid and not expired";
  } else if (response.status == 404) {
    kind = ErrorKind::not_found;
  }
  return Error(kind, "Pagure refused " + what + " (" + detail + ")" + advice)
      .with_http_status(response.status);
}

PullRequest parse_pull_request(const Json& json, const std::string& base_url) {
  PullRequest pr;
  pr.number = json_integer(json, "id").value_or(0);
  pr.title = json_string(json, "title").value_or("");
  pr.body = json_string(json, "initial_comment").value_or("");
  pr.head_branch = json_string(json, "branch_from").value_or("");
  pr.base_branch = json_string(json, "branch").value_or("");
  const Json& from = json_object(json, "repo_from");
  pr.head_owner = json_string(json_object(from, "user"), "name").value_or("");
  pr.author = json_string(json_object(json, "user"), "name").value_or("");
  pr.head_sha = json_string(json, "commit_stop").value_or("");
  pr.merged = json_string(json, "status") == "Merged";
  std::string fullname =
      json_string(json_object(json, "project"), "url_path")
          .value_or(json_string(json_object(json, "project"), "fullname").value_or(""));
  pr.url = json_string(json, "full_url")
               .value_or(base_url + "/" + fullname + "/pull-request/" + std::to_string(pr.number));
  return pr;
}

std::string_view flag_status(CommitState state) {
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

bool in_list(const Json& access, const char* role, const std::string& user) {
  const Json& names = json_object(access, role);
  return names.is_array() && std::find(names.begin(), names.end(), Json(user)) != names.end();
}

// Users of access_groups roles, when the project was read with expand_group=1.
bool in_groups(const Json& project, const char* role, const std::string& user) {
  const Json& groups = json_object(json_object(project, "access_groups"), role);
  const Json& details = json_object(project, "group_details");
  if (!groups.is_array()) {
    return false;
  }
  for (const Json& group : groups) {
    if (group.is_string() && in_list(details, group.get<std::string>().c_str(), user)) {
      return true;
    }
  }
  return false;
}

class PagureForge final : public Forge {
public:
  PagureForge(http::HttpClient& client, ForgeSettings settings)
      : m_settings(std::move(settings)),
        m_rest(client, m_settings.api_url, {{"Authorization", "token " + m_settings.token}},
               decode_pagure_error,
               RateLimitPolicy{m_settings.max_rate_limit_wait, m_settings.sleep}) {
    while (!m_settings.api_url.empty() && m_settings.api_url.back() == '/') {
      m_settings.api_url.pop_back();
    }
  }

  // Pagure API 0: POST /api/0/-/whoami
  Result<std::string> current_user() override {
    return m_rest.cached_login(m_login, Method::post, "/api/0/-/whoami", "username");
  }

  // Pagure API 0: GET /api/0/<namespace>/<repo> and .../git/branches (for the default branch)
  Result<RepositoryInfo> repository(const RepoRef& repo) override {
    FERRY_TRY(
        m_rest.expect(Method::get, api_path(repo), {200}, "reading project " + repo.full_name()));
    FERRY_TRY_ASSIGN(auto branches,
                     m_rest.expect(Method::get, api_path(repo) + "/git/branches", {200},
                                   "listing branches of " + repo.full_name()));
    RepositoryInfo info;
    info.ref = repo;
    info.default_branch = json_string(branches.body, "default").value_or("rawhide");
    info.clone_url = clone_url(repo);
    info.is_fork = repo.owner.starts_with("fork/");
    return info;
  }

  Result<std::optional<Release>> release_by_tag(const RepoRef&, const std::string&) override {
    return std::optional<Release>(); // dist-git has no releases
  }

  Result<std::optional<Release>> latest_release(const RepoRef&) override {
    return std::optional<Release>();
  }

  // Pagure: GET <base>/<namespace>/<repo>/raw/<ref>/f/<path> (not under /api/0)
  Result<std::optional<std::string>> file_content(const RepoRef& repo, const std::string& path,
                                                  const std::string& ref) override {
    FERRY_TRY_ASSIGN(auto response, m_rest.expect(Method::get,
                                                  "/" + repo.owner + "/" + path_segment(repo.name) +
                                                      "/raw/" + path_segment(ref) + "/f/" + path,
                                                  {200, 404}, "reading " + path + " at " + ref));
    if (response.status == 404) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(response.raw_body);
  }

  // Pagure API 0: GET /api/0/fork/<me>/<ns>/<repo>; POST /api/0/fork (repo, namespace, wait)
  Result<RepositoryInfo> ensure_fork(const RepoRef& upstream) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    RepoRef fork{"fork/" + me + "/" + upstream.owner, upstream.name};
    FERRY_TRY_ASSIGN(auto existing, m_rest.call(Method::get, api_path(fork)));
    if (existing.status != 200) {
      // `wait` is tested for truthiness by Pagure: JSON true makes the call synchronous.
      Json request = {{"repo", upstream.name}, {"namespace", upstream.owner}, {"wait", true}};
      FERRY_TRY_ASSIGN(auto created, m_rest.call(Method::post, "/api/0/fork", &request, true));
      bool exists = created.status == 400 &&
                    pagure_message(created).find("already exists") != std::string::npos;
      if (created.status != 200 && !exists) {
        return std::unexpected(m_rest.decode(created, "forking " + upstream.full_name()));
      }
      infra::log::info("forked {} to {}", upstream.full_name(), fork.full_name());
      FERRY_TRY(wait_until_readable(fork));
    }
    return repository(fork);
  }

  // Pagure API 0: GET /api/0/<ns>/<repo>/pull-requests?status=Open&author=<me>
  Result<std::vector<PullRequest>> find_pull_requests(const RepoRef& base,
                                                      const std::string& head_owner,
                                                      const std::string& head_branch) override {
    std::vector<PullRequest> found;
    std::optional<std::string> next =
        api_path(base) +
        "/pull-requests?status=Open&per_page=100&author=" + path_segment(head_owner);
    for (int page = 0; next && page < 100; ++page) {
      FERRY_TRY_ASSIGN(
          auto response,
          m_rest.expect(Method::get, *next, {200}, "listing pull requests of " + base.full_name()));
      FERRY_TRY_ASSIGN(
          const Json* requests,
          documented_list(response, "requests", "could not tell whether a pull request exists"));
      for (const Json& item : *requests) {
        PullRequest pr = parse_pull_request(item, m_settings.api_url);
        if (pr.head_branch == head_branch && pr.head_owner == head_owner) {
          found.push_back(std::move(pr));
        }
      }
      next = json_string(json_object(response.body, "pagination"), "next");
    }
    return found;
  }

  // Pagure API 0: GET /api/0/<ns>/<repo>/pull-request/<id>
  Result<PullRequest> pull_request(const RepoRef& repo, long number) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   api_path(repo) + "/pull-request/" + std::to_string(number),
                                   {200}, "reading pull request #" + std::to_string(number)));
    return parse_pull_request(response.body, m_settings.api_url);
  }

  // Pagure API 0: POST /api/0/<ns>/<repo>/pull-request/new; POST .../pull-request/<id>.
  // Pagure accepts a second PR from the same branch, so a lost answer is never retried blindly.
  Result<PullRequest> open_or_update_pull_request(const RepoRef& base,
                                                  const PullRequestDraft& draft) override {
    FERRY_TRY_ASSIGN(auto existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
    existing = into_branch(std::move(existing), draft.base_branch);
    if (!existing.empty()) {
      return update_pull_request(base, existing.front(), draft);
    }
    Json request = {{"title", draft.title},
                    {"branch_to", draft.base_branch},
                    {"branch_from", draft.head_branch},
                    {"repo_from", base.name},
                    {"repo_from_username", draft.head_owner},
                    {"repo_from_namespace", base.owner},
                    {"initial_comment", draft.body}};
    auto created = m_rest.call(Method::post, api_path(base) + "/pull-request/new", &request);
    if (created && created->status == 200) {
      return parse_pull_request(created->body, m_settings.api_url);
    }
    if (created && created->status < 500) {
      return std::unexpected(
          m_rest.decode(*created, "opening a pull request in " + base.full_name()));
    }
    FERRY_TRY_ASSIGN(existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
    existing = into_branch(std::move(existing), draft.base_branch);
    if (!existing.empty()) {
      return update_pull_request(base, existing.front(), draft);
    }
    FERRY_TRY_ASSIGN(auto retried,
                     m_rest.expect(Method::post, api_path(base) + "/pull-request/new", {200},
                                   "opening a pull request in " + base.full_name(), &request));
    return parse_pull_request(retried.body, m_settings.api_url);
  }

  // Pagure API 0: GET /api/0/<ns>/<repo>/{pull-request,issue}/<id> (comments are in it)
  Result<std::vector<Comment>> list_comments(const RepoRef& repo, const Thread& thread) override {
    return read_comments(thread_path(repo, thread),
                         "reading the comments of #" + std::to_string(thread.number));
  }

  Status add_reaction(const RepoRef&, const Thread&, long, Reaction) override {
    infra::log::debug("Pagure has no reactions: nothing to do");
    return {};
  }

  // Pagure API 0: POST /api/0/<ns>/<repo>/c/<hash>/flag; the uid (from the context) makes a
  // repeat update the same flag.
  Status set_commit_status(const RepoRef& repo, const CommitStatus& status) override {
    Json request = {{"username", status.context},
                    {"status", flag_status(status.state)},
                    {"comment", status.description.empty() ? status.context : status.description},
                    {"url", status.target_url.empty() ? m_settings.api_url : status.target_url},
                    {"uid", flag_uid(status.context)}};
    FERRY_TRY(m_rest.expect(Method::post,
                            api_path(repo) + "/c/" + path_segment(status.sha) + "/flag", {200, 201},
                            "flagging commit " + status.sha.substr(0, 12), &request, true));
    return {};
  }

  // Pagure API 0: GET /api/0/<ns>/<repo>?expand_group=1 (access_users, access_groups)
  Result<Permission> permission(const RepoRef& repo, const std::string& user) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get, api_path(repo) + "?expand_group=1", {200},
                                   "reading the access lists of " + repo.full_name()));
    const Json& users = json_object(response.body, "access_users");
    if (in_list(users, "owner", user) || in_list(users, "admin", user) ||
        in_groups(response.body, "admin", user)) {
      return Permission::admin;
    }
    if (in_list(users, "commit", user) || in_list(users, "collaborator", user) ||
        in_groups(response.body, "commit", user) ||
        in_groups(response.body, "collaborator", user)) {
      return Permission::write;
    }
    return Permission::read; // projects on Pagure are public
  }

  infra::git::Remote git_remote(const RepositoryInfo& repo) const override {
    std::string user = m_login.value_or("");
    return infra::git::Remote{repo.clone_url, infra::git::Credentials{user, m_settings.token},
                              "Pagure takes an API key for git over HTTPS only when it holds the "
                              "`commit` ACL: add it to the dist-git token (dist-git settings, API "
                              "keys)"};
  }

private:
  std::string clone_url(const RepoRef& repo) const {
    if (repo.owner.starts_with("fork/")) { // fork/<user>/<ns> -> forks/<user>/<ns>
      return m_settings.api_url + "/forks/" + repo.owner.substr(5) + "/" + repo.name + ".git";
    }
    return m_settings.api_url + "/" + repo.owner + "/" + repo.name + ".git";
  }

  // A Pagure flag uid: at most 32 characters, stable for a context.
  static std::string flag_uid(const std::string& context) {
    return infra::util::to_hex(std::to_string(std::hash<std::string>{}(context))).substr(0, 32);
  }

  // Pagure stores a description stripped (on create and update) and a title as sent on create
  // but stripped on update: a draft that would be stored as it is now changes nothing.
  static bool stored_alike(const PullRequest& existing, const PullRequestDraft& draft) {
    using infra::util::strip_whitespace;
    return strip_whitespace(existing.title) == strip_whitespace(draft.title) &&
           strip_whitespace(existing.body) == strip_whitespace(draft.body);
  }

  // Pagure 5.13 lets only project members and the assignee update a pull request, not its
  // author (403 EPRNOTALLOWED); a key without `pull_request_update` cannot either (401). The
  // update is not needed for the pull request's content, so neither is a failure.
  static bool is_update_refusal(const RestResponse& response) {
    if (response.status == 403) {
      return json_string(response.body, "error_code") == "EPRNOTALLOWED";
    }
    const Json& errors = json_object(response.body, "errors");
    return response.status == 401 && errors.is_string() &&
           errors.get<std::string>().find("pull_request_update") != std::string::npos;
  }

  // Pagure API 0: POST .../pull-request/<id>. A refusal (above) leaves the pull request's title
  // and body as they were, which the caller is told in update_refused.
  Result<PullRequest> update_pull_request(const RepoRef& base, const PullRequest& existing,
                                          const PullRequestDraft& draft) {
    if (stored_alike(existing, draft)) {
      return existing;
    }
    Json request = {{"title", draft.title}, {"initial_comment", draft.body}};
    std::string what = "updating pull request #" + std::to_string(existing.number);
    FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::post,
                                                api_path(base) + "/pull-request/" +
                                                    std::to_string(existing.number),
                                                &request, true));
    if (is_update_refusal(response)) {
      PullRequest kept = existing;
      kept.update_refused = pagure_message(response);
      return kept;
    }
    if (response.status != 200) {
      return std::unexpected(m_rest.decode(response, what));
    }
    return parse_pull_request(response.body, m_settings.api_url);
  }

  static std::string thread_path(const RepoRef& repo, const Thread& thread) {
    return api_path(repo) + (thread.kind == ThreadKind::issue ? "/issue/" : "/pull-request/") +
           std::to_string(thread.number);
  }

  Result<std::vector<Comment>> read_comments(const std::string& thread, const std::string& what) {
    FERRY_TRY_ASSIGN(auto current, m_rest.expect(Method::get, thread, {200}, what));
    FERRY_TRY_ASSIGN(const Json* all, documented_list(current, "comments", what));
    std::vector<Comment> comments;
    for (const Json& item : *all) {
      comments.push_back(Comment{json_integer(item, "id").value_or(0),
                                 json_string(item, "comment").value_or(""),
                                 json_string(json_object(item, "user"), "name").value_or("")});
    }
    return comments;
  }

  // Pagure API 0: POST /api/0/<ns>/<repo>/{pull-request,issue}/<id>/comment (no id comes back)
  Result<std::optional<Comment>> try_comment(const RepoRef& repo, const Thread& thread,
                                             const std::string& body) override {
    Json request = {{"comment", body}};
    FERRY_TRY_ASSIGN(auto posted,
                     m_rest.attempt(Method::post, thread_path(repo, thread) + "/comment", 200,
                                    "commenting on #" + std::to_string(thread.number), &request));
    return posted ? std::optional<Comment>(Comment{0, body, m_login.value_or("")}) : std::nullopt;
  }

  // Pagure API 0: POST /api/0/<ns>/<repo>/new_issue
  Result<std::optional<Issue>> try_open_issue(const RepoRef& repo, const std::string& title,
                                              const std::string& body) override {
    Json request = {{"title", title}, {"issue_content", body}};
    FERRY_TRY_ASSIGN(auto created,
                     m_rest.attempt(Method::post, api_path(repo) + "/new_issue", 200,
                                    "opening an issue in " + repo.full_name(), &request));
    return created
               ? std::optional<Issue>(parse_issue(json_object(created->body, "issue"), repo, true))
               : std::nullopt;
  }

  // Pagure API 0: GET /api/0/<ns>/<repo>/issues?status=Open&author=<me>
  Result<std::optional<Issue>> find_open_issue(const RepoRef& repo,
                                               const std::string& title) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   api_path(repo) + "/issues?status=Open&per_page=100&author=" +
                                       path_segment(me),
                                   {200}, "listing issues of " + repo.full_name()));
    FERRY_TRY_ASSIGN(const Json* issues,
                     documented_list(response, "issues", "could not tell whether an issue exists"));
    for (const Json& item : *issues) {
      if (json_string(item, "title") == title) {
        return std::optional<Issue>(parse_issue(item, repo, false));
      }
    }
    return std::optional<Issue>();
  }

  Issue parse_issue(const Json& json, const RepoRef& repo, bool created) const {
    long id = json_integer(json, "id").value_or(0);
    return Issue{id, json_string(json, "title").value_or(""),
                 m_settings.api_url + "/" + repo.full_name() + "/issue/" + std::to_string(id),
                 created};
  }

  Status wait_until_readable(const RepoRef& fork) {
    auto deadline = std::chrono::steady_clock::now() + m_settings.fork_timeout;
    while (true) {
      FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::get, api_path(fork)));
      if (response.status == 200) {
        return {};
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return fail(ErrorKind::timeout, "the fork " + fork.full_name() + " was not ready in time");
      }
      m_settings.sleep(m_settings.fork_poll_interval);
    }
  }

  ForgeSettings m_settings;
  RestClient m_rest;
  std::optional<std::string> m_login;
};

} // namespace

std::unique_ptr<Forge> make_pagure_forge(http::HttpClient& client, ForgeSettings settings) {
  return std::make_unique<PagureForge>(client, std::move(settings));
}

} // namespace ferry::clients::forge::pagure
