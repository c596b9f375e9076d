// A git repository on disk, through libgit2: clone and fetch over HTTPS (token credentials)
// or from a local path, branches, commits, pushes with lease semantics for bot branches, and
// reads of files and changed paths at any revision. No `git` executable is needed.
//
// Not thread-safe: one Repository per thread.
#pragma once

#include "error.hpp"
#include "infra/http/retry_policy.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::infra::git {

// HTTP Basic credentials for a remote: a forge token is the password (GitHub wants user
// "x-access-token", Pagure/Forgejo the account name).
struct Credentials {
  std::string username;
  std::string password;
};

// Where a remote is and how to log in; `url` is an https:// URL or a local path.
struct Remote {
  std::string url;
  std::optional<Credentials> credentials;
  // Said after a transfer the server refused for its credentials: what the forge needs of them
  // (e.g. Pagure pushes only with an API key holding the `commit` ACL). Empty: nothing to add.
  std::string auth_advice = {};
};

struct Signature {
  std::string name;
  std::string email;
  std::optional<std::chrono::system_clock::time_point> when; // default: now
};

// How a push may move the remote branch.
struct PushLease {
  // The commit the remote branch must point at for the push to proceed ("" = must not exist).
  // nullopt: fast-forward only, as a plain `git push`.
  std::optional<std::string> expected_remote_commit;
};

// One commit as `git log` shows it.
struct CommitInfo {
  std::string id;   // 40 hex
  std::string tree; // 40 hex
  std::string message;
  std::string author_name;
  std::string author_email;
  std::vector<std::string> parents;
};

// A tag and the commit it points at (annotated tags peeled).
struct TagInfo {
  std::string name; // "v1.2.0"
  std::string commit;
};

// Bounds on every network transfer (clone, fetch, push, the ref listing before a push), as the
// HTTP client bounds its requests: each attempt ends when no byte moves for `stall_timeout` or
// after `total_timeout`, and a transient failure (network, timeout, HTTP 408/429/5xx) is tried
// again per `retry`. An abandoned transfer is ErrorKind::timeout, naming the remote and the
// bound. Local-path remotes open no socket and are not bounded.
struct TransferLimits {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds stall_timeout{30'000};
  std::chrono::milliseconds total_timeout{600'000};
  http::RetryPolicy retry{3, std::chrono::milliseconds(1'000), std::chrono::milliseconds(30'000),
                          0.25, std::chrono::milliseconds(0)};
};

// Process-wide; set before threads start (ferry sets them from its settings once per command).
void set_transfer_limits(const TransferLimits& limits);
TransferLimits transfer_limits();

class Repository {
public:
  // Clones `remote` into the empty or absent directory `into`, checking out `branch` (default:
  // the remote's HEAD). Auth failures give ErrorKind::auth; the token is never in the message.
  [[nodiscard]] static Result<Repository> clone(const Remote& remote,
                                                const std::filesystem::path& into,
                                                std::optional<std::string> branch = {});
  [[nodiscard]] static Result<Repository> open(const std::filesystem::path& path);
  [[nodiscard]] static Result<Repository> init(const std::filesystem::path& path, bool bare);

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  // The working directory, or the git directory of a bare repository.
  std::filesystem::path path() const;

  // Fetches `refspecs` ("+refs/heads/*:refs/remotes/origin/*") from `remote`.
  [[nodiscard]] Status fetch(const Remote& remote, const std::vector<std::string>& refspecs);

  // The commit id (40 hex) that `revision` names; ErrorKind::not_found if none.
  [[nodiscard]] Result<std::string> resolve(std::string_view revision) const;

  // A file's content at `revision`; nullopt when the path does not exist there.
  [[nodiscard]] Result<std::optional<std::string>> read_file(std::string_view revision,
                                                             std::string_view path) const;

  // Paths that differ between two revisions (added, modified, deleted, renamed: both names).
  [[nodiscard]] Result<std::vector<std::string>> changed_paths(std::string_view from,
                                                               std::string_view to) const;

  // The commit `revision` names, with its message, author and tree.
  [[nodiscard]] Result<CommitInfo> commit_info(std::string_view revision) const;

  // Commits reachable from `to` but not from `from` (`git log from..to`), newest first.
  [[nodiscard]] Result<std::vector<CommitInfo>> log(std::string_view from,
                                                    std::string_view to) const;

  // The working tree's changes against HEAD as a unified diff (new files included), as
  // `git diff` would print it after `git add -N .`.
  [[nodiscard]] Result<std::string> diff_to_workdir() const;

  // A git config value as the repository sees it (repository, global, system); nullopt if unset.
  std::optional<std::string> config_string(std::string_view name) const;

  // Every tag of the repository, by name.
  [[nodiscard]] Result<std::vector<TagInfo>> tags() const;

  // Points local branch `name` at `start` (creating or moving it), makes it HEAD and forces
  // the working tree to match.
  [[nodiscard]] Status switch_to_new_branch(std::string_view name, std::string_view start);

  // Current branch name ("main"); ErrorKind::not_found when HEAD is detached or unborn.
  [[nodiscard]] Result<std::string> current_branch() const;

  // Stages every change in the working tree (like `git add -A`) and commits it on HEAD.
  // Returns the new commit id; ErrorKind::conflict when there is nothing to commit.
  [[nodiscard]] Result<std::string> commit_all(std::string_view message, const Signature& author,
                                               const Signature& committer);

  // The commit a remote ref points at, or nullopt if the remote has no such ref (ls-remote).
  [[nodiscard]] Result<std::optional<std::string>> remote_ref(const Remote& remote,
                                                              std::string_view ref) const;

  // Pushes local ref to remote ref ("refs/heads/x"). With a lease, the remote ref is checked
  // first and the push is forced only if it still points where expected; otherwise
  // ErrorKind::conflict and nothing is pushed. A rejected ref is ErrorKind::conflict too.
  // On a retry after an attempt whose answer was lost, a remote ref that already points at the
  // local commit counts as pushed: the push does not fail its own lease (nor push twice).
  [[nodiscard]] Status push(const Remote& remote, std::string_view local_ref,
                            std::string_view remote_ref, const PushLease& lease = {});

private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Trusts `directory` as git's `safe.directory` setting does, for a checkout another user owns
// (the CI workspace mounted into an action's container, owned by the runner's user while
// ferry runs as root): libgit2 reads it from `config_dir`/config, which becomes libgit2's
// "programdata" configuration level (otherwise unused on Linux, so the user's own global and
// system configs still apply), and git commands ferry starts get it through GIT_CONFIG_COUNT /
// GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n> in the environment, after any already given.
// Process-wide; call it before threads start. Each call adds one directory.
[[nodiscard]] Status trust_directory(const std::filesystem::path& directory,
                                     const std::filesystem::path& config_dir);

// "libgit2 1.5.1 (HTTPS, SSH, ...)" for `ferry version --verbose`.
std::string git_library_description();

// Process-wide libgit2 set-up (init, user agent, the timed socket stream behind every
// transfer's limits; the CA bundle is loaded on the first HTTPS remote). Construct once, before any
// thread starts and before the first Repository.
class GitLibraryGuard {
public:
  GitLibraryGuard();
  ~GitLibraryGuard();
  GitLibraryGuard(const GitLibraryGuard&) = delete;
  GitLibraryGuard& operator=(const GitLibraryGuard&) = delete;
};

} // namespace ferry::infra::git
