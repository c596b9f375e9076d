// Where dist-git lives and how a synced branch reaches it. Two sides, one job: a dist-git
// forge (Pagure or Forgejo: clone the package, push the bot branch to the token owner's fork,
// open or update a pull request), and a local dist-git clone (local mode: the bot branch is a
// branch of that clone; no network, no pull request). The sync code is the same for both, so
// local mode makes the commit CI would push.
#pragma once

#include "clients/forge/forge.hpp"
#include "error.hpp"
#include "infra/git/repository.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace ferry::core::jobs {

class DistGitSide {
public:
  virtual ~DistGitSide() = default;
  // "rpms/hello on https://src.fedoraproject.org" or "/home/me/hello (local dist-git)".
  virtual std::string describe() const = 0;
  // Where the package repository is cloned from.
  [[nodiscard]] virtual Result<infra::git::Remote> origin() = 0;
  // The bot branch's head where ferry pushes it, fetched into `repo` as
  // refs/remotes/bot/<branch>; nullopt when it does not exist (yet).
  [[nodiscard]] virtual Result<std::optional<std::string>>
  fetch_bot_branch(infra::git::Repository& repo, const std::string& bot_branch) = 0;
  // Pushes HEAD of `repo` to the bot branch, only if it still points at `expected` ("" = absent).
  [[nodiscard]] virtual Status push_bot_branch(infra::git::Repository& repo,
                                               const std::string& bot_branch,
                                               const std::string& expected) = 0;
  // Pushes HEAD of `repo` straight to the dist-git branch (`create_pr: false`), only if the
  // branch still points at `expected`.
  [[nodiscard]] virtual Status push_to_branch(infra::git::Repository& repo,
                                              const std::string& branch,
                                              const std::string& expected) = 0;
  // Opens or updates the pull request from the bot branch; nullopt where there are none.
  [[nodiscard]] virtual Result<std::optional<clients::forge::PullRequest>>
  open_pull_request(const std::string& bot_branch, const std::string& base,
                    const std::string& title, const std::string& body) = 0;
  // Comments `body` on the pull request unless a comment there already holds `marker`.
  [[nodiscard]] virtual Status comment_once(const clients::forge::PullRequest& pull_request,
                                            const std::string& marker, const std::string& body) = 0;
};

// A package repository on a dist-git forge (owner = namespace, e.g. "rpms").
std::unique_ptr<DistGitSide> make_forge_dist_git(clients::forge::Forge& forge,
                                                 clients::forge::RepoRef package);

// A local dist-git clone at `path`.
std::unique_ptr<DistGitSide> make_local_dist_git(std::filesystem::path path);

} // namespace ferry::core::jobs
