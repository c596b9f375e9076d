// Packit `actions` (packit-compat.md §1.4): the repository's own commands, run at named points
// of a sync. Each command is an argv (a string is split like Python's shlex.split — never given
// to a shell), run with a clean environment holding Packit's PACKIT_* variables, PATH, HOME and
// LANG and no secret; output is logged (the logger redacts secrets) and returned.
#pragma once

#include "error.hpp"
#include "infra/process/process_runner.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::sync {

// shlex.split (POSIX mode): quotes, backslash escapes, no expansion. ErrorKind::config for an
// unterminated quote.
[[nodiscard]] Result<std::vector<std::string>> split_command(std::string_view command);

// The commands configured for `action` in the job's settings; empty when none. ErrorKind::config
// when a command cannot be split or the value is not a string or list of strings/lists.
[[nodiscard]] Result<std::vector<std::vector<std::string>>>
configured_action(const nlohmann::ordered_json& settings, std::string_view action);

struct ActionRun {
  std::string action; // "post-upstream-clone"
  std::vector<std::vector<std::string>> commands;
  std::filesystem::path cwd;
  std::map<std::string, std::string> env; // PACKIT_* variables
  std::chrono::milliseconds timeout{30 * 60 * 1000};
};

// Runs every command in order; stdout of all commands, joined. A command that cannot start or
// exits non-zero is ErrorKind::process naming the action, the command and its exit code, with
// the end of its stderr.
[[nodiscard]] Result<std::string> run_action(infra::process::ProcessRunner& runner,
                                             const ActionRun& run);

} // namespace ferry::core::sync
