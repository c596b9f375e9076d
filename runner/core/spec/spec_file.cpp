#include "core/spec/spec_file.hpp"

#include "core/spec/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace ferry::core::spec {

namespace {

struct SectionName {
  std::string_view keyword;
  SectionKind kind;
};

constexpr std::array k_section_names = {
    SectionName{"package", SectionKind::package},
    SectionName{"description", SectionKind::description},
    SectionName{"prep", SectionKind::prep},
    SectionName{"build", SectionKind::build},
    SectionName{"install", SectionKind::install},
    SectionName{"check", SectionKind::check},
    SectionName{"clean", SectionKind::clean},
    SectionName{"files", SectionKind::files},
    SectionName{"changelog", SectionKind::changelog},
    SectionName{"sourcelist", SectionKind::sourcelist},
    SectionName{"patchlist", SectionKind::patchlist},
    SectionName{"conf", SectionKind::other},
    SectionName{"generate_buildrequires", SectionKind::other},
    SectionName{"pre", SectionKind::scriptlet},
    SectionName{"post", SectionKind::scriptlet},
    SectionName{"preun", SectionKind::scriptlet},
    SectionName{"postun", SectionKind::scriptlet},
    SectionName{"pretrans", SectionKind::scriptlet},
    SectionName{"posttrans", SectionKind::scriptlet},
    SectionName{"preuntrans", SectionKind::scriptlet},
    SectionName{"postuntrans", SectionKind::scriptlet},
    SectionName{"verifyscript", SectionKind::scriptlet},
    SectionName{"triggerprein", SectionKind::scriptlet},
    SectionName{"triggerin", SectionKind::scriptlet},
    SectionName{"triggerun", SectionKind::scriptlet},
    SectionName{"triggerpostun", SectionKind::scriptlet},
    SectionName{"filetriggerin", SectionKind::scriptlet},
    SectionName{"filetriggerun", SectionKind::scriptlet},
    SectionName{"filetriggerpostun", SectionKind::scriptlet},
    SectionName{"transfiletriggerin", SectionKind::scriptlet},
    SectionName{"transfiletriggerun", SectionKind::scriptlet},
    SectionName{"transfiletriggerpostun", SectionKind::scriptlet},
};

struct ConditionalName {
  std::string_view keyword;
  ConditionalKind kind;
};

constexpr std::array k_conditional_names = {
    ConditionalName{"if", ConditionalKind::if_},
    ConditionalName{"ifarch", ConditionalKind::ifarch},
    ConditionalName{"ifnarch", ConditionalKind::ifnarch},
    ConditionalName{"ifos", ConditionalKind::ifos},
    ConditionalName{"ifnos", ConditionalKind::ifnos},
    ConditionalName{"elif", ConditionalKind::elif},
    ConditionalName{"elifarch", ConditionalKind::elifarch},
    ConditionalName{"elifos", ConditionalKind::elifos},
    ConditionalName{"else", ConditionalKind::else_},
    ConditionalName{"endif", ConditionalKind::endif},
};

// The word after '%' at `pos` if it is followed by whitespace or the end of `line`.
std::string_view directive_word(std::string_view line, std::size_t pos) {
  if (pos >= line.size() || line[pos] != '%') {
    return {};
  }
  std::size_t end = pos + 1;
  while (end < line.size() && (is_word_char(line[end]))) {
    ++end;
  }
  return line.substr(pos + 1, end - pos - 1);
}

// A static copy of "define", "global" or "undefine", so Definition can keep a view of it.
std::string_view keyword_literal(std::string_view word) {
  if (word == "define") {
    return "define";
  }
  return word == "global" ? "global" : "undefine";
}

bool ends_word(std::string_view line, std::size_t pos) {
  return pos >= line.size() || is_space(line[pos]);
}

// Whether a trailing backslash continues the logical line starting at `line`: only for macro
// definitions and conditionals (rpm expands a continued chunk at once but still reads
// %if/%else/%endif and section headers line by line).
bool joins_continuations(std::string_view line) {
  std::size_t start = 0;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t'))
    ++start;
  std::string_view word = directive_word(line, start);
  return word == "define" || word == "global" || word == "if" || word == "elif" || word == "bcond";
}

// Tracks unclosed %{ %( %[ across physical lines, as rpm's line reader does.
struct NestingCounter {
  int braces = 0;
  int parens = 0;
  int brackets = 0;

  void feed(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '\\' && i + 1 < s.size()) {
        ++i;
        continue;
      }
      if (c == '%' && i + 1 < s.size()) {
        char n = s[i + 1];
        if (n == '%') {
          ++i;
        } else if (n == '{') {
          ++braces;
          ++i;
        } else if (n == '(') {
          ++parens;
          ++i;
        } else if (n == '[') {
          ++brackets;
          ++i;
        }
        continue;
      }
      count_close(c);
    }
  }
  void count_close(char c) {
    if (c == '{' && braces > 0) {
      ++braces;
    } else if (c == '}' && braces > 0) {
      --braces;
    } else if (c == '(' && parens > 0) {
      ++parens;
    } else if (c == ')' && parens > 0) {
      --parens;
    } else if (c == '[' && brackets > 0) {
      ++brackets;
    } else if (c == ']' && brackets > 0) {
      --brackets;
    }
  }
  bool open() const { return braces > 0 || parens > 0 || brackets > 0; }
};

std::uint32_t to_u32(std::size_t n) {
  return static_cast<std::uint32_t>(n);
}

} // namespace

bool holds_tags(SectionKind kind) {
  return kind == SectionKind::preamble || kind == SectionKind::package;
}

class SpecParser {
public:
  explicit SpecParser(SpecFile& spec) : m_spec(spec) {}

  Status run() {
    split_lines();
    m_spec.m_sections.push_back(Section{SectionKind::preamble, "", {}, 0, 0, 0});
    for (std::size_t i = 0; i < m_spec.m_lines.size(); ++i) {
      classify(i);
    }
    m_spec.m_sections.back().end_line = m_spec.m_lines.size();
    return check_balance();
  }

private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  SpecFile& m_spec;
  int m_depth = 0;
  std::size_t m_bad_line = npos;
  std::size_t m_first_open = 0;

  std::string_view text() const { return m_spec.m_text; }

  void split_lines() {
    std::string_view t = text();
    m_spec.m_lines.reserve(static_cast<std::size_t>(std::count(t.begin(), t.end(), '\n')) + 1);
    std::size_t pos = 0, number = 1;
    while (pos < t.size()) {
      Line line;
      line.number = to_u32(number);
      line.content.begin = to_u32(pos);
      NestingCounter nesting;
      while (true) {
        std::size_t nl = t.find('\n', pos);
        std::size_t content_end = nl == std::string_view::npos ? t.size() : nl;
        std::size_t next = nl == std::string_view::npos ? t.size() : nl + 1;
        std::string_view physical = t.substr(pos, content_end - pos);
        if (!physical.empty() && physical.back() == '\r') {
          content_end -= 1;
          physical.remove_suffix(1);
        }
        nesting.feed(physical);
        ++number;
        pos = next;
        line.content.end = to_u32(content_end);
        line.end = to_u32(next);
        bool backslash = !physical.empty() && physical.back() == '\\';
        bool continued =
            (backslash && joins_continuations(t.substr(line.content.begin))) || nesting.open();
        if (!continued || pos >= t.size()) {
          break;
        }
        ++line.physical;
      }
      m_spec.m_lines.push_back(line);
    }
  }

  void classify(std::size_t index) {
    Line& line = m_spec.m_lines[index];
    std::string_view content = m_spec.view(line.content);
    line.section = to_u32(m_spec.m_sections.size() - 1);
    if (classify_section(index, content) || classify_directive(index, content)) {
      return;
    }
    if (holds_tags(m_spec.m_sections.back().kind)) {
      classify_tag(index, content);
    }
  }

  bool classify_section(std::size_t index, std::string_view content) {
    std::string_view word = directive_word(content, 0);
    if (word.empty() || !ends_word(content, word.size() + 1)) {
      return false;
    }
    auto it = std::find_if(k_section_names.begin(), k_section_names.end(),
                           [&](const SectionName& s) { return s.keyword == word; });
    if (it == k_section_names.end()) {
      return false;
    }
    Line& line = m_spec.m_lines[index];
    m_spec.m_sections.back().end_line = index;
    Section section;
    section.kind = it->kind;
    section.keyword = it->keyword;
    section.arguments = trimmed_span(line.content.begin + word.size() + 1, line.content.end);
    section.header_line = index;
    section.first_line = index + 1;
    line.kind = LineKind::section;
    line.section = to_u32(m_spec.m_sections.size());
    m_spec.m_sections.push_back(section);
    return true;
  }

  Span trimmed_span(std::size_t begin, std::size_t end) const {
    while (begin < end && is_space(text()[begin]))
      ++begin;
    while (end > begin && is_space(text()[end - 1]))
      --end;
    return Span{begin, end};
  }

  bool classify_directive(std::size_t index, std::string_view content) {
    std::size_t start = 0;
    while (start < content.size() && (content[start] == ' ' || content[start] == '\t'))
      ++start;
    std::string_view word = directive_word(content, start);
    if (word.empty()) {
      return false;
    }
    std::size_t after = start + 1 + word.size();
    bool is_else_or_endif = word == "else" || word == "endif";
    if (!is_else_or_endif && !ends_word(content, after)) {
      return false;
    }
    Line& line = m_spec.m_lines[index];
    Span rest = trimmed_span(line.content.begin + after, line.content.end);
    if (word == "define" || word == "global" || word == "undefine") {
      add_definition(index, keyword_literal(word), rest);
      return true;
    }
    if (word == "include") {
      line.kind = LineKind::include;
      line.item = to_u32(m_spec.m_includes.size());
      m_spec.m_includes.push_back(Include{index, rest});
      return true;
    }
    return classify_conditional(index, word, rest);
  }

  bool classify_conditional(std::size_t index, std::string_view word, Span rest) {
    auto it = std::find_if(k_conditional_names.begin(), k_conditional_names.end(),
                           [&](const ConditionalName& c) { return c.keyword == word; });
    if (it == k_conditional_names.end()) {
      return false;
    }
    Line& line = m_spec.m_lines[index];
    line.kind = LineKind::conditional;
    line.item = to_u32(m_spec.m_conditionals.size());
    m_spec.m_conditionals.push_back(Conditional{index, it->kind, rest});
    track_depth(index, it->kind);
    return true;
  }

  void track_depth(std::size_t index, ConditionalKind kind) {
    bool opens = kind == ConditionalKind::if_ || kind == ConditionalKind::ifarch ||
                 kind == ConditionalKind::ifnarch || kind == ConditionalKind::ifos ||
                 kind == ConditionalKind::ifnos;
    if (opens) {
      if (m_depth++ == 0) {
        m_first_open = index;
      }
      return;
    }
    if (m_depth == 0) {
      if (m_bad_line == npos) {
        m_bad_line = index;
      }
      return;
    }
    if (kind == ConditionalKind::endif) {
      --m_depth;
    }
  }

  void add_definition(std::size_t index, std::string_view keyword, Span rest) {
    Line& line = m_spec.m_lines[index];
    Definition def;
    def.line = index;
    def.keyword = keyword;
    std::size_t pos = rest.begin;
    while (pos < rest.end && (is_word_char(text()[pos])))
      ++pos;
    def.name = Span{rest.begin, pos};
    if (pos < rest.end && text()[pos] == '(') {
      std::size_t close = text().find(')', pos);
      if (close != std::string_view::npos && close < rest.end) {
        def.parametric = true;
        def.parameters = Span{pos + 1, close};
        pos = close + 1;
      }
    }
    def.body = trimmed_span(pos, rest.end);
    line.kind = LineKind::definition;
    line.item = to_u32(m_spec.m_definitions.size());
    m_spec.m_definitions.push_back(def);
  }

  void classify_tag(std::size_t index, std::string_view content) {
    std::size_t pos = 0;
    while (pos < content.size() && is_alpha(content[pos]))
      ++pos;
    if (pos == 0) {
      return;
    }
    std::size_t name_end = pos;
    while (pos < content.size() && is_alnum(content[pos]))
      ++pos;
    std::size_t number_end = pos;
    std::size_t qualifier_begin = pos, qualifier_end = pos;
    if (pos < content.size() && content[pos] == '(') {
      std::size_t close = content.find(')', pos);
      if (close == std::string_view::npos) {
        return;
      }
      qualifier_end = close + 1;
      pos = close + 1;
    }
    while (pos < content.size() && is_space(content[pos]))
      ++pos;
    if (pos >= content.size() || content[pos] != ':') {
      return;
    }
    // Only Source/Patch carry a number; for other tags digits are part of the name.
    std::size_t name_stop = name_end;
    std::string_view alpha = content.substr(0, name_end);
    if (!iequals(alpha, "source") && !iequals(alpha, "patch")) {
      name_stop = number_end;
    } else if (number_end != name_end &&
               !std::all_of(content.begin() + static_cast<std::ptrdiff_t>(name_end),
                            content.begin() + static_cast<std::ptrdiff_t>(number_end), is_digit)) {
      return;
    }
    Line& line = m_spec.m_lines[index];
    std::size_t base = line.content.begin;
    Tag tag;
    tag.line = to_u32(index);
    tag.name = Span{base, base + name_stop};
    tag.number = Span{base + name_stop, base + number_end};
    tag.qualifier = Span{base + qualifier_begin, base + qualifier_end};
    tag.value = trimmed_span(base + pos + 1, line.content.end);
    line.kind = LineKind::tag;
    line.item = to_u32(m_spec.m_tags.size());
    m_spec.m_tags.push_back(tag);
  }

  Status check_balance() const {
    if (m_bad_line != npos) {
      return fail(ErrorKind::spec_parse, fmt::format("{}: %else, %elif or %endif without %if",
                                                     m_spec.location(m_bad_line)));
    }
    if (m_depth > 0) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: unterminated %if", m_spec.location(m_first_open)));
    }
    return {};
  }
};

Result<SpecFile> SpecFile::parse(std::string text, std::string name) {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return fail(ErrorKind::spec_parse,
                fmt::format("{}: file too large ({} bytes)", name, text.size()));
  }
  SpecFile spec;
  spec.m_text = std::move(text);
  spec.m_name = std::move(name);
  SpecParser parser(spec);
  FERRY_TRY(parser.run());
  return spec;
}

std::string SpecFile::print() const {
  std::string out;
  out.reserve(m_text.size());
  for (const Line& line : m_lines) {
    out.append(view(line.content));
    out.append(m_text, line.content.end, line.end - line.content.end);
  }
  return out;
}

std::string_view SpecFile::line_ending() const {
  std::size_t nl = m_text.find('\n');
  if (nl != std::string::npos && nl > 0 && m_text[nl - 1] == '\r') {
    return "\r\n";
  }
  return "\n";
}

std::string SpecFile::location(std::size_t line_index) const {
  std::size_t number = line_index < m_lines.size() ? m_lines[line_index].number : 0;
  return fmt::format("{}:{}", m_name, number);
}

std::vector<ChangelogEntry> changelog_entries(const SpecFile& spec, std::size_t section_index) {
  std::vector<ChangelogEntry> entries;
  const Section& section = spec.sections().at(section_index);
  for (std::size_t i = section.first_line; i < section.end_line; ++i) {
    std::string_view content = spec.view(spec.lines()[i].content);
    if (!content.empty() && content.front() == '*') {
      if (!entries.empty()) {
        entries.back().end_line = i;
      }
      entries.push_back(ChangelogEntry{i, section.end_line});
    }
  }
  return entries;
}

std::string apply_edits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.span.begin < b.span.begin; });
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t pos = 0;
  for (const Edit& edit : edits) {
    FERRY_ASSERT(edit.span.begin >= pos && edit.span.end <= text.size());
    out.append(text.substr(pos, edit.span.begin - pos));
    out.append(edit.text);
    pos = edit.span.end;
  }
  out.append(text.substr(pos));
  return out;
}

} // namespace ferry::core::spec
