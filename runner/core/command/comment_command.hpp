// ChatOps comment commands (`/packit propose-downstream`, `/ferry build --package foo`),
// parsed as Packit does (packit-compat.md §7): the first line whose first word is an honoured
// prefix is the command; text after it is ignored. Comment text is untrusted data: it is only
// tokenised, never evaluated, and anything unusual is a syntax error, not an action.
#pragma once

#include "error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::command {

// Where a comment was written, which decides what a command may do and who may ask for it.
enum class Place { issue, pull_request, commit };

struct CommentCommand {
  std::string prefix;                 // "/packit"
  std::string name;                   // canonical: "copr-build" also for "build"
  std::string written_name;           // as typed
  std::size_t line = 0;               // 1-based line of the comment holding the command
  std::optional<std::string> package; // --package NAME (before the command)

  // Options of the command (only those it accepts are ever set).
  bool with_pr_config = false;           // pull-from-upstream
  std::vector<std::string> resolve_bugs; // pull-from-upstream --resolve-bug a,b
  std::optional<std::string> version;    // pull-from-upstream --version
  std::optional<std::string> commit;     // copr-build/test --commit BRANCH
  std::optional<std::string> release;    // copr-build/test --release TAG
  std::optional<std::string> identifier; // test --identifier/--id/-i
  std::vector<std::string> labels;       // test --labels a,b
  std::vector<std::string> env;          // test --env K=V (repeatable)
  std::vector<std::string> test_targets; // test ns/repo#PR ...
  bool all_branches = false;             // koji-tag --all-branches
};

struct ParseOptions {
  std::vector<std::string> prefixes{"/packit", "/ferry"};
};

// Finds and parses the command in a comment. nullopt: no line starts with an honoured prefix.
// A line that does but cannot be parsed (unknown command or option, unbalanced quotes, control
// characters, over-long lines) is an ErrorKind::usage error whose message can be posted back.
[[nodiscard]] Result<std::optional<CommentCommand>> parse_comment(std::string_view body,
                                                                  const ParseOptions& options = {});

// The job types a command runs ("copr-build" -> copr_build and tests), empty for `help`.
std::vector<std::string> jobs_for_command(std::string_view name);

// Whether a command is accepted in a comment at `place` (propose-downstream: issues only).
bool accepted_in(std::string_view name, Place place);

// The permission the commenter needs, as a stable name for the plan: "anyone", "write",
// "write_or_pr_author", "packager", "packager_and_write" (packit-compat.md §7).
std::string_view required_permission(std::string_view name, Place place);

// Every command name (canonical and aliases), for help and did-you-mean.
const std::vector<std::string_view>& command_names();

} // namespace ferry::core::command
