// One CI event, forge-neutral: what happened (kind), where (repository, ref, commit), who did
// it, and for comments the text. Produced by core/event from GitHub Actions, Forgejo/Gitea
// Actions, GitLab CI or command-line flags; consumed by the plan and by jobs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::model {

enum class Forge { github, forgejo, gitlab, local };

enum class EventKind {
  release,        // a release was published (GitHub/Forgejo), or a GitLab tag pipeline
  tag_push,       // a tag was pushed (not a release)
  push,           // commits pushed to a branch
  pull_request,   // a PR/MR was opened, reopened or updated
  issue_comment,  // a comment on an issue
  pr_comment,     // a comment on a PR/MR
  commit_comment, // a comment on a commit
  schedule,       // a scheduled pipeline
  manual,         // workflow_dispatch, a web/API-started pipeline, or `ferry plan` flags
  ignored,        // a payload ferry understands but does not act on (see Event::ignored_reason)
};

struct Event {
  Forge forge = Forge::local;
  EventKind kind = EventKind::ignored;
  std::string event_name;     // as the forge names it: "release", "issue_comment", "note", ...
  std::string action;         // "published", "created", "opened", ... (empty if none)
  std::string ignored_reason; // why kind == ignored

  std::string repo_full_name; // "owner/name" (GitLab: "group/sub/name")
  std::string repo_url;       // web URL of the repository
  std::string clone_url;
  std::string default_branch;

  std::string ref;        // full ref when known: "refs/heads/main", "refs/tags/v1.0"
  std::string branch;     // pushed branch; PR/MR target branch
  std::string tag;        // release or pushed tag
  std::string commit_sha; // pushed head, tag commit, PR head, commented commit

  std::string actor;              // login of who caused the event
  std::string author_association; // GitHub only; "" elsewhere (never a grant, see forge-ci §1.7)

  std::optional<std::uint64_t> pr_number;    // PR/MR number (iid on GitLab)
  std::optional<std::uint64_t> issue_number; // issue number (iid on GitLab)
  std::string source_branch;                 // PR/MR head branch
  std::vector<std::string> labels;           // PR/issue labels

  std::optional<std::uint64_t> comment_id;
  std::string comment_body;
  std::string comment_created_at; // as the payload says ("2025-06-10T12:00:00Z"); "" if unknown

  bool prerelease = false;
  bool draft = false;
  std::string release_name;
  std::string release_body;

  bool changed_files_known = false;
  std::vector<std::string> changed_files; // push: added, modified and removed paths
};

// Stable lower-case names used in `ferry plan` JSON and in flags.
std::string_view to_string(Forge forge);
std::string_view to_string(EventKind kind);
std::optional<Forge> forge_from_string(std::string_view name);
std::optional<EventKind> event_kind_from_string(std::string_view name);

} // namespace ferry::model
