// The words ferry writes into dist-git and forges for a release sync (packit-compat.md §3.4):
// commit message with trailers, pull request title and body with the hidden marker that lets
// a re-run recognise its own work, the failure issue, and the bot branch name (design.md).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::sync {

// What was synced, as the messages need it. Tag and commit are empty for non-git upstreams.
struct SyncFacts {
  std::string job = "propose_downstream"; // or "pull_from_upstream"
  std::string package;
  std::string version;
  std::string tag;
  std::string commit;
  std::string tag_url;    // web URL of the tag; "" when unknown
  std::string commit_url; // web URL of the commit; "" when unknown
  std::optional<long> release_monitoring_id;
  std::vector<std::string> resolved_bugs; // "rhbz#123"
  std::string run_url;                    // the CI run; "" outside CI
};

// The deterministic branch on the fork (or the local dist-git clone) for a job and branch:
// "ferry/<branch>/propose-downstream".
std::string bot_branch(std::string_view job, std::string_view dist_git_branch);

// Title "Update to <version> upstream release"; body as Packit's, then the trailers
// "Upstream-Tag: <tag>" (when there is a tag) and "Ferry-Version: <version>".
std::string commit_message(const SyncFacts& facts, std::string_view ferry_version);

// The "Upstream-Tag" trailer of a commit message; "" when absent.
std::string upstream_tag_trailer(std::string_view message);
// Whether a commit message carries ferry's trailer (so the commit is ferry's own).
bool is_ferry_commit(std::string_view message);

std::string pull_request_title(std::string_view dist_git_branch, std::string_view version);
// Packit's description, then the hidden marker `<!-- ferry: {...} -->`.
std::string pull_request_body(const SyncFacts& facts, std::string_view dist_git_branch);

// A comment for a pull request whose title and body the forge refused to update (`refusal`,
// its words) while its branch moved on to `facts.version`: which version it now holds. It ends
// with outdated_title_marker(version), so it is posted once per version.
std::string outdated_title_note(const SyncFacts& facts, std::string_view refusal);
std::string outdated_title_marker(std::string_view version);

// The marker's JSON when `body` carries one; nullopt otherwise (or when it is malformed).
std::optional<nlohmann::json> find_marker(std::string_view body);

// "[ferry] Propose downstream failed for release <tag>" (Packit's title with ferry's prefix).
std::string failure_issue_title(const SyncFacts& facts);

struct BranchFailure {
  std::string branch;
  std::string message;
};
// "| Branch | Error |" and a row per failure, each cell made safe for a Markdown table.
std::string failure_table(const std::vector<BranchFailure>& failures);
// The failure issue: a table of failed branches, the run link, the command to retry and the
// configured failure_comment text.
std::string failure_issue_body(const SyncFacts& facts, const std::vector<BranchFailure>& failures,
                               std::string_view command_prefix, std::string_view extra_message);

} // namespace ferry::core::sync
