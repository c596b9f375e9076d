// A lossless, structural view of an RPM spec file: the original text plus tables of spans
// into it (lines, sections, preamble tags, macro definitions, conditionals, includes). The
// model never copies or normalises the text, so printing it gives the input byte for byte.
// Nothing here expands macros; see spec_evaluator.hpp for what rpmspec would compute.
#pragma once

#include "error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::spec {

// Byte offsets [begin, end) into SpecFile::text().
// 32-bit offsets keep the tables small; SpecFile::parse rejects texts of 4 GiB or more.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  constexpr Span() = default;
  constexpr Span(std::size_t b, std::size_t e)
      : begin(static_cast<std::uint32_t>(b)), end(static_cast<std::uint32_t>(e)) {}
  std::size_t size() const { return end - begin; }
};

enum class SectionKind {
  preamble, // the main package's preamble, before the first section header
  package,  // %package: a subpackage preamble
  description,
  prep,
  build,
  install,
  check,
  clean,
  files,
  changelog,
  sourcelist,
  patchlist,
  scriptlet, // %pre, %post, triggers, %verifyscript, ...
  other,     // %conf, %generate_buildrequires, ...
};

// True for sections whose lines are `Tag: value` preamble lines.
bool holds_tags(SectionKind kind);

enum class LineKind : std::uint8_t {
  text,        // anything else: shell, file lists, description text, comments, blank
  tag,         // `Name(qualifier): value` in a preamble
  section,     // `%description -n foo`
  definition,  // `%global`, `%define`, `%undefine` at the start of the line
  conditional, // `%if`, `%elif`, `%ifarch`, `%else`, `%endif`, ...
  include,     // `%include path`
};

// One logical line: a physical line plus the lines joined to it by a trailing backslash or by
// unclosed `%{`, `%(` or `%[` (as rpm reads them).
struct Line {
  Span content;               // without the final line ending
  std::uint32_t end = 0;      // offset after the line ending (== content.end when there is none)
  std::uint32_t number = 0;   // 1-based number of the first physical line
  std::uint32_t physical = 1; // physical lines in this logical line
  std::uint32_t section = 0;  // index into SpecFile::sections()
  std::uint32_t item = 0;     // index into the table named by `kind` (tags, definitions, ...)
  LineKind kind = LineKind::text;
};

struct Section {
  SectionKind kind = SectionKind::preamble;
  std::string_view keyword;    // "description", "files", "post"; "" for the preamble
  Span arguments;              // text after the keyword on the header line (may be empty)
  std::size_t header_line = 0; // index into lines(); the preamble has none (first_line == 0)
  std::size_t first_line = 0;  // first line of the body
  std::size_t end_line = 0;    // one past the last line of the body
};

struct Tag {
  std::uint32_t line = 0; // index into lines()
  Span name;              // "Source0" is split: name "Source", number "0"
  Span number;            // digits right after the name (Source/Patch); may be empty
  Span qualifier;         // "(post)" in `Requires(post):`; may be empty
  Span value;             // trimmed value
};

struct Definition {
  std::size_t line = 0;     // index into lines()
  std::string_view keyword; // "global", "define" or "undefine"
  Span name;
  Span parameters; // "(ab:)" of a parametric macro, without parentheses; may be empty
  bool parametric = false;
  Span body; // trimmed; for multi-line bodies includes the backslash-newline pairs
};

enum class ConditionalKind {
  if_,
  ifarch,
  ifnarch,
  ifos,
  ifnos,
  elif,
  elifarch,
  elifos,
  else_,
  endif
};

struct Conditional {
  std::size_t line = 0;
  ConditionalKind kind = ConditionalKind::if_;
  Span expression; // trimmed rest of the line
};

struct Include {
  std::size_t line = 0;
  Span path; // unexpanded
};

class SpecFile {
public:
  // Splits and classifies `text`. `name` is used in error messages ("foo.spec:12: ...").
  // Fails (ErrorKind::spec_parse) only on unbalanced conditionals.
  [[nodiscard]] static Result<SpecFile> parse(std::string text, std::string name);

  const std::string& text() const { return m_text; }
  const std::string& name() const { return m_name; }
  std::string_view view(Span span) const {
    return std::string_view(m_text).substr(span.begin, span.size());
  }

  const std::vector<Line>& lines() const { return m_lines; }
  const std::vector<Section>& sections() const { return m_sections; }
  const std::vector<Tag>& tags() const { return m_tags; }
  const std::vector<Definition>& definitions() const { return m_definitions; }
  const std::vector<Conditional>& conditionals() const { return m_conditionals; }
  const std::vector<Include>& includes() const { return m_includes; }

  // The text rebuilt from the line table alone (contents plus line endings); equals text()
  // for every input, which is what makes the model lossless.
  std::string print() const;

  // "\r\n" if the file's first line ending is CRLF, else "\n".
  std::string_view line_ending() const;
  // "foo.spec:12" for a line index.
  std::string location(std::size_t line_index) const;

private:
  std::string m_text;
  std::string m_name;
  std::vector<Line> m_lines;
  std::vector<Section> m_sections;
  std::vector<Tag> m_tags;
  std::vector<Definition> m_definitions;
  std::vector<Conditional> m_conditionals;
  std::vector<Include> m_includes;

  friend class SpecParser;
};

// One %changelog entry: its "* date author - evr" line and the lines up to the next entry.
struct ChangelogEntry {
  std::size_t header_line = 0; // index into lines()
  std::size_t end_line = 0;    // one past its last line (blank lines before the next included)
};

// The entries of the section at `section_index` (a %changelog), in file order.
std::vector<ChangelogEntry> changelog_entries(const SpecFile& spec, std::size_t section_index);

// A replacement of the bytes in `span` by `text`.
struct Edit {
  Span span;
  std::string text;
};

// Applies non-overlapping edits (in any order) to `text`; every other byte is kept.
std::string apply_edits(std::string_view text, std::vector<Edit> edits);

} // namespace ferry::core::spec
