// What a release sync writes into dist-git, as pure text functions (packit-compat.md §3.3): the
// spec (upstream's, with dist-git's %changelog kept, then Version/Release/changelog updated),
// the `sources` file and `.gitignore`. No I/O, so every rule is unit-tested.
#pragma once

#include "clients/fedora/lookaside/sources_file.hpp"
#include "error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::sync {

// The upstream spec with its %changelog body replaced by dist-git's (Packit syncs everything
// but the changelog). When upstream has no %changelog section, dist-git's is appended; when
// dist-git has none, upstream's is kept. `name` is used in error messages.
[[nodiscard]] Result<std::string> spec_with_dist_git_changelog(std::string_view upstream_spec,
                                                               std::string_view dist_git_spec,
                                                               std::string_view name);

struct SpecUpdate {
  std::string version;                // upstream version ("1.3.0", "2.0-rc1")
  std::vector<std::string> changelog; // entry items; empty: "Update to version <v>"
  std::string author;                 // "Name <email>"
  std::string date;                   // "YYYY-MM-DD"
  std::optional<std::string> prerelease_suffix_pattern; // nullopt disables the `~` rule
};

struct SpecResult {
  std::string text;
  std::string version; // as written (pre-release rule applied)
  std::vector<std::string> notes;
};

// Sets Version, resets Release and adds the changelog entry (none with %autochangelog).
[[nodiscard]] Result<SpecResult> update_spec(std::string_view spec_text, std::string_view name,
                                             const SpecUpdate& update);

// Release notes from a forge made into changelog items: Markdown list markers and blank lines
// dropped, one item per paragraph line. The spec editor escapes '%' and leading '*'.
std::vector<std::string> changelog_items_from_release_notes(std::string_view notes);

// The `sources` file listing exactly `archives` (as `fedpkg new-sources` rewrites it).
[[nodiscard]] Result<std::string>
sources_file_for(const std::vector<clients::fedora::lookaside::SourceEntry>& archives);

// `.gitignore` with a "/<file>" line for every archive it does not ignore yet.
std::string gitignore_with(std::string_view gitignore, const std::vector<std::string>& files);

} // namespace ferry::core::sync
