#include "core/spec/spec_evaluator.hpp"

#include "core/spec/expression.hpp"
#include "core/spec/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

namespace ferry::core::spec {

namespace {

constexpr std::size_t k_max_include_depth = 16;

// Keywords whose expansion changes macro state; lines outside preambles are only expanded
// when they contain one (their other output does not affect what we compute).
constexpr std::array<std::string_view, 7> k_side_effects = {
    "%define", "%global", "%undefine", "%bcond", "%{expand", "%{load", "%{lua"};

bool has_side_effects(std::string_view line) {
  return std::any_of(k_side_effects.begin(), k_side_effects.end(),
                     [&](std::string_view k) { return line.find(k) != std::string_view::npos; });
}

// Preamble tags that rpm also defines as macros (lowercase; uppercase for the main package).
constexpr std::array<std::string_view, 10> k_macro_tags = {
    "name",    "version", "release",  "epoch",  "summary",
    "license", "group",   "packager", "vendor", "url"};

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

std::string uppercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), to_upper);
  return out;
}

std::string last_component(std::string_view url) {
  std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

// A continued %if expression as one line.
std::string without_continuations(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      out.push_back(' ');
      continue;
    }
    out.push_back(text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
  }
  return out;
}

bool opens_conditional(ConditionalKind kind) {
  return kind == ConditionalKind::if_ || kind == ConditionalKind::ifarch ||
         kind == ConditionalKind::ifnarch || kind == ConditionalKind::ifos ||
         kind == ConditionalKind::ifnos;
}

class Walker {
public:
  Walker(const SpecFile& main, const EvalOptions& options)
      : m_main(main), m_options(options), m_expander(m_table, options.limits) {
    define_default_macros(m_table,
                          options.sourcedir.empty() ? options.spec_dir : options.sourcedir);
    for (const auto& [name, value] : options.defines) {
      m_table.define(name, value);
    }
    if (options.shell) {
      m_expander.set_shell_runner(options.shell);
    }
    if (options.read_file) {
      m_expander.set_file_reader([this](std::string_view path) { return read(path); });
    }
    m_info.active_lines.assign(main.lines().size(), false);
  }

  Result<SpecInfo> run() {
    FERRY_TRY(walk(m_main));
    dedupe(m_info.unevaluated);
    return std::move(m_info);
  }

private:
  struct Frame {
    bool parent = true;
    bool taken = false;
    bool active = true;
  };

  const SpecFile& m_main;
  const EvalOptions& m_options;
  MacroTable m_table;
  MacroExpander m_expander;
  SpecInfo m_info;
  std::vector<Frame> m_frames;
  SectionKind m_section = SectionKind::preamble;
  long m_next_source = 0;
  long m_next_patch = 0;
  std::size_t m_include_depth = 0;
  std::map<std::string, std::size_t, std::less<>> m_definitions;
  std::vector<std::unique_ptr<SpecFile>> m_included;

  bool active() const { return m_frames.empty() || m_frames.back().active; }

  static void dedupe(std::vector<std::string>& items) {
    std::vector<std::string> unique;
    for (std::string& item : items) {
      if (std::find(unique.begin(), unique.end(), item) == unique.end()) {
        unique.push_back(std::move(item));
      }
    }
    items = std::move(unique);
  }

  Result<std::string> read(std::string_view path) {
    std::string full(path);
    if (!full.empty() && full.front() != '/') {
      full = m_options.spec_dir + "/" + full;
    }
    return m_options.read_file(full);
  }

  Status walk(const SpecFile& file) {
    for (std::size_t i = 0; i < file.lines().size(); ++i) {
      FERRY_TRY(process(file, i));
    }
    return {};
  }

  Status process(const SpecFile& file, std::size_t index) {
    const Line& line = file.lines()[index];
    bool is_main = &file == &m_main;
    if (line.kind == LineKind::conditional) {
      if (is_main) {
        m_info.active_lines[index] =
            m_frames.empty() || m_frames.back().active ||
            (m_frames.back().parent && !opens_conditional(file.conditionals()[line.item].kind));
      }
      return conditional(file, file.conditionals()[line.item]);
    }
    if (!active()) {
      return {};
    }
    if (is_main) {
      m_info.active_lines[index] = true;
    }
    switch (line.kind) {
    case LineKind::section:
      return section(file, line, is_main);
    case LineKind::include:
      return include(file, file.includes()[line.item]);
    case LineKind::definition:
      return definition(file, index, is_main);
    case LineKind::tag:
      if (holds_tags(m_section)) {
        return tag(file, line.item, is_main);
      }
      return text(file, index, is_main);
    default:
      return text(file, index, is_main);
    }
  }

  std::unexpected<Error> error_at(const SpecFile& file, std::size_t index,
                                  const Error& error) const {
    return fail(ErrorKind::spec_parse,
                fmt::format("{}: {}", file.location(index), error.message()));
  }

  // Expands `text`, recording anything unevaluated with the file position when `track`.
  Result<std::string> expand_at(const SpecFile& file, std::size_t index, std::string_view text,
                                bool track) {
    std::size_t before = m_expander.unevaluated_count();
    auto result = m_expander.expand(text);
    if (!result) {
      return error_at(file, index, result.error());
    }
    if (track) {
      const auto& notes = m_expander.unevaluated();
      for (std::size_t i = before; i < notes.size(); ++i) {
        m_info.unevaluated.push_back(fmt::format("{}: {}", file.location(index), notes[i]));
      }
    }
    return result;
  }

  Status conditional(const SpecFile& file, const Conditional& cond) {
    if (opens_conditional(cond.kind)) {
      Frame frame{active(), false, false};
      if (frame.parent) {
        bool result = false;
        FERRY_TRY_ASSIGN(result, test(file, cond));
        frame.active = frame.taken = result;
      }
      m_frames.push_back(frame);
      return {};
    }
    if (m_frames.empty()) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: %else, %elif or %endif without %if", file.location(cond.line)));
    }
    Frame& frame = m_frames.back();
    if (cond.kind == ConditionalKind::endif) {
      m_frames.pop_back();
    } else if (cond.kind == ConditionalKind::else_) {
      frame.active = frame.parent && !frame.taken;
      frame.taken = true;
    } else if (frame.parent && !frame.taken) {
      bool result = false;
      FERRY_TRY_ASSIGN(result, test(file, cond));
      frame.active = frame.taken = result;
    } else {
      frame.active = false;
    }
    return {};
  }

  Result<bool> test(const SpecFile& file, const Conditional& cond) {
    std::size_t before = m_expander.unevaluated_count();
    std::string expanded;
    FERRY_TRY_ASSIGN(expanded, expand_at(file, cond.line,
                                         without_continuations(file.view(cond.expression)), true));
    if (m_expander.unevaluated_count() != before) {
      m_info.unevaluated.push_back(fmt::format("{}: condition taken as false: {}",
                                               file.location(cond.line),
                                               file.view(cond.expression)));
      return false;
    }
    switch (cond.kind) {
    case ConditionalKind::if_:
    case ConditionalKind::elif: {
      auto value = evaluate_expression(expanded);
      if (!value) {
        return error_at(file, cond.line, value.error());
      }
      return value->truthy();
    }
    case ConditionalKind::ifarch:
    case ConditionalKind::elifarch:
      return matches(expanded, "_target_cpu");
    case ConditionalKind::ifnarch:
      return !matches(expanded, "_target_cpu");
    case ConditionalKind::ifos:
    case ConditionalKind::elifos:
      return matches(expanded, "_target_os");
    case ConditionalKind::ifnos:
      return !matches(expanded, "_target_os");
    default:
      return false;
    }
  }

  bool matches(std::string_view list, std::string_view macro) {
    auto target = m_expander.expand(fmt::format("%{{{}}}", macro));
    std::vector<std::string_view> words = split_words(list);
    return target && std::find(words.begin(), words.end(), *target) != words.end();
  }

  Status section(const SpecFile& file, const Line& line, bool is_main) {
    const Section& s = file.sections()[line.section];
    m_section = s.kind;
    if (is_main && s.kind == SectionKind::changelog) {
      m_info.changelog_section = line.section;
    }
    return {};
  }

  Status include(const SpecFile& file, const Include& inc) {
    std::string path;
    FERRY_TRY_ASSIGN(path, expand_at(file, inc.line, file.view(inc.path), true));
    path = std::string(trim(path));
    if (!m_options.read_file) {
      return fail(ErrorKind::spec_parse, fmt::format("{}: cannot %include {}: no file access",
                                                     file.location(inc.line), path));
    }
    if (m_include_depth >= k_max_include_depth) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: %include nested too deeply", file.location(inc.line)));
    }
    auto content = read(path);
    if (!content) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: cannot %include {}: {}", file.location(inc.line), path,
                              content.error().message()));
    }
    SpecFile included;
    FERRY_TRY_ASSIGN(included, SpecFile::parse(std::move(*content), path));
    m_included.push_back(std::make_unique<SpecFile>(std::move(included)));
    ++m_include_depth;
    Status status = walk(*m_included.back());
    --m_include_depth;
    return status;
  }

  Status definition(const SpecFile& file, std::size_t index, bool is_main) {
    const Line& line = file.lines()[index];
    const Definition& def = file.definitions()[line.item];
    FERRY_TRY(expand_at(file, index, file.view(line.content), false));
    if (is_main) {
      std::string name(file.view(def.name));
      if (def.keyword == "undefine") {
        m_definitions.erase(name);
      } else {
        m_definitions[name] = line.item;
      }
    }
    return {};
  }

  Status text(const SpecFile& file, std::size_t index, bool is_main) {
    const Line& line = file.lines()[index];
    std::string_view content = file.view(line.content);
    if (line.physical > 1 && content.find('%') != std::string_view::npos) {
      return chunk(file, index, content);
    }
    if (m_section == SectionKind::sourcelist || m_section == SectionKind::patchlist) {
      return list_entry(file, index, content);
    }
    if (m_section == SectionKind::changelog && is_main) {
      count_changelog(content);
    }
    if (content.find('%') == std::string_view::npos) {
      return {};
    }
    if (holds_tags(m_section) || has_side_effects(content)) {
      FERRY_TRY(expand_at(file, index, content, false));
    }
    return {};
  }

  // Lines joined by an open %{...}: rpm expands them at once and reads the result line by
  // line, so the expansion may hold section headers, tags or list entries.
  Status chunk(const SpecFile& file, std::size_t index, std::string_view content) {
    std::string expanded;
    std::size_t before = m_expander.unevaluated_count();
    FERRY_TRY_ASSIGN(expanded, expand_at(file, index, content, holds_tags(m_section)));
    if (m_expander.unevaluated_count() != before || expanded == content) {
      return {}; // nothing (reliable) to read back
    }
    if (m_include_depth >= k_max_include_depth) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("{}: macro output nested too deeply", file.location(index)));
    }
    auto parsed = SpecFile::parse(std::move(expanded), file.location(index));
    if (!parsed) {
      return error_at(file, index, parsed.error());
    }
    m_included.push_back(std::make_unique<SpecFile>(std::move(*parsed)));
    ++m_include_depth;
    Status status = walk(*m_included.back());
    --m_include_depth;
    return status;
  }

  void count_changelog(std::string_view content) {
    if (!content.empty() && content.front() == '*') {
      ++m_info.changelog_entries;
    }
    std::string_view t = trim(content);
    if (t == "%autochangelog" || t == "%{autochangelog}" || t == "%{?autochangelog}") {
      m_info.autochangelog = true;
    }
  }

  Status list_entry(const SpecFile& file, std::size_t index, std::string_view content) {
    std::string_view t = trim(content);
    if (t.empty() || t.front() == '#') {
      return {};
    }
    std::string url;
    FERRY_TRY_ASSIGN(url, expand_at(file, index, t, true));
    add_source(m_section == SectionKind::patchlist, std::nullopt, std::string(trim(url)),
               std::nullopt);
    return {};
  }

  void add_source(bool patch, std::optional<long> number, std::string url,
                  std::optional<std::size_t> tag) {
    long& next = patch ? m_next_patch : m_next_source;
    SourceEntry entry;
    entry.patch = patch;
    entry.number = number.value_or(next);
    next = std::max(next, entry.number + 1);
    entry.filename = last_component(url);
    entry.url = std::move(url);
    entry.tag = tag;
    std::string macro = fmt::format("{}{}", patch ? "PATCH" : "SOURCE", entry.number);
    m_table.define(macro, fmt::format("%{{_sourcedir}}/{}", entry.filename));
    (patch ? m_info.patches : m_info.sources).push_back(std::move(entry));
  }

  Status tag(const SpecFile& file, std::size_t tag_index, bool is_main) {
    const Tag& t = file.tags()[tag_index];
    std::string name = lowercase(file.view(t.name));
    bool reported = name == "name" || name == "version" || name == "release" || name == "epoch" ||
                    name == "source" || name == "patch";
    std::string value;
    FERRY_TRY_ASSIGN(value, expand_at(file, t.line, file.view(t.value), reported));
    value = std::string(trim(value));
    std::optional<std::size_t> main_index =
        is_main ? std::optional<std::size_t>(tag_index) : std::nullopt;
    if ((name == "source" || name == "patch") && t.qualifier.size() == 0) {
      std::optional<long> number;
      if (t.number.size() > 0) {
        long n = 0;
        std::string_view digits = file.view(t.number);
        std::from_chars(digits.data(), digits.data() + digits.size(), n);
        number = n;
      }
      add_source(name == "patch", number, std::move(value), main_index);
      return {};
    }
    bool main_package = m_section == SectionKind::preamble;
    if (main_package) {
      record_main_tag(name, value, file, t, main_index);
    }
    if (std::find(k_macro_tags.begin(), k_macro_tags.end(), name) != k_macro_tags.end() &&
        t.qualifier.size() == 0) {
      m_table.define(name, value);
      if (main_package) {
        m_table.define(uppercase(name), value);
      }
    }
    return {};
  }

  void record_main_tag(std::string_view name, const std::string& value, const SpecFile& file,
                       const Tag& t, std::optional<std::size_t> index) {
    if (name == "name") {
      m_info.name = value;
      m_info.name_tag = index;
    } else if (name == "version") {
      m_info.version = value;
      m_info.version_tag = index;
      m_info.definitions_at_version = m_definitions;
    } else if (name == "release") {
      m_info.release = value;
      m_info.release_tag = index;
      m_info.definitions_at_release = m_definitions;
      m_info.autorelease = file.view(t.value).find("autorelease") != std::string_view::npos;
    } else if (name == "epoch") {
      m_info.epoch = value;
      m_info.epoch_tag = index;
    }
  }
};

} // namespace

Result<SpecInfo> evaluate_spec(const SpecFile& spec, const EvalOptions& options) {
  Walker walker(spec, options);
  return walker.run();
}

} // namespace ferry::core::spec
