#include "core/sync/dist_git_content.hpp"

#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace ferry::core::sync {

namespace {

using spec::SectionKind;
using spec::SpecFile;

// The active %changelog section's body as a byte span (header line excluded).
std::optional<spec::Span> changelog_body(const SpecFile& spec) {
  for (const spec::Section& section : spec.sections()) {
    if (section.kind != SectionKind::changelog) {
      continue;
    }
    const auto& lines = spec.lines();
    std::size_t begin = section.first_line < lines.size() ? lines[section.first_line].content.begin
                                                          : spec.text().size();
    std::size_t end = section.end_line < lines.size() ? lines[section.end_line].content.begin
                                                      : spec.text().size();
    if (section.first_line >= section.end_line) {
      begin = end = (section.header_line < lines.size() ? lines[section.header_line].end
                                                        : spec.text().size());
    }
    return spec::Span(begin, end);
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

} // namespace

Result<std::string> spec_with_dist_git_changelog(std::string_view upstream_spec,
                                                 std::string_view dist_git_spec,
                                                 std::string_view name) {
  FERRY_TRY_ASSIGN(SpecFile upstream,
                   SpecFile::parse(std::string(upstream_spec), std::string(name) + " (upstream)"));
  FERRY_TRY_ASSIGN(SpecFile dist_git,
                   SpecFile::parse(std::string(dist_git_spec), std::string(name) + " (dist-git)"));
  auto kept = changelog_body(dist_git);
  if (!kept) {
    return std::string(upstream_spec);
  }
  std::string kept_text(dist_git.view(*kept));
  auto replaced = changelog_body(upstream);
  if (!replaced) {
    std::string text(upstream_spec);
    if (!text.empty() && text.back() != '\n') {
      text += '\n';
    }
    return text + "\n%changelog\n" + kept_text;
  }
  return spec::apply_edits(upstream.text(), {spec::Edit{*replaced, kept_text}});
}

Result<SpecResult> update_spec(std::string_view spec_text, std::string_view name,
                               const SpecUpdate& update) {
  FERRY_TRY_ASSIGN(SpecFile spec, SpecFile::parse(std::string(spec_text), std::string(name)));
  spec::SetVersionOptions options;
  options.version = update.version;
  options.changelog_entry = update.changelog;
  options.author = update.author;
  options.date = update.date;
  options.prerelease_suffix_pattern = update.prerelease_suffix_pattern;
  options.reset_release_if_unchanged = true;
  FERRY_TRY_ASSIGN(spec::EditResult edited, spec::set_version(spec, options));
  return SpecResult{std::move(edited.text), std::move(edited.version), std::move(edited.notes)};
}

std::vector<std::string> changelog_items_from_release_notes(std::string_view notes) {
  std::vector<std::string> items;
  std::istringstream lines{std::string(notes)};
  for (std::string line; std::getline(lines, line);) {
    std::string_view text = trim(line);
    if (text.starts_with("- ") || text.starts_with("* ") || text.starts_with("+ ")) {
      text = trim(text.substr(2));
    }
    if (text.starts_with("#")) {
      text = trim(text.substr(text.find_first_not_of('#')));
    }
    if (!text.empty()) {
      items.emplace_back(text);
    }
  }
  return items;
}

Result<std::string>
sources_file_for(const std::vector<clients::fedora::lookaside::SourceEntry>& archives) {
  return clients::fedora::lookaside::format_sources(archives);
}

std::string gitignore_with(std::string_view gitignore, const std::vector<std::string>& files) {
  std::string text(gitignore);
  std::vector<std::string> present;
  std::istringstream lines{std::string(gitignore)};
  for (std::string line; std::getline(lines, line);) {
    present.emplace_back(trim(line));
  }
  for (const std::string& file : files) {
    std::string entry = "/" + file;
    if (std::find(present.begin(), present.end(), entry) != present.end() ||
        std::find(present.begin(), present.end(), file) != present.end()) {
      continue;
    }
    if (!text.empty() && text.back() != '\n') {
      text += '\n';
    }
    text += entry + "\n";
    present.push_back(entry);
  }
  return text;
}

} // namespace ferry::core::sync
