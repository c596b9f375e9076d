// Where ferry's event comes from when it runs as a CI step: GitHub Actions, Forgejo/Gitea
// Actions (GITHUB_* and FORGEJO_*/GITEA_* variables, payload file at GITHUB_EVENT_PATH), GitLab
// CI (CI_* variables; TRIGGER_PAYLOAD for webhook-triggered pipelines), or command-line flags.
#pragma once

#include "error.hpp"
#include "model/event.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::core::event {

// Looks up one environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

// The real process environment.
EnvLookup process_environment();

// Which CI ferry runs in: FORGEJO_ACTIONS, then GITEA_ACTIONS, then GITHUB_ACTIONS, then
// GITLAB_CI (forge-ci.md §6); nullopt outside CI.
std::optional<model::Forge> detect_forge(const EnvLookup& env);

// Reads the event of the current CI run. Fails with ErrorKind::event when not in CI, when the
// payload file is missing or unreadable, or when the payload is malformed.
[[nodiscard]] Result<model::Event> read_ci_event(const EnvLookup& env);

// Reads a payload file (at most 32 MiB) for `forge`; `event_name` may be empty (inferred).
[[nodiscard]] Result<model::Event> read_event_file(model::Forge forge, std::string_view event_name,
                                                   const std::string& path);

// A manual event described by flags (`ferry plan --event-name release --tag v1.0`).
struct LocalEventOptions {
  model::Forge forge = model::Forge::local;
  std::string kind; // an EventKind name, or a GitHub event name ("release", "issue_comment")
  std::string tag;
  std::string branch;
  std::string comment; // comment text for comment kinds
  std::string repository;
  std::string actor;
};

// Builds the event; fails with ErrorKind::usage when `kind` is unknown or a needed flag is
// missing (release/tag_push need a tag, comments a comment).
[[nodiscard]] Result<model::Event> local_event(const LocalEventOptions& options);

} // namespace ferry::core::event
