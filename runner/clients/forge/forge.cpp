#include "clients/forge/forge.hpp"

namespace ferry::clients::forge {

std::vector<PullRequest> into_branch(std::vector<PullRequest> found,
                                     const std::string& base_branch) {
  std::erase_if(found, [&](const PullRequest& pr) {
    return !pr.base_branch.empty() && pr.base_branch != base_branch;
  });
  return found;
}

std::string_view to_string(Permission permission) {
  switch (permission) {
  case Permission::none:
    return "none";
  case Permission::read:
    return "read";
  case Permission::write:
    return "write";
  case Permission::admin:
    return "admin";
  }
  return "none";
}

Status Forge::report_check(const RepoRef& repo, const CheckRun& check) {
  return set_commit_status(
      repo, CommitStatus{check.sha, check.state, check.name, check.title, check.details_url});
}

Result<PullRequest> Forge::pull_request(const RepoRef& repo, long number) {
  return fail(ErrorKind::internal, "reading pull request #" + std::to_string(number) + " of " +
                                       repo.full_name() + " is not supported on this forge yet");
}

Result<std::vector<CheckRun>> Forge::commit_checks(const RepoRef& repo, const std::string& sha) {
  return fail(ErrorKind::internal, "reading the statuses of " + sha.substr(0, 12) + " in " +
                                       repo.full_name() + " is not supported on this forge yet");
}

Result<Comment> Forge::comment(const RepoRef& repo, const Thread& thread, const std::string& body) {
  FERRY_TRY_ASSIGN(auto posted, try_comment(repo, thread, body));
  if (posted) {
    return *posted;
  }
  FERRY_TRY_ASSIGN(auto me, current_user());
  FERRY_TRY_ASSIGN(auto comments, list_comments(repo, thread));
  for (const Comment& existing : comments) {
    if (existing.body == body && existing.author == me) {
      return existing;
    }
  }
  FERRY_TRY_ASSIGN(posted, try_comment(repo, thread, body));
  if (posted) {
    return *posted;
  }
  return fail(ErrorKind::network, "the forge gave no answer to a comment on #" +
                                      std::to_string(thread.number) + ", twice");
}

Result<Issue> Forge::report_issue(const RepoRef& repo, const std::string& title,
                                  const std::string& body) {
  FERRY_TRY_ASSIGN(auto open_issue, find_open_issue(repo, title));
  if (open_issue) {
    FERRY_TRY(comment(repo, Thread{ThreadKind::issue, open_issue->number}, body));
    open_issue->created = false;
    return *open_issue;
  }
  FERRY_TRY_ASSIGN(auto created, try_open_issue(repo, title, body));
  if (created) {
    return *created;
  }
  FERRY_TRY_ASSIGN(open_issue, find_open_issue(repo, title)); // created before the failure?
  if (open_issue) {
    open_issue->created = true;
    return *open_issue;
  }
  FERRY_TRY_ASSIGN(created, try_open_issue(repo, title, body));
  if (created) {
    return *created;
  }
  return fail(ErrorKind::network,
              "the forge gave no answer to opening the issue \"" + title + "\", twice");
}

Result<std::optional<PullRequest>> Forge::merged_pull_request(const RepoRef& repo,
                                                              const std::string& sha) {
  (void)repo;
  (void)sha;
  return std::optional<PullRequest>();
}

Result<std::optional<Comment>> Forge::find_comment(const RepoRef& repo, const Thread& thread,
                                                   long comment_id) {
  FERRY_TRY_ASSIGN(auto comments, list_comments(repo, thread));
  for (Comment& comment : comments) {
    if (comment.id == comment_id) {
      return std::optional<Comment>(std::move(comment));
    }
  }
  return std::optional<Comment>();
}

} // namespace ferry::clients::forge
