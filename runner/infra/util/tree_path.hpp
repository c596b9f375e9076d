// Files inside a work tree whose content someone else wrote (the upstream checkout, a dist-git
// clone): every symlink is resolved, and nothing is read or written through a link whose
// target leaves the tree or enters its .git (where a checkout keeps its credentials). Paths are
// relative to the tree's root; an absolute path or ".." is refused before anything is resolved.
#pragma once

#include "error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace ferry::infra::util {

// `relative` under `root` with every link resolved (missing trailing components are kept as
// written), or ErrorKind::io naming the path when it, or a link on the way, leads out of root.
[[nodiscard]] Result<std::filesystem::path> resolve_in_tree(const std::filesystem::path& root,
                                                            const std::filesystem::path& relative);

// Where a file `relative` may be written in `root`: its directory resolved in the tree, its
// own name kept, so a link in that place is replaced rather than written through.
[[nodiscard]] Result<std::filesystem::path>
write_target_in_tree(const std::filesystem::path& root, const std::filesystem::path& relative);

// The whole file `relative` in `root`, read only when it resolves inside the tree.
[[nodiscard]] Result<std::string> read_in_tree(const std::filesystem::path& root,
                                               const std::filesystem::path& relative);

// Copies `from` (in from_root) to `to` (in to_root), directories recursively, as rsync -a does:
// a symlink is copied as a symlink when its target stays inside both trees, and refused when
// it leads out of either (or is absolute); a link already at a destination is replaced, never
// written through. A missing source copies nothing.
[[nodiscard]] Status copy_in_trees(const std::filesystem::path& from_root,
                                   const std::filesystem::path& from,
                                   const std::filesystem::path& to_root,
                                   const std::filesystem::path& to);

} // namespace ferry::infra::util
