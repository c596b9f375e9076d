#include "core/spec/spec_editor.hpp"

#include "core/spec/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace ferry::core::spec {

namespace {

constexpr int k_max_macro_chain = 8;

using Definitions = std::map<std::string, std::size_t, std::less<>>;

// The macro name when `text` is exactly one reference: %name, %{name} or %{?name}.
std::optional<std::string_view> single_macro_reference(std::string_view text) {
  text = trim(text);
  if (text.size() < 2 || text[0] != '%') {
    return std::nullopt;
  }
  std::string_view name = text.substr(1);
  if (name.front() == '{') {
    if (name.back() != '}') {
      return std::nullopt;
    }
    name = name.substr(1, name.size() - 2);
    if (!name.empty() && name.front() == '?') {
      name.remove_prefix(1);
    }
  }
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_word_char)) {
    return std::nullopt;
  }
  return name;
}

// Follows single-reference chains (Version: %{ver}, %global ver %{base}) to the span that
// really holds the value: a tag value or a definition body in the main file.
Span value_home(const SpecFile& spec, Span span, const Definitions& definitions) {
  for (int i = 0; i < k_max_macro_chain; ++i) {
    auto name = single_macro_reference(spec.view(span));
    if (!name) {
      break;
    }
    auto it = definitions.find(*name);
    if (it == definitions.end()) {
      break;
    }
    const Definition& def = spec.definitions()[it->second];
    if (def.parametric || def.keyword == "undefine" ||
        spec.view(def.body).find('\n') != std::string_view::npos || def.body.size() == 0) {
      break;
    }
    span = def.body;
  }
  return span;
}

struct TemplatePart {
  std::string_view literal; // text before the macro
  std::string_view macro;   // empty for the trailing literal
};

// "%{major}.%{minor}" as parts; nullopt unless it is only plain %{name}/%name references and
// literal text without '%'.
std::optional<std::vector<TemplatePart>> parse_template(std::string_view text) {
  std::vector<TemplatePart> parts;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t percent = text.find('%', pos);
    TemplatePart part;
    part.literal = text.substr(pos, percent == std::string_view::npos ? std::string_view::npos
                                                                      : percent - pos);
    if (percent == std::string_view::npos) {
      parts.push_back(part);
      break;
    }
    std::size_t end = percent + 1;
    bool braced = end < text.size() && text[end] == '{';
    end += braced ? 1 : 0;
    std::size_t name_begin = end;
    while (end < text.size() && is_word_char(text[end]))
      ++end;
    if (end == name_begin || (braced && (end >= text.size() || text[end] != '}'))) {
      return std::nullopt;
    }
    part.macro = text.substr(name_begin, end - name_begin);
    parts.push_back(part);
    pos = end + (braced ? 1 : 0);
  }
  return parts;
}

// Packit updates the macros a composite Version is built from: with "%{major}.%{minor}" and
// new version "1.5", major becomes "1" and minor "5". Only when every macro is defined in the
// main file with a literal one-line body and the new version fits the template's literals.
std::optional<std::vector<Edit>> template_edits(const SpecFile& spec, Span home,
                                                const Definitions& definitions,
                                                std::string_view version) {
  auto parts = parse_template(spec.view(home));
  if (!parts || parts->size() < 2) {
    return std::nullopt;
  }
  std::vector<Edit> edits;
  std::string_view rest = version;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const TemplatePart& part = (*parts)[i];
    if (!rest.starts_with(part.literal)) {
      return std::nullopt;
    }
    rest.remove_prefix(part.literal.size());
    if (part.macro.empty()) {
      break;
    }
    std::string_view next_literal =
        i + 1 < parts->size() ? (*parts)[i + 1].literal : std::string_view{};
    std::size_t cut = next_literal.empty()
                          ? (i + 2 < parts->size() ? std::string_view::npos : rest.size())
                          : rest.find(next_literal);
    auto def = definitions.find(part.macro);
    if (cut == std::string_view::npos || cut == 0 || def == definitions.end()) {
      return std::nullopt;
    }
    const Definition& d = spec.definitions()[def->second];
    std::string_view body = spec.view(d.body);
    std::string_view value = rest.substr(0, cut);
    auto same = std::find_if(edits.begin(), edits.end(),
                             [&](const Edit& e) { return e.span.begin == d.body.begin; });
    if (same != edits.end()) {
      if (same->text != value) {
        return std::nullopt; // %{a}.%{a} with different parts
      }
      rest.remove_prefix(cut);
      continue;
    }
    if (d.parametric || d.keyword == "undefine" || body.empty() ||
        body.find_first_of("%\\\n") != std::string_view::npos) {
      return std::nullopt;
    }
    edits.push_back(Edit{d.body, std::string(value)});
    rest.remove_prefix(cut);
  }
  if (!rest.empty()) {
    return std::nullopt;
  }
  return edits;
}

// Length of the leading "N" or "N.N..." release number.
std::size_t release_number_length(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) {
    ++i;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
    }
  }
  return i;
}

bool is_valid_version(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '~' || c == '^';
  });
}

// Replaces whole occurrences of `old_version` (not inside a longer version) in a Source value.
std::optional<std::string> replace_version(std::string_view value, std::string_view old_version,
                                           std::string_view new_version) {
  if (old_version.empty() || value.find('%') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  std::size_t pos = 0;
  bool changed = false;
  auto bounded = [](std::string_view s, std::size_t i) {
    return i >= s.size() || !(is_alnum(s[i]) || s[i] == '.');
  };
  while (true) {
    std::size_t hit = value.find(old_version, pos);
    if (hit == std::string_view::npos) {
      break;
    }
    std::size_t end = hit + old_version.size();
    bool start_ok = hit == 0 || !is_digit(value[hit - 1]);
    bool end_ok = bounded(value, end) || (end < value.size() && value[end] == '.' &&
                                          !(end + 1 < value.size() && is_digit(value[end + 1])));
    out.append(value.substr(pos, hit - pos));
    if (start_ok && end_ok) {
      out.append(new_version);
      changed = true;
    } else {
      out.append(old_version);
    }
    pos = end;
  }
  out.append(value.substr(pos));
  return changed ? std::optional<std::string>(out) : std::nullopt;
}

class VersionEditor {
public:
  VersionEditor(const SpecFile& spec, const SetVersionOptions& options)
      : m_spec(spec), m_options(options) {}

  Result<EditResult> run() {
    SpecInfo info;
    FERRY_TRY_ASSIGN(info, evaluate_spec(m_spec, m_options.eval));
    std::string version;
    FERRY_TRY_ASSIGN(version,
                     prerelease_to_tilde(m_options.version, m_options.prerelease_suffix_pattern));
    m_result.version = version;
    if (!is_valid_version(m_result.version)) {
      return fail(ErrorKind::usage,
                  fmt::format("'{}' is not a valid RPM version", m_result.version));
    }
    if (!info.version_tag) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: no Version tag in the main spec file", m_spec.name()));
    }
    bool changed = info.version != m_result.version;
    if (changed) {
      edit_version(info);
      edit_sources(info, info.version);
      if (m_options.reset_release) {
        edit_release(info);
      }
    } else if (m_options.reset_release_if_unchanged && m_options.reset_release) {
      edit_release(info); // a sync: the spec already says the new version, dist-git did not
    } else {
      m_result.notes.push_back("version unchanged: Version and Release left as they are");
    }
    std::string text = apply_edits(m_spec.text(), std::move(m_edits));
    std::string final_text;
    FERRY_TRY_ASSIGN(final_text, add_changelog(std::move(text), info.autochangelog));
    m_result.text = std::move(final_text);
    return std::move(m_result);
  }

private:
  const SpecFile& m_spec;
  const SetVersionOptions& m_options;
  std::vector<Edit> m_edits;
  EditResult m_result;

  // Queues an edit unless it changes nothing or overlaps one already queued (first wins).
  void replace(Span span, std::string text) {
    if (m_spec.view(span) == text) {
      return;
    }
    bool overlaps = std::any_of(m_edits.begin(), m_edits.end(), [&](const Edit& e) {
      return span.begin < e.span.end && e.span.begin < span.end;
    });
    if (overlaps) {
      m_result.notes.push_back(fmt::format("not changing '{}': already edited", m_spec.view(span)));
      return;
    }
    m_edits.push_back(Edit{span, std::move(text)});
  }

  void edit_version(const SpecInfo& info) {
    const Tag& tag = m_spec.tags()[*info.version_tag];
    Span home = value_home(m_spec, tag.value, info.definitions_at_version);
    if (auto parts = template_edits(m_spec, home, info.definitions_at_version, m_result.version)) {
      for (Edit& edit : *parts) {
        replace(edit.span, std::move(edit.text));
      }
      return;
    }
    replace(home, m_result.version);
  }

  void edit_sources(const SpecInfo& info, std::string_view old_version) {
    // Only Sources: patch file names keep the version they were written for.
    for (const SourceEntry& entry : info.sources) {
      if (!entry.tag) {
        continue;
      }
      const Tag& tag = m_spec.tags()[*entry.tag];
      if (auto updated = replace_version(m_spec.view(tag.value), old_version, m_result.version)) {
        replace(tag.value, std::move(*updated));
      }
    }
  }

  void edit_release(const SpecInfo& info) {
    if (!info.release_tag) {
      m_result.notes.push_back("no Release tag in the main spec file: not reset");
      return;
    }
    if (info.autorelease) {
      m_result.notes.push_back("Release uses %autorelease: left alone");
      return;
    }
    const Tag& tag = m_spec.tags()[*info.release_tag];
    Span home = value_home(m_spec, tag.value, info.definitions_at_release);
    std::string_view raw = m_spec.view(home);
    // "%{baserelease}%{?dist}": reset the number in baserelease's definition.
    if (!raw.empty() && raw.front() == '%') {
      std::size_t end =
          raw.front() == '%' && raw.size() > 1 && raw[1] == '{' ? raw.find('}') : raw.size();
      if (end != std::string_view::npos) {
        Span head{home.begin, home.begin + std::min(end + 1, raw.size())};
        Span inner = value_home(m_spec, head, info.definitions_at_release);
        if (inner.begin != head.begin) {
          home = inner;
          raw = m_spec.view(home);
        }
      }
    }
    auto reset = reset_release_value(raw);
    if (!reset) {
      m_result.notes.push_back(
          fmt::format("Release '{}' does not start with a number: not reset", raw));
      return;
    }
    replace(home, std::move(*reset));
    m_result.release_reset = true;
  }

  Result<std::string> add_changelog(std::string text, bool autochangelog) {
    if (autochangelog) {
      m_result.notes.push_back("%changelog uses %autochangelog: no entry added");
      return text;
    }
    SpecFile edited;
    FERRY_TRY_ASSIGN(edited, SpecFile::parse(std::move(text), m_spec.name()));
    EvalOptions eval = m_options.eval;
    eval.defines.emplace_back("dist", "");
    SpecInfo info;
    FERRY_TRY_ASSIGN(info, evaluate_spec(edited, eval));
    std::string evr = (info.epoch ? *info.epoch + ":" : "") + info.version + "-" + info.release;
    std::string header;
    FERRY_TRY_ASSIGN(header, changelog_header(m_options.date, m_options.author, evr));
    std::vector<std::string> entries = m_options.changelog_entry;
    if (entries.empty()) {
      entries.push_back("Update to version " + m_result.version);
    }
    std::vector<std::string> lines = format_changelog_items(entries);
    lines.insert(lines.begin(), header);
    m_result.changelog_added = true;
    return insert_entry(edited, info, lines);
  }

  static std::string insert_entry(const SpecFile& spec, const SpecInfo& info,
                                  const std::vector<std::string>& lines) {
    std::string_view eol = spec.line_ending();
    std::string block;
    for (const std::string& line : lines) {
      block += line;
      block += eol;
    }
    if (!info.changelog_section) {
      std::string_view text = spec.text();
      std::string prefix = text.empty() || text.back() == '\n'
                               ? std::string(eol)
                               : std::string(eol) + std::string(eol);
      return std::string(text) + prefix + "%changelog" + std::string(eol) + block;
    }
    const Section& section = spec.sections()[*info.changelog_section];
    const Line& header = spec.lines()[section.header_line];
    std::size_t at = header.end;
    bool header_has_eol = header.end != header.content.end;
    bool entries_follow = section.first_line < section.end_line &&
                          !trim(spec.view(spec.lines()[section.first_line].content)).empty();
    std::string insertion;
    if (!header_has_eol) {
      insertion = std::string(eol) + block;
      insertion.resize(insertion.size() - eol.size()); // the file had no final newline
    } else {
      insertion = block + (entries_follow ? std::string(eol) : std::string());
    }
    return apply_edits(spec.text(), {Edit{Span{at, at}, std::move(insertion)}});
  }
};

} // namespace

Result<std::string> prerelease_to_tilde(std::string_view version,
                                        const std::optional<std::string>& pattern) {
  if (!pattern) {
    return std::string(version);
  }
  try {
    std::regex re(*pattern);
    std::match_results<std::string_view::const_iterator> match;
    if (!std::regex_search(version.begin(), version.end(), match, re) || match.size() < 2) {
      return std::string(version);
    }
    auto begin = static_cast<std::size_t>(match.position(1));
    auto length = static_cast<std::size_t>(match.length(1));
    return std::string(version.substr(0, begin)) + "~" +
           std::string(version.substr(begin + length));
  } catch (const std::regex_error& e) {
    return fail(ErrorKind::config,
                fmt::format("prerelease_suffix_pattern '{}': {}", *pattern, e.what()));
  }
}

std::optional<std::string> reset_release_value(std::string_view raw) {
  std::size_t length = release_number_length(raw);
  if (length == 0) {
    return std::nullopt;
  }
  std::string_view number = raw.substr(0, length);
  std::string reset = number.starts_with("0.") ? "0.1" : "1";
  return reset + std::string(raw.substr(length));
}

Result<EditResult> set_version(const SpecFile& spec, const SetVersionOptions& options) {
  return VersionEditor(spec, options).run();
}

namespace {

const SourceEntry* find_entry(const SpecInfo& info, bool patch, long number) {
  const auto& list = patch ? info.patches : info.sources;
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const SourceEntry& e) { return e.number == number; });
  return it == list.end() ? nullptr : &*it;
}

Result<const Tag*> source_tag(const SpecFile& spec, const SpecInfo& info, bool patch, long number) {
  const SourceEntry* entry = find_entry(info, patch, number);
  if (entry == nullptr || !entry->tag) {
    return fail(ErrorKind::usage, fmt::format("{}: no {}{} tag in the main spec file", spec.name(),
                                              patch ? "Patch" : "Source", number));
  }
  return &spec.tags()[*entry->tag];
}

} // namespace

Result<std::string> set_source_url(const SpecFile& spec, const SpecInfo& info, bool patch,
                                   long number, std::string_view url) {
  const Tag* tag = nullptr;
  FERRY_TRY_ASSIGN(tag, source_tag(spec, info, patch, number));
  return apply_edits(spec.text(), {Edit{tag->value, std::string(url)}});
}

Result<std::string> add_source(const SpecFile& spec, const SpecInfo& info, bool patch,
                               std::string_view url) {
  const auto& list = patch ? info.patches : info.sources;
  long number = 0;
  const Tag* last = nullptr;
  for (const SourceEntry& entry : list) {
    number = std::max(number, entry.number + 1);
    if (entry.tag) {
      last = &spec.tags()[*entry.tag];
    }
  }
  std::string_view keyword = patch ? "Patch" : "Source";
  if (last == nullptr) {
    // No such tag yet: add after the last tag of the main preamble.
    auto it = std::find_if(spec.tags().rbegin(), spec.tags().rend(),
                           [&](const Tag& t) { return spec.lines()[t.line].section == 0; });
    if (it == spec.tags().rend()) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: no preamble tags to add a {} after", spec.name(), keyword));
    }
    last = &*it;
  }
  const Line& line = spec.lines()[last->line];
  std::string name = fmt::format("{}{}:", keyword, number);
  std::size_t column = last->value.begin - line.content.begin;
  std::string padding(column > name.size() ? column - name.size() : 1, ' ');
  std::string_view eol = spec.line_ending();
  bool has_eol = line.end != line.content.end;
  std::string added = has_eol ? name + padding + std::string(url) + std::string(eol)
                              : std::string(eol) + name + padding + std::string(url);
  return apply_edits(spec.text(), {Edit{Span{line.end, line.end}, std::move(added)}});
}

Result<std::string> remove_source(const SpecFile& spec, const SpecInfo& info, bool patch,
                                  long number) {
  const Tag* tag = nullptr;
  FERRY_TRY_ASSIGN(tag, source_tag(spec, info, patch, number));
  const Line& line = spec.lines()[tag->line];
  return apply_edits(spec.text(), {Edit{Span{line.content.begin, line.end}, ""}});
}

} // namespace ferry::core::spec
