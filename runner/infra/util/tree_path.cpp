#include "infra/util/tree_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace ferry::infra::util {

namespace {

namespace fs = std::filesystem;

constexpr int k_max_link_hops = 40; // as the kernel's ELOOP limit

bool is_within(const fs::path& path, const fs::path& root) {
  auto part = path.begin();
  for (const fs::path& root_part : root) {
    if (part == path.end() || *part != root_part) {
      return false;
    }
    ++part;
  }
  return true;
}

Status check_relative(const fs::path& relative) {
  bool climbs = std::any_of(relative.begin(), relative.end(),
                            [](const fs::path& part) { return part == ".."; });
  if (relative.empty() || relative.is_absolute() || climbs) {
    return fail(ErrorKind::io, fmt::format("'{}' is not a path inside the tree (no absolute "
                                           "path, no '..')",
                                           relative.string()));
  }
  return {};
}

Result<fs::path> canonical_root(const fs::path& root) {
  std::error_code error;
  fs::path base = fs::canonical(root, error);
  if (error) {
    return fail(ErrorKind::io, fmt::format("{}: {}", root.string(), error.message()));
  }
  return base;
}

// Walks `path` (relative to base, ".." allowed) component by component as the kernel does,
// splicing in the target of every link met, dangling ones too. `via` names the first link.
Result<fs::path> walk(const fs::path& base, const fs::path& path, std::string& via) {
  std::vector<fs::path> pending(path.begin(), path.end());
  std::reverse(pending.begin(), pending.end());
  fs::path walked = base;
  int hops = 0;
  while (!pending.empty()) {
    fs::path part = std::move(pending.back());
    pending.pop_back();
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      walked = walked.parent_path();
      continue;
    }
    fs::path next = walked / part;
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(next, error))) {
      walked = std::move(next);
      continue;
    }
    fs::path target = fs::read_symlink(next, error);
    if (error || ++hops > k_max_link_hops) {
      return fail(ErrorKind::io, fmt::format("{}: cannot resolve the link: {}", next.string(),
                                             error ? error.message() : "too many levels"));
    }
    if (via.empty()) {
      via = fmt::format("{} -> {}", next.lexically_relative(base).string(), target.string());
    }
    if (target.is_absolute()) {
      walked = target.root_path();
    }
    for (auto it = target.end(); it != target.begin();) {
      --it;
      if (!it->empty() && *it != target.root_path() && *it != target.root_directory()) {
        pending.push_back(*it);
      }
    }
  }
  return walked;
}

Result<fs::path> resolve_from(const fs::path& base, const fs::path& path, std::string_view shown) {
  std::string via;
  FERRY_TRY_ASSIGN(fs::path resolved, walk(base, path, via));
  std::string through = via.empty() ? "" : fmt::format(" through the link {}", via);
  if (!is_within(resolved, base)) {
    return fail(ErrorKind::io, fmt::format("{} leads out of {}{}; ferry never reads or writes "
                                           "through a link out of a repository",
                                           shown, base.string(), through));
  }
  if (is_within(resolved, base / ".git")) {
    return fail(ErrorKind::io, fmt::format("{} leads into {}/.git{}; ferry never reads or "
                                           "writes git's own files (they hold credentials)",
                                           shown, base.string(), through));
  }
  return resolved;
}

Result<fs::path> write_target_from(const fs::path& base, const fs::path& relative) {
  FERRY_TRY(check_relative(relative));
  fs::path directory = base;
  if (relative.has_parent_path()) {
    FERRY_TRY_ASSIGN(directory, resolve_from(base, relative.parent_path(),
                                             fmt::format("'{}'", relative.string())));
  }
  return directory / relative.filename();
}

Status remove_link(const fs::path& path) {
  std::error_code error;
  if (fs::is_symlink(fs::symlink_status(path, error))) {
    fs::remove(path, error);
    if (error) {
      return fail(ErrorKind::io,
                  fmt::format("{}: cannot replace the link: {}", path.string(), error.message()));
    }
  }
  return {};
}

struct Trees {
  fs::path from_base;
  fs::path to_base;
};

Status copy_link(const Trees& trees, const fs::path& source, const fs::path& to,
                 const fs::path& target) {
  std::error_code error;
  fs::path link = fs::read_symlink(source, error);
  fs::path shown = source.lexically_relative(trees.from_base);
  if (error) {
    return fail(ErrorKind::io, fmt::format("{}: {}", shown.string(), error.message()));
  }
  if (link.is_absolute()) {
    return fail(ErrorKind::io,
                fmt::format("'{}' is a link to the absolute path {}; only links to files inside "
                            "the repository are synced",
                            shown.string(), link.string()));
  }
  std::string named = fmt::format("the link {} -> {}", shown.string(), link.string());
  FERRY_TRY(resolve_from(trees.from_base, shown.parent_path() / link, named));
  FERRY_TRY(resolve_from(trees.to_base, to.parent_path() / link, named + " (synced)"));
  FERRY_TRY(remove_link(target));
  fs::remove(target, error); // a file in the way; a non-empty directory is an error below
  fs::create_symlink(link, target, error);
  if (error) {
    return fail(ErrorKind::io,
                fmt::format("{}: cannot create the link: {}", target.string(), error.message()));
  }
  return {};
}

Status copy_node(const Trees& trees, const fs::path& source, const fs::path& to) {
  std::error_code error;
  fs::file_status status = fs::symlink_status(source, error);
  if (!fs::exists(status)) {
    return {};
  }
  FERRY_TRY_ASSIGN(fs::path target, write_target_from(trees.to_base, to));
  if (fs::is_symlink(status)) {
    return copy_link(trees, source, to, target);
  }
  FERRY_TRY(remove_link(target));
  if (fs::is_directory(status)) {
    fs::create_directories(target, error);
    for (const fs::directory_entry& entry : fs::directory_iterator(source, error)) {
      FERRY_TRY(copy_node(trees, entry.path(), to / entry.path().filename()));
    }
  } else if (fs::is_regular_file(status)) {
    fs::create_directories(target.parent_path(), error);
    fs::copy_file(source, target, fs::copy_options::overwrite_existing, error);
  } else {
    return fail(ErrorKind::io, fmt::format("'{}' is not a file, a directory or a link",
                                           source.lexically_relative(trees.from_base).string()));
  }
  if (error) {
    return fail(ErrorKind::io, fmt::format("cannot copy {} to {}: {}", source.string(),
                                           target.string(), error.message()));
  }
  return {};
}

} // namespace

Result<fs::path> resolve_in_tree(const fs::path& root, const fs::path& relative) {
  FERRY_TRY(check_relative(relative));
  FERRY_TRY_ASSIGN(fs::path base, canonical_root(root));
  return resolve_from(base, relative, fmt::format("'{}'", relative.string()));
}

Result<fs::path> write_target_in_tree(const fs::path& root, const fs::path& relative) {
  FERRY_TRY_ASSIGN(fs::path base, canonical_root(root));
  return write_target_from(base, relative);
}

Result<std::string> read_in_tree(const fs::path& root, const fs::path& relative) {
  FERRY_TRY_ASSIGN(fs::path path, resolve_in_tree(root, relative));
  std::error_code error;
  if (fs::is_directory(path, error)) {
    return fail(ErrorKind::io, fmt::format("{}: is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::io,
                fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return fail(ErrorKind::io, fmt::format("{}: read failed", path.string()));
  }
  return content;
}

Status copy_in_trees(const fs::path& from_root, const fs::path& from, const fs::path& to_root,
                     const fs::path& to) {
  FERRY_TRY(check_relative(from));
  FERRY_TRY(check_relative(to));
  Trees trees;
  FERRY_TRY_ASSIGN(trees.from_base, canonical_root(from_root));
  FERRY_TRY_ASSIGN(trees.to_base, canonical_root(to_root));
  FERRY_TRY_ASSIGN(fs::path source, write_target_from(trees.from_base, from));
  return copy_node(trees, source, to);
}

} // namespace ferry::infra::util
