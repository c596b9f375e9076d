// Packit's configuration (.packit.yaml) as ferry understands it, after Packit's loading
// pipeline (packit-compat.md §1.1): deprecated keys renamed, a single package wrapped into
// `packages:`, default jobs, top-level -> package -> job inheritance, `trigger: a | b` split.
#pragma once

#include "core/config/yaml_document.hpp"
#include "error.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::config {

// One problem found in a config file; `key_path` reads like `jobs[2].dist_git_branches`.
struct Diagnostic {
  std::string file;
  Mark mark;
  std::string key_path;
  std::string message;
};

// "file:line:column: key_path: message" (parts that are unknown are left out).
std::string format_diagnostic(const Diagnostic& diagnostic);

struct DistGitBranch {
  std::string name;                                 // a branch or an alias, as written
  std::vector<std::string> fast_forward_merge_into; // branches or aliases
};

// One job for one package, with every key it inherited (`settings`).
struct JobConfig {
  std::string type;                // "propose_downstream", "copr_build", ...
  std::string trigger;             // "release", "commit", "pull_request", "koji_build", "ignore"
  std::string package;             // key in `packages`
  std::size_t index = 0;           // position in the file's `jobs` list (0-based)
  nlohmann::ordered_json settings; // the effective config of this job (package keys, then job keys)

  // Typed views of settings the plan needs.
  std::vector<DistGitBranch> dist_git_branches; // empty when not configured
  std::vector<std::string> targets;             // chroots/targets or aliases (keys if a dict)
  std::optional<std::string> upstream_tag_include;
  std::optional<std::string> upstream_tag_exclude;
  std::optional<std::string> branch; // regex for commit/pull_request triggers
  bool manual_trigger = false;
  std::vector<std::string> packit_instances; // default ["prod"]
  std::optional<std::string> identifier;
};

struct PackageConfig {
  std::string name;
  nlohmann::ordered_json settings; // top-level keys, overridden by the package's own
  std::string specfile_path;       // as configured or defaulted; empty when unknown
};

struct Config {
  std::string file; // the config file's path as given
  std::vector<PackageConfig> packages;
  std::vector<JobConfig> jobs;
  bool default_jobs = false; // `jobs:` was absent and Packit's default jobs were added
};

struct LoadOptions {
  // The repository's name: the package name (and upstream/downstream defaults) when the
  // config names none. Default: the name of the directory holding the config file.
  std::string repository_name;
};

struct LoadResult {
  std::optional<Config> config; // set when there are no errors
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

// Loads config text; `file` is only used in diagnostics. Never throws; every problem found is
// listed (not only the first).
LoadResult load_config_text(std::string_view text, std::string_view file,
                            const LoadOptions& options);

// Reads and loads a file (at most 4 MiB).
LoadResult load_config_file(const std::filesystem::path& path, LoadOptions options = {});

// The config file in `directory`: .packit.yaml, .packit.yml, packit.yaml, packit.yml (the first
// that exists, in that order). Fails with ErrorKind::config naming the names tried.
[[nodiscard]] Result<std::filesystem::path>
find_config_file(const std::filesystem::path& directory);

// Loads and returns the config, or one ErrorKind::config error listing every diagnostic.
[[nodiscard]] Result<Config> load_config(const std::filesystem::path& path,
                                         LoadOptions options = {});

// Checks what validate-config checks beyond the schema, relative to the repository root:
// the spec file exists (warning, as Packit), a spec can be determined at all (error), and
// files_to_sync sources exist (warning; Packit errors, see docs/packit-config-compat.md).
void check_repository_files(const Config& config, const std::filesystem::path& root,
                            LoadResult& result);

// Typo help: the candidate closest to `word` (edit distance <= 1/3 of its length), or "".
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

} // namespace ferry::core::config
