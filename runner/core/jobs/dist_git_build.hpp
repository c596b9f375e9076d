// What the downstream jobs (koji_build, bodhi_update) read from dist-git and Bodhi's releases:
// the Fedora/EPEL release a dist-git branch builds for (its %{dist}, the macros `fedpkg`
// defines, the Bodhi release), the NVR its spec gives at a commit (as `fedpkg verrel` would),
// the %changelog entries, and the update notes and bugs Packit derives from them
// (packit-compat §5, §6).
#pragma once

#include "core/spec/macro_expander.hpp"
#include "error.hpp"
#include "infra/git/repository.hpp"
#include "model/bodhi_release.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::core::jobs {

struct BranchRelease {
  std::string branch;
  std::string dist; // ".fc41", ".el9", ".el10_1"; "" when the branch is not a Fedora/EPEL one
  std::vector<std::pair<std::string, std::string>> macros; // fedora 41 / rhel 9, epel 9
  std::optional<model::BodhiRelease> bodhi;                // the Bodhi release of the branch
  // Bodhi creates this branch's updates by itself (Rawhide, and branched releases before
  // Bodhi activation): no update is made for single builds.
  bool automatic_updates = false;
};

// The release `branch` builds for, from Bodhi's active releases ("main" is Rawhide). A branch
// Bodhi does not list gets its dist from its name (f41 -> .fc41, epel9 -> .el9) or none.
BranchRelease branch_release(std::string_view branch,
                             std::span<const model::BodhiRelease> releases);

struct ChangelogItem {
  std::string header; // "* Mon Sep 01 2025 Name <mail> - 1.2.0-1"
  std::string text;   // the lines below it, without trailing blank lines
  std::string evr;    // "1.2.0-1" as the header names it ("" when it names none)
};

struct SpecFacts {
  std::string name;
  std::optional<std::string> epoch;
  std::string version;
  std::string release;
  // name-version-release; nullopt when the Release cannot be known from the spec alone
  // (%autorelease counts commits, or a macro stayed unexpanded).
  std::optional<std::string> nvr;
  bool autochangelog = false;
  std::vector<ChangelogItem> changelog; // newest first
};

// Evaluates a spec's text as built for `release` (%{dist} and the Fedora/EPEL macros
// defined). `read_file` serves %include; unset, includes fail.
[[nodiscard]] Result<SpecFacts> read_spec_facts(const std::string& text,
                                                const std::string& file_name,
                                                const BranchRelease& release,
                                                spec::FileReader read_file = {});

// Where the jobs read dist-git: a local clone (the CI workspace, a clone of the dist-git
// repository, or the checkout `ferry koji-build` runs in) and the commit each branch is built
// from — the pushed commit for a push, the branch's head otherwise.
class DistGitCommits {
public:
  // `pinned`: branch -> commit to use (a push); other branches resolve `<remote_prefix><branch>`
  // then `refs/heads/<branch>`.
  DistGitCommits(infra::git::Repository& repo, std::map<std::string, std::string> pinned,
                 std::string remote_prefix = "refs/remotes/origin/");

  [[nodiscard]] Result<std::string> commit_for(const std::string& branch) const;
  // The spec (or any file) at `commit`; ErrorKind::not_found naming it when absent.
  [[nodiscard]] Result<std::string> file_at(const std::string& commit,
                                            const std::string& path) const;
  // The subject and body of a commit (%autochangelog notes).
  [[nodiscard]] Result<std::string> message_of(const std::string& commit) const;
  std::string describe() const;

  // The facts of `spec_path` at `commit` for `release`, %include read from the same commit.
  [[nodiscard]] Result<SpecFacts> spec_at(const std::string& commit, const std::string& spec_path,
                                          const BranchRelease& release) const;

private:
  infra::git::Repository& m_repo;
  std::map<std::string, std::string> m_pinned;
  std::string m_remote_prefix;
};

// The changelog entries of `facts` newer than `stable_evr` ("1.2.0-1.fc41", the latest stable
// build; "" for none known: then only the newest entry), as Packit's update notes show them.
std::vector<ChangelogItem> entries_since(const SpecFacts& facts, const std::string& stable_evr);

struct PackageNotes {
  std::string package;
  std::string nvr;
  std::string changelog; // "" when unknown (the section is left out)
};

// Packit's notes: "Automatic update for <nvr>[, <nvr>…]." then per package a level-5 heading
// "Changelog for <pkg>" and its changelog in a fenced block.
std::string update_notes(const std::vector<PackageNotes>& packages);

// Bugzilla ids the notes close: (fix|fixes|close|closes|resolve|resolves)(:)? (fedora|epel|rh|
// rhbz)#NNNNN, case-insensitive, each once in order.
std::vector<std::string> bugs_in(std::string_view notes);

} // namespace ferry::core::jobs
