#include "clients/forge/gitlab/gitlab_forge.hpp"

#include "clients/forge/rest_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/text.hpp"

#include <thread>

namespace ferry::clients::forge::gitlab {

namespace {

namespace http = infra::http;
using http::Method;

// GitLab takes a project as its URL-encoded full path: "group%2Fsub%2Fname".
std::string project_path(const RepoRef& repo) {
  return "/projects/" + path_segment(repo.full_name());
}

std::string gitlab_message(const RestResponse& response) {
  const Json& message = json_object(response.body, "message");
  if (message.is_string()) {
    return message.get<std::string>();
  }
  if (message.is_array() || message.is_object()) {
    return message.dump();
  }
  return json_string(response.body, "error_description")
      .value_or(json_string(response.body, "error")
                    .value_or(infra::util::shorten_front(response.raw_body, 200)));
}

Error decode_gitlab_error(const RestResponse& response, const std::string& what) {
  std::string detail = "HTTP " + std::to_string(response.status) + ": " + gitlab_message(response);
  switch (response.status) {
  case 401:
    return Error(ErrorKind::auth,
                 "GitLab rejected the token while " + what + " (" + detail +
                     "): check that the token variable is set, masked and not expired")
        .with_http_status(401);
  case 403: {
    std::string scope = json_string(response.body, "scope").value_or("");
    return Error(ErrorKind::auth,
                 "GitLab refused " + what + " (" + detail + ")" +
                     (scope.empty() ? "; the token's role may be too low (Developer is needed)"
                                    : "; the token needs the scope " + scope))
        .with_http_status(403);
  }
  case 404:
    return Error(ErrorKind::not_found, "not found while " + what + " (" + detail + ")")
        .with_http_status(404);
  case 409:
    return Error(ErrorKind::conflict, "GitLab refused " + what + " (" + detail + ")")
        .with_http_status(409);
  default:
    return Error(ErrorKind::http_status,
                 "unexpected answer from GitLab while " + what + " (" + detail + ")")
        .with_http_status(response.status);
  }
}

RepositoryInfo parse_project(const Json& json) {
  RepositoryInfo info;
  std::string full = json_string(json, "path_with_namespace").value_or("");
  std::size_t slash = full.rfind('/');
  info.ref = RepoRef{full.substr(0, slash == std::string::npos ? 0 : slash),
                     slash == std::string::npos ? full : full.substr(slash + 1)};
  info.default_branch = json_string(json, "default_branch").value_or("main");
  info.clone_url = json_string(json, "http_url_to_repo").value_or("");
  info.is_fork = json_object(json, "forked_from_project").is_object();
  return info;
}

Release parse_release(const Json& json) {
  Release release;
  release.tag = json_string(json, "tag_name").value_or("");
  release.name = json_string(json, "name").value_or("");
  release.body = json_string(json, "description").value_or("");
  release.commit = json_string(json_object(json, "commit"), "id").value_or("");
  release.url = json_string(json_object(json, "_links"), "self").value_or("");
  return release;
}

PullRequest parse_merge_request(const Json& json) {
  PullRequest mr;
  mr.number = json_integer(json, "iid").value_or(0);
  mr.title = json_string(json, "title").value_or("");
  mr.body = json_string(json, "description").value_or("");
  mr.head_branch = json_string(json, "source_branch").value_or("");
  mr.base_branch = json_string(json, "target_branch").value_or("");
  mr.author = json_string(json_object(json, "author"), "username").value_or("");
  mr.head_owner = mr.author;
  mr.url = json_string(json, "web_url").value_or("");
  mr.head_sha = json_string(json, "sha").value_or("");
  mr.merged = json_string(json, "state") == "merged";
  mr.merge_commit = json_string(json, "merge_commit_sha").value_or("");
  return mr;
}

std::string_view status_state(CommitState state) {
  switch (state) {
  case CommitState::pending:
    return "pending";
  case CommitState::success:
    return "success";
  case CommitState::failure:
  case CommitState::error:
    return "failed";
  }
  return "failed";
}

std::string_view emoji_name(Reaction reaction) {
  switch (reaction) {
  case Reaction::eyes:
    return "eyes";
  case Reaction::thumbs_up:
    return "thumbsup";
  case Reaction::thumbs_down:
    return "thumbsdown";
  case Reaction::rocket:
    return "rocket";
  case Reaction::confused:
    return "confused";
  }
  return "eyes";
}

std::string thread_path(const RepoRef& repo, const Thread& thread) {
  return project_path(repo) + (thread.kind == ThreadKind::issue ? "/issues/" : "/merge_requests/") +
         std::to_string(thread.number);
}

// Access levels: 10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner.
Permission permission_of(long access_level) {
  if (access_level >= 40) {
    return Permission::admin;
  }
  if (access_level >= 30) {
    return Permission::write;
  }
  return access_level >= 10 ? Permission::read : Permission::none;
}

class GitLabForge final : public Forge {
public:
  GitLabForge(http::HttpClient& client, ForgeSettings settings)
      : m_settings(std::move(settings)),
        m_rest(client, m_settings.api_url, {{"PRIVATE-TOKEN", m_settings.token}},
               decode_gitlab_error,
               RateLimitPolicy{m_settings.max_rate_limit_wait, m_settings.sleep}) {}

  // GitLab REST: GET /user
  Result<std::string> current_user() override {
    return m_rest.cached_login(m_login, Method::get, "/user", "username");
  }

  // GitLab REST: GET /projects/:id
  Result<RepositoryInfo> repository(const RepoRef& repo) override {
    FERRY_TRY_ASSIGN(auto response, m_rest.expect(Method::get, project_path(repo), {200},
                                                  "reading project " + repo.full_name()));
    return parse_project(response.body);
  }

  // GitLab REST: GET /projects/:id/releases/:tag_name
  Result<std::optional<Release>> release_by_tag(const RepoRef& repo,
                                                const std::string& tag) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   project_path(repo) + "/releases/" + path_segment(tag),
                                   {200, 404}, "reading release " + tag));
    if (response.status == 404) {
      return std::optional<Release>();
    }
    return std::optional<Release>(parse_release(response.body));
  }

  // GitLab REST: GET /projects/:id/releases?per_page=1 (newest first by released_at)
  Result<std::optional<Release>> latest_release(const RepoRef& repo) override {
    FERRY_TRY_ASSIGN(
        auto response,
        m_rest.expect(Method::get,
                      project_path(repo) + "/releases?per_page=1&order_by=released_at&sort=desc",
                      {200}, "listing releases of " + repo.full_name()));
    FERRY_TRY(documented_list(response, nullptr, "could not tell whether a release exists"));
    if (response.body.empty()) {
      return std::optional<Release>();
    }
    return std::optional<Release>(parse_release(response.body[0]));
  }

  // GitLab REST: GET /projects/:id/repository/files/:file_path?ref=
  Result<std::optional<std::string>> file_content(const RepoRef& repo, const std::string& path,
                                                  const std::string& ref) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   project_path(repo) + "/repository/files/" + path_segment(path) +
                                       "?ref=" + path_segment(ref),
                                   {200, 404}, "reading " + path + " at " + ref));
    if (response.status == 404) {
      return std::optional<std::string>();
    }
    auto decoded = infra::util::base64_decode(json_string(response.body, "content").value_or(""));
    if (!decoded) {
      return fail(ErrorKind::http_status, "GitLab's answer for " + path + " has no base64 content");
    }
    return std::optional<std::string>(std::move(*decoded));
  }

  // GitLab REST: POST /projects/:id/fork (an asynchronous import), then poll import_status.
  Result<RepositoryInfo> ensure_fork(const RepoRef& upstream) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    RepoRef mine{me, upstream.name};
    FERRY_TRY_ASSIGN(auto existing, m_rest.call(Method::get, project_path(mine)));
    if (existing.status == 200 && json_object(existing.body, "forked_from_project").is_object()) {
      return parse_project(existing.body);
    }
    Json request = Json::object();
    FERRY_TRY_ASSIGN(auto created,
                     m_rest.call(Method::post, project_path(upstream) + "/fork", &request, true));
    bool taken =
        created.status == 409 ||
        (created.status == 400 && gitlab_message(created).find("taken") != std::string::npos);
    if (created.status != 201 && !taken) {
      return std::unexpected(m_rest.decode(created, "forking " + upstream.full_name()));
    }
    infra::log::info("forking {} to {}", upstream.full_name(), mine.full_name());
    return wait_for_import(mine);
  }

  // GitLab REST: GET /projects/:id/merge_requests?state=opened&source_branch=
  Result<std::vector<PullRequest>> find_pull_requests(const RepoRef& base,
                                                      const std::string& head_owner,
                                                      const std::string& head_branch) override {
    FERRY_TRY_ASSIGN(auto source_project,
                     m_rest.expect(Method::get, project_path(RepoRef{head_owner, base.name}),
                                   {200, 404}, "reading the fork of " + base.full_name()));
    if (source_project.status == 404) {
      return std::vector<PullRequest>(); // no fork, so no merge request from it
    }
    long source_id = json_integer(source_project.body, "id").value_or(-1);
    FERRY_TRY_ASSIGN(auto all, m_rest.get_all_pages(
                                   project_path(base) +
                                       "/merge_requests?state=opened&per_page=100&source_branch=" +
                                       path_segment(head_branch),
                                   "listing merge requests of " + base.full_name()));
    std::vector<PullRequest> found;
    for (const Json& item : all) {
      if (json_integer(item, "source_project_id") == source_id &&
          json_string(item, "source_branch") == head_branch) {
        PullRequest mr = parse_merge_request(item);
        mr.head_owner = head_owner;
        found.push_back(std::move(mr));
      }
    }
    return found;
  }

  // GitLab REST: GET /projects/:id/merge_requests/:iid
  Result<PullRequest> pull_request(const RepoRef& repo, long number) override {
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.expect(Method::get,
                                   project_path(repo) + "/merge_requests/" + std::to_string(number),
                                   {200}, "reading merge request !" + std::to_string(number)));
    return parse_merge_request(response.body);
  }

  // GitLab REST: POST /projects/:fork/merge_requests (target_project_id); PUT .../:iid
  Result<PullRequest> open_or_update_pull_request(const RepoRef& base,
                                                  const PullRequestDraft& draft) override {
    FERRY_TRY_ASSIGN(auto existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
    existing = into_branch(std::move(existing), draft.base_branch);
    if (!existing.empty()) {
      return update_merge_request(base, existing.front(), draft);
    }
    FERRY_TRY_ASSIGN(auto target, m_rest.expect(Method::get, project_path(base), {200},
                                                "reading project " + base.full_name()));
    Json request = {{"source_branch", draft.head_branch},
                    {"target_branch", draft.base_branch},
                    {"title", draft.title},
                    {"description", draft.body},
                    {"target_project_id", json_integer(target.body, "id").value_or(0)}};
    // Retried after a lost answer: a merge request created meanwhile comes back as 409.
    FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::post,
                                                project_path(RepoRef{draft.head_owner, base.name}) +
                                                    "/merge_requests",
                                                &request, true));
    if (response.status == 201) {
      PullRequest mr = parse_merge_request(response.body);
      mr.head_owner = draft.head_owner;
      return mr;
    }
    if (response.status == 409) {
      FERRY_TRY_ASSIGN(existing, find_pull_requests(base, draft.head_owner, draft.head_branch));
      existing = into_branch(std::move(existing), draft.base_branch);
      if (!existing.empty()) {
        return update_merge_request(base, existing.front(), draft);
      }
    }
    return std::unexpected(
        m_rest.decode(response, "opening a merge request in " + base.full_name()));
  }

  // GitLab REST: GET /projects/:id/{merge_requests,issues}/:iid/notes (newest first: reversed)
  Result<std::vector<Comment>> list_comments(const RepoRef& repo, const Thread& thread) override {
    FERRY_TRY_ASSIGN(
        auto all, m_rest.get_all_pages(thread_path(repo, thread) + "/notes?per_page=100&sort=asc",
                                       "listing notes of " + repo.full_name()));
    std::vector<Comment> notes;
    for (const Json& item : all) {
      notes.push_back(parse_note(item));
    }
    return notes;
  }

  // GitLab REST: POST /projects/:id/{merge_requests,issues}/:iid/notes/:note_id/award_emoji
  Status add_reaction(const RepoRef& repo, const Thread& thread, long comment_id,
                      Reaction reaction) override {
    Json request = {{"name", emoji_name(reaction)}};
    FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::post,
                                                thread_path(repo, thread) + "/notes/" +
                                                    std::to_string(comment_id) + "/award_emoji",
                                                &request, true));
    bool already = (response.status == 400 || response.status == 404) &&
                   gitlab_message(response).find("already been taken") != std::string::npos;
    if (response.status != 201 && !already) {
      return std::unexpected(
          m_rest.decode(response, "reacting to note " + std::to_string(comment_id)));
    }
    return {};
  }

  // GitLab REST: POST /projects/:id/statuses/:sha. Setting the state it already has answers
  // 400 "Cannot transition status": that is success here.
  Status set_commit_status(const RepoRef& repo, const CommitStatus& status) override {
    Json request = {{"state", status_state(status.state)},
                    {"name", status.context},
                    {"description", infra::util::shorten_front(status.description, 255)}};
    if (!status.target_url.empty()) {
      request["target_url"] = status.target_url;
    }
    FERRY_TRY_ASSIGN(auto response,
                     m_rest.call(Method::post,
                                 project_path(repo) + "/statuses/" + path_segment(status.sha),
                                 &request, true));
    bool unchanged = response.status == 400 &&
                     gitlab_message(response).find("Cannot transition status") != std::string::npos;
    if (response.status != 201 && !unchanged) {
      return std::unexpected(
          m_rest.decode(response, "setting the status of " + status.sha.substr(0, 12)));
    }
    return {};
  }

  // GitLab REST: GET /users?username=; GET /projects/:id/members/all/:user_id (404: not a member)
  Result<Permission> permission(const RepoRef& repo, const std::string& user) override {
    FERRY_TRY_ASSIGN(auto users, m_rest.expect(Method::get, "/users?username=" + path_segment(user),
                                               {200}, "looking up user " + user));
    FERRY_TRY(documented_list(users, nullptr, "could not tell whether user " + user + " exists"));
    if (users.body.empty()) {
      return Permission::none;
    }
    long id = json_integer(users.body[0], "id").value_or(0);
    FERRY_TRY_ASSIGN(
        auto member,
        m_rest.expect(Method::get, project_path(repo) + "/members/all/" + std::to_string(id),
                      {200, 404}, "reading " + user + "'s role in " + repo.full_name()));
    if (member.status == 404) {
      return Permission::none;
    }
    return permission_of(json_integer(member.body, "access_level").value_or(0));
  }

  infra::git::Remote git_remote(const RepositoryInfo& repo) const override {
    return infra::git::Remote{repo.clone_url, infra::git::Credentials{"oauth2", m_settings.token}};
  }

private:
  Result<PullRequest> update_merge_request(const RepoRef& base, const PullRequest& existing,
                                           const PullRequestDraft& draft) {
    if (existing.title == draft.title && existing.body == draft.body) {
      return existing;
    }
    Json request = {{"title", draft.title}, {"description", draft.body}};
    FERRY_TRY_ASSIGN(
        auto response,
        m_rest.expect(
            Method::put, project_path(base) + "/merge_requests/" + std::to_string(existing.number),
            {200}, "updating merge request !" + std::to_string(existing.number), &request, true));
    PullRequest mr = parse_merge_request(response.body);
    mr.head_owner = existing.head_owner;
    return mr;
  }

  // GitLab REST: POST /projects/:id/{merge_requests,issues}/:iid/notes
  Result<std::optional<Comment>> try_comment(const RepoRef& repo, const Thread& thread,
                                             const std::string& body) override {
    Json request = {{"body", body}};
    FERRY_TRY_ASSIGN(auto posted,
                     m_rest.attempt(Method::post, thread_path(repo, thread) + "/notes", 201,
                                    "commenting on " + repo.full_name(), &request));
    return posted ? std::optional<Comment>(parse_note(posted->body)) : std::nullopt;
  }

  // GitLab REST: POST /projects/:id/issues
  Result<std::optional<Issue>> try_open_issue(const RepoRef& repo, const std::string& title,
                                              const std::string& body) override {
    Json request = {{"title", title}, {"description", body}};
    FERRY_TRY_ASSIGN(auto created,
                     m_rest.attempt(Method::post, project_path(repo) + "/issues", 201,
                                    "opening an issue in " + repo.full_name(), &request));
    return created ? std::optional<Issue>(parse_issue(created->body, true)) : std::nullopt;
  }

  // GitLab REST: GET /projects/:id/issues?state=opened&author_username=<me>
  Result<std::optional<Issue>> find_open_issue(const RepoRef& repo,
                                               const std::string& title) override {
    FERRY_TRY_ASSIGN(auto me, current_user());
    FERRY_TRY_ASSIGN(auto issues,
                     m_rest.get_all_pages(project_path(repo) +
                                              "/issues?state=opened&per_page=100&author_username=" +
                                              path_segment(me),
                                          "listing issues of " + repo.full_name()));
    for (const Json& item : issues) {
      if (json_string(item, "title") == title) {
        return std::optional<Issue>(parse_issue(item, false));
      }
    }
    return std::optional<Issue>();
  }

  Result<RepositoryInfo> wait_for_import(const RepoRef& fork) {
    auto deadline = std::chrono::steady_clock::now() + m_settings.fork_timeout;
    while (true) {
      FERRY_TRY_ASSIGN(auto response, m_rest.call(Method::get, project_path(fork)));
      std::string state = json_string(response.body, "import_status").value_or("none");
      if (response.status == 200 && (state == "finished" || state == "none")) {
        return parse_project(response.body);
      }
      if (state == "failed") {
        return fail(ErrorKind::http_status,
                    "GitLab could not create the fork " + fork.full_name() + ": " +
                        json_string(response.body, "import_error").value_or("import failed"));
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return fail(ErrorKind::timeout, "the fork " + fork.full_name() + " was not ready in time");
      }
      m_settings.sleep(m_settings.fork_poll_interval);
    }
  }

  static Comment parse_note(const Json& json) {
    return Comment{json_integer(json, "id").value_or(0), json_string(json, "body").value_or(""),
                   json_string(json_object(json, "author"), "username").value_or("")};
  }

  static Issue parse_issue(const Json& json, bool created) {
    return Issue{json_integer(json, "iid").value_or(0), json_string(json, "title").value_or(""),
                 json_string(json, "web_url").value_or(""), created};
  }

  ForgeSettings m_settings;
  RestClient m_rest;
  std::optional<std::string> m_login;
};

} // namespace

std::unique_ptr<Forge> make_gitlab_forge(http::HttpClient& client, ForgeSettings settings) {
  return std::make_unique<GitLabForge>(client, std::move(settings));
}

} // namespace ferry::clients::forge::gitlab
