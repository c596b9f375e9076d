// What ferry needs from a forge — GitHub, GitLab, Forgejo/Gitea or Pagure — as one interface.
// Jobs talk to this interface only; each implementation maps it onto its REST API. Every call
// is bounded (the HttpClient's timeouts and retries) and reports failures as Error values:
// ErrorKind::auth for a refused or under-scoped token (the message names the missing scope
// when the forge says it), not_found, conflict, http_status for other unexpected answers,
// network/timeout for transport failures. Tokens never appear in messages.
#pragma once

#include "error.hpp"
#include "infra/git/repository.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ferry::clients::forge {

// A repository on a forge: `owner` is the user, organisation, group path (GitLab) or
// namespace (Pagure, e.g. "rpms"); `name` the repository.
struct RepoRef {
  std::string owner;
  std::string name;
  std::string full_name() const { return owner + "/" + name; }
};

struct RepositoryInfo {
  RepoRef ref;
  std::string default_branch;
  std::string clone_url; // https, no credentials
  bool is_fork = false;
};

struct Release {
  std::string tag;
  std::string name;
  std::string body;
  std::string commit; // the commit the tag points at, when the forge says
  std::string url;
  bool prerelease = false;
};

struct PullRequest {
  long number = 0;
  std::string title;
  std::string body;
  std::string head_owner;
  std::string head_branch;
  std::string base_branch;
  std::string url;
  std::string author = {};         // login of who opened it
  bool merged = false;             // set where the forge says (merged_pull_request)
  std::string merge_commit = {};   // the commit the merge made, when merged
  std::string head_sha = {};       // the head commit (read by pull_request())
  std::string head_clone_url = {}; // https clone URL of the head repository (a fork, or the base)
  // Set by open_or_update_pull_request when the forge refused to change the title and body of
  // an open pull request (its commits did change): the forge's reason. Empty otherwise.
  std::string update_refused = {};
};

struct PullRequestDraft {
  std::string title;
  std::string body;
  std::string head_owner; // the fork's owner
  std::string head_branch;
  std::string base_branch;
};

struct Comment {
  long id = 0;
  std::string body;
  std::string author;
};

struct Issue {
  long number = 0;
  std::string title;
  std::string url;
  bool created = false; // false: an open issue with the same title was commented on
};

enum class CommitState { pending, success, failure, error };

// GitHub shows at most 140 characters of a status description; ferry keeps every status and
// check title within that, cut at a character (infra::util::shorten_front).
inline constexpr std::size_t k_status_description_chars = 140;

struct CommitStatus {
  std::string sha;
  CommitState state = CommitState::pending;
  std::string context;
  std::string description;
  std::string target_url;
};

// A check on a commit: a GitHub check run where the token may create one, a commit status
// elsewhere.
struct CheckRun {
  std::string sha;
  std::string name;
  CommitState state = CommitState::pending; // pending: in progress
  std::string title;
  std::string summary; // Markdown
  std::string details_url;
};

// Ordered: a check "at least write" is `permission >= Permission::write`.
enum class Permission { none = 0, read = 1, write = 2, admin = 3 };
std::string_view to_string(Permission permission);

enum class Reaction { eyes, thumbs_up, thumbs_down, rocket, confused };

// Where a comment goes: GitHub and Forgejo treat pull requests as issues, Pagure and GitLab
// keep separate endpoints.
enum class ThreadKind { issue, pull_request };
struct Thread {
  ThreadKind kind = ThreadKind::pull_request;
  long number = 0; // the PR/MR/issue number (GitLab: iid)
};

// The pull requests among `found` whose base is `base_branch` (one head branch may have pull
// requests into several branches, e.g. fast_forward_merge_into).
std::vector<PullRequest> into_branch(std::vector<PullRequest> found,
                                     const std::string& base_branch);

class Forge {
public:
  virtual ~Forge() = default;

  // The login the token belongs to.
  [[nodiscard]] virtual Result<std::string> current_user() = 0;
  [[nodiscard]] virtual Result<RepositoryInfo> repository(const RepoRef& repo) = 0;
  // nullopt when no release has that tag.
  [[nodiscard]] virtual Result<std::optional<Release>> release_by_tag(const RepoRef& repo,
                                                                      const std::string& tag) = 0;
  // The newest published release; nullopt when there is none (or the forge has no releases).
  [[nodiscard]] virtual Result<std::optional<Release>> latest_release(const RepoRef& repo) = 0;
  // A file's content at `ref`; nullopt when the file does not exist there.
  [[nodiscard]] virtual Result<std::optional<std::string>>
  file_content(const RepoRef& repo, const std::string& path, const std::string& ref) = 0;
  // The token owner's fork of `upstream`, created if absent and waited for until usable.
  [[nodiscard]] virtual Result<RepositoryInfo> ensure_fork(const RepoRef& upstream) = 0;
  // Open pull requests into `base` whose head is `head_owner:head_branch`.
  [[nodiscard]] virtual Result<std::vector<PullRequest>>
  find_pull_requests(const RepoRef& base, const std::string& head_owner,
                     const std::string& head_branch) = 0;
  // Opens the pull request, or updates the open one from the same head (found first, or
  // reported by the forge as already existing): never a second pull request.
  [[nodiscard]] virtual Result<PullRequest>
  open_or_update_pull_request(const RepoRef& base, const PullRequestDraft& draft) = 0;
  // One pull request by number, with its author and, where the forge says, its head commit and
  // head clone URL (GitHub, Forgejo, GitLab and Pagure). The default fails
  // (ErrorKind::internal), for forge clients that do not read single pull requests.
  [[nodiscard]] virtual Result<PullRequest> pull_request(const RepoRef& repo, long number);
  // A comment on an issue or pull request. When an attempt's outcome is unknown (no answer,
  // 5xx), the thread is read before posting again, so a comment is never posted twice.
  [[nodiscard]] Result<Comment> comment(const RepoRef& repo, const Thread& thread,
                                        const std::string& body);
  // The pull request whose merge made `sha` (its merge commit, or its head when merged by
  // fast-forward or rebase); nullopt when no merged pull request made it, or when the forge
  // cannot tell (the default: Pagure and GitLab are not asked).
  [[nodiscard]] virtual Result<std::optional<PullRequest>>
  merged_pull_request(const RepoRef& repo, const std::string& sha);
  // Every comment of a thread, oldest first.
  [[nodiscard]] virtual Result<std::vector<Comment>> list_comments(const RepoRef& repo,
                                                                   const Thread& thread) = 0;
  // One comment, read back through the API (a payload may have been forged); nullopt when the
  // thread has no comment with that id.
  [[nodiscard]] virtual Result<std::optional<Comment>>
  find_comment(const RepoRef& repo, const Thread& thread, long comment_id);
  // Reacts to a comment in `thread` (acknowledging a command); adding it twice is harmless.
  [[nodiscard]] virtual Status add_reaction(const RepoRef& repo, const Thread& thread,
                                            long comment_id, Reaction reaction) = 0;
  // Creates an issue, or comments on the open issue with the same title (found first, and
  // again when a creation's outcome is unknown).
  [[nodiscard]] Result<Issue> report_issue(const RepoRef& repo, const std::string& title,
                                           const std::string& body);
  [[nodiscard]] virtual Status set_commit_status(const RepoRef& repo,
                                                 const CommitStatus& status) = 0;
  // Reports a check on a commit. The default is a commit status (name as context, title as
  // description); GitHub reports a check run when the token is allowed to.
  [[nodiscard]] virtual Status report_check(const RepoRef& repo, const CheckRun& check);
  // The latest state of every check (GitHub check runs) and commit status on a commit, one
  // entry per name (check runs win over statuses of the same name). The default fails
  // (ErrorKind::internal): not every forge client reads them yet.
  [[nodiscard]] virtual Result<std::vector<CheckRun>> commit_checks(const RepoRef& repo,
                                                                    const std::string& sha);
  // The user's effective permission on the repository (never taken from a payload).
  [[nodiscard]] virtual Result<Permission> permission(const RepoRef& repo,
                                                      const std::string& user) = 0;
  // The git remote of a repository on this forge, with the token as credentials.
  virtual infra::git::Remote git_remote(const RepositoryInfo& repo) const = 0;

protected:
  // One attempt to post. The posted object; nullopt when the outcome is unknown (transport
  // failure or 5xx: it may exist now); an error when the forge refused (nothing was created).
  [[nodiscard]] virtual Result<std::optional<Comment>>
  try_comment(const RepoRef& repo, const Thread& thread, const std::string& body) = 0;
  [[nodiscard]] virtual Result<std::optional<Issue>>
  try_open_issue(const RepoRef& repo, const std::string& title, const std::string& body) = 0;
  // The open issue with this title opened by the token's user, if any.
  [[nodiscard]] virtual Result<std::optional<Issue>> find_open_issue(const RepoRef& repo,
                                                                     const std::string& title) = 0;
};

} // namespace ferry::clients::forge
