// Minimal-diff edits of a spec: new Version (through the macro that defines it, when there is
// one), Release reset, a new %changelog entry, Source/Patch changes. Every byte outside the
// edited spans is kept, including line endings and a missing final newline.
#pragma once

#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_file.hpp"
#include "error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::spec {

// Packit's default `prerelease_suffix_pattern`.
inline constexpr std::string_view k_default_prerelease_pattern =
    R"(([.\-_~^]?)(alpha|beta|rc|pre(view)?)([.\-_]?\d+)?)";

struct SetVersionOptions {
  std::string version; // upstream version, e.g. "1.2.0-rc1"
  bool reset_release = true;
  // Reset Release even when the spec has the version already (a release sync: upstream's spec
  // says the new version, the dist-git branch did not).
  bool reset_release_if_unchanged = false;
  std::vector<std::string> changelog_entry;       // items; empty: "Update to version <version>"
  std::string author = "ferry <ferry@localhost>"; // "Name <email>"
  std::string date;                               // "YYYY-MM-DD"; empty: today (UTC)
  // Regex whose first group is the pre-release delimiter, replaced by '~'; nullopt disables.
  std::optional<std::string> prerelease_suffix_pattern = std::string(k_default_prerelease_pattern);
  EvalOptions eval;
};

struct EditResult {
  std::string text;    // the whole new spec
  std::string version; // the Version value written (after the pre-release rule)
  bool release_reset = false;
  bool changelog_added = false;
  std::vector<std::string> notes; // what was left alone and why
};

// Sets the version as Packit's propose_downstream does (see docs/packit-compat.md §3.3).
// Errors: ErrorKind::usage for an invalid version or date, ErrorKind::spec_parse when the spec
// has no Version tag in the main file or cannot be evaluated.
[[nodiscard]] Result<EditResult> set_version(const SpecFile& spec,
                                             const SetVersionOptions& options);

// Applies the pre-release rule: "1.0-rc1" -> "1.0~rc1", "2.0beta" -> "2.0~beta".
[[nodiscard]] Result<std::string> prerelease_to_tilde(std::string_view version,
                                                      const std::optional<std::string>& pattern);

// The Release reset of Packit, keeping the existing form: "3%{?dist}" -> "1%{?dist}",
// "0.4%{?dist}" -> "0.1%{?dist}"; nullopt when the value does not start with a number.
std::optional<std::string> reset_release_value(std::string_view raw_release);

// Changelog text from outside made safe for a spec: '%' doubled (existing "%%" kept), list
// items start with "- " (a leading '*' becomes '-'), lines wrapped at 80 columns; control
// characters dropped, invalid UTF-8 repaired, at most 4000 characters of text, and when it was
// longer a last item saying it was shortened.
std::vector<std::string> format_changelog_items(const std::vector<std::string>& entries);

// "* Mon Jan 06 2025 Name <email> - 1.2-1"; `date` is "YYYY-MM-DD" (usage error otherwise).
[[nodiscard]] Result<std::string> changelog_header(std::string_view date, std::string_view author,
                                                   std::string_view evr);

// Source/Patch edits on a spec (number as in SourceN/PatchN). Each returns the new text.
[[nodiscard]] Result<std::string> set_source_url(const SpecFile& spec, const SpecInfo& info,
                                                 bool patch, long number, std::string_view url);
[[nodiscard]] Result<std::string> add_source(const SpecFile& spec, const SpecInfo& info, bool patch,
                                             std::string_view url);
[[nodiscard]] Result<std::string> remove_source(const SpecFile& spec, const SpecInfo& info,
                                                bool patch, long number);

} // namespace ferry::core::spec
