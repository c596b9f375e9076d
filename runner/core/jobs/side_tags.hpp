// Side-tag groups (packit-compat §5): the packages of a `sidetag_group` build into one Koji side
// tag per dist-git branch, and one Bodhi update is made from it. Packit remembers each
// (group, branch) -> side tag in its database; ferry keeps no state, so it finds the tag again
// in Koji: among the side tags the runner's Koji user owns on the branch's build tag, the newest
// that holds a build of a package of the group (this package, its `dependencies` and
// `dependents`), else the newest empty one (one created by a run that stopped before its
// build), else a new one. Two groups sharing no package and building on the same branch at the
// same moment could meet in one empty tag; give such groups different users or branches.
#pragma once

#include "clients/fedora/koji/koji_client.hpp"
#include "error.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferry::core::jobs {

struct SideTagGroup {
  std::string name;                      // sidetag_group; "" when the job has none
  std::string package;                   // this package (its Koji name)
  std::vector<std::string> dependencies; // must be built in the side tag first
  std::vector<std::string> dependents;   // built after this one

  bool empty() const { return name.empty(); }
  // This package, its dependencies and dependents, each once.
  std::vector<std::string> members() const;
};

// The group a job's settings name (empty when `sidetag_group` is not set).
SideTagGroup side_tag_group(const nlohmann::ordered_json& settings, const std::string& package);

// The newest build of each package in `tag` (by package name).
[[nodiscard]] Result<std::map<std::string, clients::fedora::koji::Build>>
latest_builds_in(clients::fedora::koji::KojiClient& koji, const std::string& tag);

// The group's side tag for `branch`, if one exists (logs in to learn the Koji user).
[[nodiscard]] Result<std::optional<clients::fedora::koji::SideTag>>
find_group_side_tag(clients::fedora::koji::KojiClient& koji, const SideTagGroup& group,
                    const std::string& branch);

// The group's side tag for `branch`, created from the branch target's build tag when none
// exists. `created` is set when it was made now.
[[nodiscard]] Result<clients::fedora::koji::SideTag>
find_or_create_group_side_tag(clients::fedora::koji::KojiClient& koji, const SideTagGroup& group,
                              const std::string& branch, bool& created);

} // namespace ferry::core::jobs
