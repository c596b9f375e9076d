#include "core/jobs/dist_git_side.hpp"

#include "infra/log/logger.hpp"

#include <fmt/format.h>

namespace ferry::core::jobs {

namespace {

using infra::git::Remote;
using infra::git::Repository;

std::string heads(const std::string& branch) {
  return "refs/heads/" + branch;
}

// Looks the bot branch up on `remote` and fetches it into refs/remotes/bot/<branch>.
Result<std::optional<std::string>> fetch_branch(Repository& repo, const Remote& remote,
                                                const std::string& branch) {
  FERRY_TRY_ASSIGN(std::optional<std::string> head, repo.remote_ref(remote, heads(branch)));
  if (head) {
    FERRY_TRY(repo.fetch(remote, {"+" + heads(branch) + ":refs/remotes/bot/" + branch}));
  }
  return head;
}

class ForgeDistGit final : public DistGitSide {
public:
  ForgeDistGit(clients::forge::Forge& forge, clients::forge::RepoRef package)
      : m_forge(forge), m_package(std::move(package)) {}

  std::string describe() const override { return m_package.full_name() + " (dist-git)"; }

  Result<Remote> origin() override {
    FERRY_TRY_ASSIGN(clients::forge::RepositoryInfo info, m_forge.repository(m_package));
    return m_forge.git_remote(info);
  }

  Result<std::optional<std::string>> fetch_bot_branch(Repository& repo,
                                                      const std::string& bot_branch) override {
    FERRY_TRY_ASSIGN(const clients::forge::RepositoryInfo* fork, fork_info());
    return fetch_branch(repo, m_forge.git_remote(*fork), bot_branch);
  }

  Status push_bot_branch(Repository& repo, const std::string& bot_branch,
                         const std::string& expected) override {
    FERRY_TRY_ASSIGN(const clients::forge::RepositoryInfo* fork, fork_info());
    return repo.push(m_forge.git_remote(*fork), "HEAD", heads(bot_branch),
                     infra::git::PushLease{expected});
  }

  Status push_to_branch(Repository& repo, const std::string& branch,
                        const std::string& expected) override {
    FERRY_TRY_ASSIGN(Remote remote, origin());
    return repo.push(remote, "HEAD", heads(branch), infra::git::PushLease{expected});
  }

  Result<std::optional<clients::forge::PullRequest>>
  open_pull_request(const std::string& bot_branch, const std::string& base,
                    const std::string& title, const std::string& body) override {
    FERRY_TRY(fork_info());
    FERRY_TRY_ASSIGN(std::string user, m_forge.current_user()); // the fork's owner
    clients::forge::PullRequestDraft draft{title, body, user, bot_branch, base};
    FERRY_TRY_ASSIGN(clients::forge::PullRequest pull_request,
                     m_forge.open_or_update_pull_request(m_package, draft));
    return std::optional<clients::forge::PullRequest>(std::move(pull_request));
  }

  Status comment_once(const clients::forge::PullRequest& pull_request, const std::string& marker,
                      const std::string& body) override {
    clients::forge::Thread thread{clients::forge::ThreadKind::pull_request, pull_request.number};
    FERRY_TRY_ASSIGN(auto comments, m_forge.list_comments(m_package, thread));
    for (const clients::forge::Comment& comment : comments) {
      if (comment.body.find(marker) != std::string::npos) {
        return {};
      }
    }
    FERRY_TRY(m_forge.comment(m_package, thread, body));
    return {};
  }

private:
  // The token owner's fork, created on first use.
  Result<const clients::forge::RepositoryInfo*> fork_info() {
    if (!m_fork) {
      FERRY_TRY_ASSIGN(m_fork, m_forge.ensure_fork(m_package));
    }
    return &*m_fork;
  }

  clients::forge::Forge& m_forge;
  clients::forge::RepoRef m_package;
  std::optional<clients::forge::RepositoryInfo> m_fork;
};

class LocalDistGit final : public DistGitSide {
public:
  explicit LocalDistGit(std::filesystem::path path) : m_path(std::move(path)) {}

  std::string describe() const override { return m_path.string() + " (local dist-git)"; }

  Result<Remote> origin() override {
    std::error_code error;
    if (!std::filesystem::exists(m_path / ".git", error) &&
        !std::filesystem::exists(m_path / "HEAD", error)) {
      return fail(ErrorKind::config,
                  fmt::format("{} is not a git repository: give the dist-git clone with "
                              "--dist-git PATH (e.g. the result of `fedpkg clone`)",
                              m_path.string()));
    }
    return Remote{std::filesystem::absolute(m_path).string(), std::nullopt};
  }

  Result<std::optional<std::string>> fetch_bot_branch(Repository& repo,
                                                      const std::string& bot_branch) override {
    FERRY_TRY_ASSIGN(Remote remote, origin());
    return fetch_branch(repo, remote, bot_branch);
  }

  // git cannot push into a non-bare clone, so the clone fetches the commit instead, under the
  // same lease rule, and never into the branch the user has checked out.
  Status push_bot_branch(Repository& repo, const std::string& bot_branch,
                         const std::string& expected) override {
    FERRY_TRY_ASSIGN(Repository target, Repository::open(m_path));
    if (auto checked_out = target.current_branch(); checked_out && *checked_out == bot_branch) {
      return fail(ErrorKind::conflict,
                  fmt::format("{} has {} checked out: switch to another branch and re-run",
                              m_path.string(), bot_branch));
    }
    auto current = target.resolve(heads(bot_branch));
    std::string found = current ? *current : "";
    if (found != expected) {
      return fail(ErrorKind::conflict,
                  fmt::format("branch {} of {} moved while ferry worked (expected {}, found {}); "
                              "nothing was changed: re-run",
                              bot_branch, m_path.string(), expected.empty() ? "none" : expected,
                              found.empty() ? "none" : found));
    }
    FERRY_TRY_ASSIGN(std::string source, repo.current_branch());
    return target.fetch(Remote{repo.path().string(), std::nullopt},
                        {"+" + heads(source) + ":" + heads(bot_branch)});
  }

  Status push_to_branch(Repository&, const std::string& branch, const std::string&) override {
    // Local mode never moves a branch the user may have checked out in their clone.
    return fail(
        ErrorKind::usage,
        fmt::format("local mode does not push to {} directly; it commits on a bot branch", branch));
  }

  Result<std::optional<clients::forge::PullRequest>>
  open_pull_request(const std::string&, const std::string&, const std::string&,
                    const std::string&) override {
    return std::optional<clients::forge::PullRequest>();
  }

  Status comment_once(const clients::forge::PullRequest&, const std::string&,
                      const std::string&) override {
    return {}; // local mode has no pull requests
  }

private:
  std::filesystem::path m_path;
};

} // namespace

std::unique_ptr<DistGitSide> make_forge_dist_git(clients::forge::Forge& forge,
                                                 clients::forge::RepoRef package) {
  return std::make_unique<ForgeDistGit>(forge, std::move(package));
}

std::unique_ptr<DistGitSide> make_local_dist_git(std::filesystem::path path) {
  return std::make_unique<LocalDistGit>(std::move(path));
}

} // namespace ferry::core::jobs
