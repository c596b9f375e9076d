#include "core/spec/macro_expander.hpp"

#include "core/spec/expression.hpp"
#include "core/spec/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

namespace ferry::core::spec {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// Index of the character closing the one at `open` (rpm's matchchar), or npos.
std::size_t match_close(std::string_view s, std::size_t open, char left, char right) {
  int level = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == right) {
      if (--level <= 0) {
        return i;
      }
    } else if (c == left) {
      ++level;
    }
  }
  return npos;
}

std::size_t line_end(std::string_view s, std::size_t pos) {
  std::size_t nl = s.find('\n', pos);
  return nl == npos ? s.size() : nl;
}

std::string short_text(std::string_view s) {
  constexpr std::size_t k_max = 80;
  if (s.size() <= k_max) {
    return std::string(s);
  }
  return std::string(s.substr(0, k_max)) + "...";
}

// Drops the backslash of every backslash-newline pair, as rpm does for macro bodies.
std::string join_continuations(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && (body[i + 1] == '\n' || body[i + 1] == '\r')) {
      continue;
    }
    out.push_back(body[i]);
  }
  return out;
}

std::string join_words(const std::vector<std::string_view>& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (i > from) {
      out.push_back(' ');
    }
    out.append(words[i]);
  }
  return out;
}

std::optional<long long> to_integer(std::string_view s) {
  long long value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

// Lua's string.sub with 1-based, possibly negative indices.
std::string lua_sub(std::string_view s, long long i, long long j) {
  auto len = static_cast<long long>(s.size());
  if (i < 0)
    i = std::max(len + i + 1, 1LL);
  if (i == 0)
    i = 1;
  if (j < 0)
    j = len + j + 1;
  if (j > len)
    j = len;
  if (i > j) {
    return {};
  }
  return std::string(
      s.substr(static_cast<std::size_t>(i - 1), static_cast<std::size_t>(j - i + 1)));
}

bool has_lua_magic(std::string_view pattern) {
  return pattern.find_first_of("^$()%.[]*+-?") != npos;
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  if (from.empty()) {
    return std::string(s);
  }
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = s.find(from, pos);
    if (hit == npos) {
      break;
    }
    out.append(s.substr(pos, hit - pos)).append(to);
    pos = hit + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

// The few Lua expressions spec files commonly print: string literals, numbers, `..`,
// rpm.expand(...) and macros.name. Returns nullopt for anything else.
class LuaSubset {
public:
  explicit LuaSubset(MacroExpander& expander) : m_expander(expander) {}

  // Runs `code`; nullopt when it uses anything outside the subset.
  std::optional<std::string> run(std::string_view code) {
    std::string out;
    for (std::string_view statement : split_statements(code)) {
      statement = trim(statement);
      if (statement.empty()) {
        continue;
      }
      if (!statement.starts_with("print(") || !statement.ends_with(")")) {
        return std::nullopt;
      }
      auto value = expression(statement.substr(6, statement.size() - 7));
      if (!value) {
        return std::nullopt;
      }
      out += *value;
    }
    return out;
  }

private:
  MacroExpander& m_expander;

  // Splits `code` where `separator(code, i)` (the separator's length at i, 0 if none) finds one
  // outside quotes and parentheses.
  template <typename Separator>
  static std::vector<std::string_view> split_top_level(std::string_view code, Separator separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    char quote = 0;
    int parens = 0;
    for (std::size_t i = 0; i < code.size(); ++i) {
      char c = code[i];
      if (quote != 0) {
        if (c == '\\')
          ++i;
        else if (c == quote)
          quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++parens;
      } else if (c == ')') {
        --parens;
      } else if (std::size_t length = parens == 0 ? separator(code, i) : 0; length > 0) {
        parts.push_back(code.substr(start, i - start));
        start = i + length;
        i += length - 1;
      }
    }
    parts.push_back(code.substr(start));
    return parts;
  }

  // Splits at top-level `;` and newlines.
  static std::vector<std::string_view> split_statements(std::string_view code) {
    return split_top_level(code, [](std::string_view text, std::size_t i) -> std::size_t {
      return text[i] == ';' || text[i] == '\n' ? 1 : 0;
    });
  }

  // Splits at top-level `..`.
  static std::vector<std::string_view> split_concat(std::string_view s) {
    return split_top_level(s, [](std::string_view text, std::size_t i) -> std::size_t {
      return text[i] == '.' && i + 1 < text.size() && text[i + 1] == '.' ? 2 : 0;
    });
  }

  std::optional<std::string> expression(std::string_view s) {
    std::string out;
    for (std::string_view term : split_concat(s)) {
      auto value = this->term(trim(term));
      if (!value) {
        return std::nullopt;
      }
      out += *value;
    }
    return out;
  }

  static std::optional<std::string> literal(std::string_view t) {
    if (t.size() < 2 || t.back() != t.front()) {
      return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < t.size(); ++i) {
      if (t[i] == t.front()) {
        return std::nullopt;
      }
      if (t[i] == '\\' && i + 2 < t.size()) {
        char e = t[++i];
        out.push_back(e == 'n' ? '\n' : (e == 't' ? '\t' : e));
        continue;
      }
      out.push_back(t[i]);
    }
    return out;
  }

  std::optional<std::string> term(std::string_view t) {
    if (t.empty()) {
      return std::nullopt;
    }
    if (t.front() == '"' || t.front() == '\'') {
      return literal(t);
    }
    if (to_integer(t)) {
      return std::string(t);
    }
    if (t.starts_with("rpm.expand(") && t.ends_with(")")) {
      auto inner = expression(t.substr(11, t.size() - 12));
      if (!inner) {
        return std::nullopt;
      }
      auto expanded = m_expander.expand(*inner);
      return expanded ? std::optional<std::string>(*expanded) : std::nullopt;
    }
    if (t.starts_with("macros.")) {
      std::string_view name = t.substr(7);
      if (name.empty() || !std::all_of(name.begin(), name.end(), is_word_char)) {
        return std::nullopt;
      }
      auto expanded = m_expander.expand(fmt::format("%{{?{}}}", name));
      return expanded ? std::optional<std::string>(*expanded) : std::nullopt;
    }
    return std::nullopt;
  }
};

constexpr std::array<std::string_view, 32> k_builtins = {
    "lua",       "expand",   "expr",    "defined", "undefined", "S",      "P",      "load",
    "error",     "echo",     "warn",    "trace",   "dump",      "getenv", "exists", "uncompress",
    "macrobody", "basename", "dirname", "suffix",  "url2path",  "u2p",    "shrink", "quote",
    "shescape",  "len",      "upper",   "lower",   "sub",       "rep",    "gsub",   "reverse"};

// rpm 4.19's Lua string functions called as macros: %{sub s i j}, %{rep s n [sep]},
// %{gsub s pattern replacement [n]} (literal patterns only); nullopt if not evaluable.
std::optional<std::string> lua_string_function(std::string_view name, std::string_view value) {
  std::vector<std::string_view> w = split_words(value);
  if (name == "reverse") {
    return std::string(value.rbegin(), value.rend());
  }
  if (name == "sub" && (w.size() == 2 || w.size() == 3)) {
    auto i = to_integer(w[1]);
    auto j = w.size() == 3 ? to_integer(w[2]) : std::optional<long long>(-1);
    if (i && j) {
      return lua_sub(w[0], *i, *j);
    }
  }
  if (name == "rep" && (w.size() == 2 || w.size() == 3)) {
    auto n = to_integer(w[1]);
    if (n && *n >= 0 && *n <= 1000) {
      std::string out;
      for (long long k = 0; k < *n; ++k) {
        out += (k > 0 && w.size() == 3) ? std::string(w[2]) : "";
        out += w[0];
      }
      return out;
    }
  }
  if (name == "gsub" && w.size() == 3 && !has_lua_magic(w[1]) && w[2].find('%') == npos) {
    return replace_all(w[0], w[1], w[2]);
  }
  return std::nullopt;
}

struct DepthGuard {
  std::size_t& depth;
  explicit DepthGuard(std::size_t& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

} // namespace

std::size_t definition_end(std::string_view text, std::size_t pos) {
  int braces = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      ++i; // an escaped character, including a continued newline
      continue;
    }
    if (c == '{') {
      ++braces;
    } else if (c == '}' && braces > 0) {
      --braces;
    } else if (c == '\n' && braces == 0) {
      return i;
    }
  }
  return text.size();
}

Result<std::string> MacroExpander::expand(std::string_view text) {
  std::string out;
  FERRY_TRY(expand_into(text, out));
  return out;
}

Status MacroExpander::enter() {
  if (++m_steps > m_limits.max_steps) {
    return fail(ErrorKind::spec_parse,
                fmt::format("macro expansion took over {} steps; is a macro recursive?",
                            m_limits.max_steps));
  }
  if (m_depth >= m_limits.max_depth) {
    return fail(ErrorKind::spec_parse,
                fmt::format("macro expansion nested over {} levels; is a macro recursive?",
                            m_limits.max_depth));
  }
  return {};
}

void MacroExpander::note_unevaluated(std::string_view what) {
  m_unevaluated.push_back(short_text(what)); // every occurrence counts; callers dedupe
}

Status MacroExpander::expand_into(std::string_view text, std::string& out) {
  FERRY_TRY(enter());
  DepthGuard guard(m_depth);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t percent = text.find('%', pos);
    if (percent == npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, percent - pos));
    pos = percent;
    FERRY_TRY(expand_percent(text, pos, out));
    if (out.size() > m_limits.max_output) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("macro expansion produced over {} bytes", m_limits.max_output));
    }
  }
  return {};
}

Status MacroExpander::expand_percent(std::string_view text, std::size_t& pos, std::string& out) {
  if (pos + 1 >= text.size()) {
    out.push_back('%');
    ++pos;
    return {};
  }
  char next = text[pos + 1];
  if (next == '%') {
    out.push_back('%');
    pos += 2;
    return {};
  }
  if (next == '{') {
    return expand_braced(text, pos, out);
  }
  if (next == '(' || next == '[') {
    std::size_t close = match_close(text, pos + 1, next, next == '(' ? ')' : ']');
    if (close == npos) {
      return fail(ErrorKind::spec_parse,
                  fmt::format("unterminated %{}: {}", next, short_text(text.substr(pos))));
    }
    std::string_view inner = text.substr(pos + 2, close - pos - 2);
    std::string_view whole = text.substr(pos, close + 1 - pos);
    pos = close + 1;
    return next == '(' ? expand_shell(inner, whole, out) : expand_expression(inner, out);
  }
  return expand_plain(text, pos, out);
}

Status MacroExpander::expand_shell(std::string_view inner, std::string_view whole,
                                   std::string& out) {
  if (!m_shell) {
    note_unevaluated(whole);
    out.append(whole);
    return {};
  }
  std::string command;
  FERRY_TRY_ASSIGN(command, expand(inner));
  std::string output;
  FERRY_TRY_ASSIGN(output, m_shell(command));
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) {
    output.pop_back();
  }
  out += output;
  return {};
}

Status MacroExpander::expand_expression(std::string_view inner, std::string& out) {
  std::size_t before = m_unevaluated.size();
  std::string expression;
  FERRY_TRY_ASSIGN(expression, expand(inner));
  if (m_unevaluated.size() != before) {
    out += "%[" + expression + "]";
    return {};
  }
  ExpressionValue value;
  FERRY_TRY_ASSIGN(value, evaluate_expression(expression));
  out += value.to_string();
  return {};
}

namespace {

// Reads the '!' (negate) and '?' (test definedness) flags before a macro name.
std::size_t read_flags(std::string_view s, std::size_t i, bool& negate, bool& check) {
  while (i < s.size() && (s[i] == '!' || s[i] == '?')) {
    (s[i] == '!' ? negate = !negate : check = true);
    ++i;
  }
  return i;
}

// End of the name in %name: a word, an option (-f, -f*) or a parameter (*, **, #).
std::size_t plain_name_end(std::string_view text, std::size_t i) {
  if (i < text.size() && text[i] == '-') {
    ++i;
    while (i < text.size() && is_alnum(text[i]))
      ++i;
    return i < text.size() && text[i] == '*' ? i + 1 : i;
  }
  if (i < text.size() && (text[i] == '*' || text[i] == '#')) {
    return i + ((text[i] == '*' && i + 1 < text.size() && text[i + 1] == '*') ? 2 : 1);
  }
  while (i < text.size() && is_word_char(text[i]))
    ++i;
  return i;
}

bool is_directive(std::string_view name) {
  return name == "define" || name == "global" || name == "undefine" || name == "bcond" ||
         name == "dnl";
}

} // namespace

Status MacroExpander::expand_plain(std::string_view text, std::size_t& pos, std::string& out) {
  std::size_t start = pos;
  bool negate = false, check = false;
  std::size_t name_begin = read_flags(text, pos + 1, negate, check);
  pos = plain_name_end(text, name_begin);
  std::string_view name = text.substr(name_begin, pos - name_begin);
  if (name.empty() || name == "-") {
    out.append(text.substr(start, pos - start));
    return {};
  }
  if (!check && !negate && is_directive(name)) {
    return directive(name, text, pos);
  }
  if (check) {
    return expand_if_defined(name, negate, std::nullopt, out);
  }
  const Macro* found = m_table.find(name);
  if (found == nullptr) {
    return undefined(name, start, pos, out);
  }
  Macro macro = *found;
  if (!macro.parametric) {
    return expand_into(macro.body, out);
  }
  std::size_t end = line_end(text, pos); // %name args: the rest of the line
  std::string_view args = text.substr(pos, end - pos);
  pos = end;
  return call_parametric(name, macro, args, out);
}

Status MacroExpander::expand_braced(std::string_view text, std::size_t& pos, std::string& out) {
  std::size_t close = match_close(text, pos + 1, '{', '}');
  if (close == npos) {
    return fail(ErrorKind::spec_parse,
                fmt::format("unterminated %{{: {}", short_text(text.substr(pos))));
  }
  std::string_view inner = text.substr(pos + 2, close - pos - 2);
  std::size_t start = pos;
  pos = close + 1;
  bool negate = false, check = false;
  std::size_t i = read_flags(inner, 0, negate, check);
  std::size_t e = std::min(inner.find_first_of(" \t\n:", i), inner.size());
  std::string_view name = inner.substr(i, e - i);
  bool colon = e < inner.size() && inner[e] == ':';
  std::string_view arg = e < inner.size() ? inner.substr(e + 1) : std::string_view{};
  if (name.empty()) {
    out.append(text.substr(start, pos - start));
    return {};
  }
  if (check) {
    return expand_if_defined(name, negate,
                             colon ? std::optional<std::string_view>(arg) : std::nullopt, out);
  }
  bool handled = false;
  FERRY_TRY(builtin(name, arg, handled, out));
  if (handled) {
    return {};
  }
  const Macro* found = m_table.find(name);
  if (found == nullptr) {
    return undefined(name, start, pos, out);
  }
  Macro macro = *found;
  return macro.parametric ? call_parametric(name, macro, arg, out) : expand_into(macro.body, out);
}

Status MacroExpander::directive(std::string_view name, std::string_view text, std::size_t& pos) {
  if (name == "define" || name == "global") {
    std::size_t end = definition_end(text, pos);
    FERRY_TRY(define(text.substr(pos, end - pos), name == "global"));
    pos = end;
    return {};
  }
  std::size_t end = line_end(text, pos);
  std::string_view args = text.substr(pos, end - pos);
  pos = name == "dnl" ? std::min(end + 1, text.size()) : end;
  if (name == "undefine") {
    m_table.undefine(trim(args));
    return {};
  }
  return name == "bcond" ? bcond(args) : Status{};
}

Status MacroExpander::expand_if_defined(std::string_view name, bool negate,
                                        std::optional<std::string_view> value, std::string& out) {
  const Macro* found = m_table.find(name);
  if ((found != nullptr) == negate) {
    return {};
  }
  if (value) {
    return expand_into(*value, out);
  }
  if (found == nullptr) {
    return {};
  }
  std::string body = found->body; // the table may change while expanding
  return expand_into(body, out);
}

Status MacroExpander::undefined(std::string_view name, std::size_t start, std::size_t& pos,
                                std::string& out) {
  if (name.front() == '-' && m_level > 0) {
    return {}; // an option the parametric macro was not given
  }
  out.push_back('%'); // rpm copies the '%' and reads on right after it
  pos = start + 1;
  return {};
}

Status MacroExpander::call_parametric(std::string_view name, const Macro& macro,
                                      std::string_view args, std::string& out) {
  std::string expanded_args;
  FERRY_TRY_ASSIGN(expanded_args, expand(args));
  std::size_t level = ++m_level;
  Status status = bind_arguments(name, macro, expanded_args);
  if (status) {
    status = expand_into(macro.body, out);
  }
  m_table.pop_level(level);
  --m_level;
  return status;
}

Status MacroExpander::bind_arguments(std::string_view name, const Macro& macro,
                                     std::string_view args) {
  std::vector<std::string_view> words = split_words(args);
  std::size_t i = 0;
  bool parse_options = macro.options != "-";
  for (; parse_options && i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") {
      ++i;
      break;
    }
    if (w.size() < 2 || w[0] != '-') {
      break;
    }
    for (std::size_t j = 1; j < w.size(); ++j) {
      std::size_t at = macro.options.find(w[j]);
      if (at == std::string::npos || w[j] == ':') {
        return fail(ErrorKind::spec_parse,
                    fmt::format("unknown option {} in {}({})", w[j], name, macro.options));
      }
      std::string flag = fmt::format("-{}", w[j]);
      if (at + 1 < macro.options.size() && macro.options[at + 1] == ':') {
        std::string value(j + 1 < w.size() ? w.substr(j + 1)
                                           : (i + 1 < words.size() ? words[++i] : ""));
        m_table.define(flag, flag + " " + value, m_level);
        m_table.define(flag + "*", value, m_level);
        break;
      }
      m_table.define(flag, flag, m_level);
    }
  }
  m_table.define("0", std::string(name), m_level);
  m_table.define("*", join_words(words, i), m_level);
  m_table.define("**", std::string(args), m_level);
  m_table.define("#", std::to_string(words.size() - i), m_level);
  for (std::size_t n = i; n < words.size(); ++n) {
    m_table.define(std::to_string(n - i + 1), std::string(words[n]), m_level);
  }
  return {};
}

Status MacroExpander::define(std::string_view text, bool global) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i]))
    ++i;
  std::size_t name_begin = i;
  while (i < text.size() && is_word_char(text[i]))
    ++i;
  std::string_view name = text.substr(name_begin, i - name_begin);
  if (name.empty()) {
    return fail(ErrorKind::spec_parse,
                fmt::format("macro name missing in %{}", global ? "global" : "define"));
  }
  std::optional<std::string> options;
  if (i < text.size() && text[i] == '(') {
    std::size_t close = text.find(')', i);
    if (close == npos) {
      return fail(ErrorKind::spec_parse, fmt::format("unterminated options of macro %{}", name));
    }
    options = std::string(text.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  std::string body = join_continuations(trim(text.substr(i)));
  if (options) {
    m_table.define_parametric(name, *options, std::move(body), global ? 0 : m_level);
    return {};
  }
  if (global) {
    FERRY_TRY_ASSIGN(body, expand(body));
  }
  m_table.define(name, std::move(body), global ? 0 : m_level);
  return {};
}

Status MacroExpander::bcond(std::string_view args) {
  std::string expanded;
  FERRY_TRY_ASSIGN(expanded, expand(args));
  std::vector<std::string_view> words = split_words(expanded);
  if (words.empty()) {
    return fail(ErrorKind::spec_parse, "%bcond needs a name");
  }
  std::string name(words[0]);
  if (m_table.find("_with_" + name) != nullptr) {
    m_table.define("with_" + name, "1");
    return {};
  }
  if (m_table.find("_without_" + name) != nullptr) {
    return {};
  }
  std::string default_expression = join_words(words, 1);
  if (default_expression.empty()) {
    return fail(ErrorKind::spec_parse, fmt::format("%bcond {} needs a default value", name));
  }
  ExpressionValue value;
  FERRY_TRY_ASSIGN(value, evaluate_expression(default_expression));
  if (value.truthy()) {
    m_table.define("with_" + name, "1");
  }
  return {};
}

Status MacroExpander::load(std::string_view path) {
  if (!m_reader) {
    note_unevaluated(fmt::format("%{{load:{}}}", path));
    return {};
  }
  std::string content;
  FERRY_TRY_ASSIGN(content, m_reader(path));
  // A macro file: "%name body" definitions, possibly continued with backslashes.
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = definition_end(content, pos);
    std::string_view line = trim(std::string_view(content).substr(pos, end - pos));
    pos = end + 1;
    if (line.size() > 1 && line[0] == '%') {
      FERRY_TRY(define(line.substr(1), false));
    }
  }
  return {};
}

Status MacroExpander::lua(std::string_view code, std::string& out) {
  std::optional<std::string> result = LuaSubset(*this).run(code);
  if (!result) {
    std::string whole = fmt::format("%{{lua:{}}}", code);
    note_unevaluated(whole);
    out += whole;
    return {};
  }
  out += *result;
  return {};
}

Status MacroExpander::builtin(std::string_view name, std::string_view arg, bool& handled,
                              std::string& out) {
  handled = std::find(k_builtins.begin(), k_builtins.end(), name) != k_builtins.end();
  if (!handled) {
    return {};
  }
  if (name == "lua") {
    return lua(arg, out);
  }
  if (name == "expand") {
    std::string once;
    FERRY_TRY_ASSIGN(once, expand(arg));
    return expand_into(once, out);
  }
  if (name == "expr") {
    return expand_expression(arg, out);
  }
  std::string value;
  FERRY_TRY_ASSIGN(value, expand(arg));
  if (name == "defined" || name == "undefined") {
    bool defined = m_table.find(trim(value)) != nullptr;
    out += (defined == (name == "defined")) ? "1" : "0";
    return {};
  }
  if (name == "S" || name == "P") {
    std::string macro = fmt::format("{}{}", name == "S" ? "SOURCE" : "PATCH", trim(value));
    return m_table.find(macro) != nullptr ? expand_into("%{" + macro + "}", out)
                                          : (out += "%" + macro, Status{});
  }
  if (name == "load") {
    return load(trim(value));
  }
  if (name == "error") {
    return fail(ErrorKind::spec_parse, fmt::format("%{{error:{}}}", value));
  }
  if (name == "echo" || name == "warn" || name == "trace" || name == "dump") {
    return {};
  }
  if (name == "getenv" || name == "exists" || name == "uncompress") {
    std::string whole = fmt::format("%{{{}:{}}}", name, value);
    note_unevaluated(whole);
    out += whole;
    return {};
  }
  if (name == "macrobody") {
    const Macro* m = m_table.find(trim(value));
    out += m != nullptr ? m->body : "";
    return {};
  }
  return string_builtin(name, value, out);
}

Status MacroExpander::string_builtin(std::string_view name, std::string_view value,
                                     std::string& out) {
  if (name == "basename") {
    std::size_t slash = value.rfind('/');
    out += slash == npos ? value : value.substr(slash + 1);
  } else if (name == "dirname") {
    std::size_t slash = value.rfind('/');
    out += slash == npos ? value : value.substr(0, slash);
  } else if (name == "suffix") {
    std::size_t dot = value.rfind('.');
    out += dot == npos ? std::string_view{} : value.substr(dot + 1);
  } else if (name == "url2path" || name == "u2p") {
    std::size_t scheme = value.find("://");
    std::size_t path = scheme == npos ? 0 : value.find('/', scheme + 3);
    out += path == npos ? std::string_view{} : value.substr(path);
  } else if (name == "shrink") {
    out += join_words(split_words(value), 0);
  } else if (name == "quote") {
    out += value;
  } else if (name == "shescape") {
    out += "'" + replace_all(value, "'", "'\\''") + "'";
  } else if (name == "len") {
    out += std::to_string(value.size());
  } else if (name == "upper" || name == "lower") {
    std::string s(value);
    std::transform(s.begin(), s.end(), s.begin(), name == "upper" ? to_upper : to_lower);
    out += s;
  } else if (auto result = lua_string_function(name, value)) {
    out += *result;
  } else {
    std::string whole = fmt::format("%{{{} {}}}", name, value);
    note_unevaluated(whole);
    out += whole;
  }
  return {};
}

} // namespace ferry::core::spec
