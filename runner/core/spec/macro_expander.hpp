// RPM macro expansion over a MacroTable: %name, %{name}, %{?name:...}, %{!?name:...},
// parametric macros, %define/%global/%undefine, %{expand:}, %[expr], rpm's string built-ins
// and a small Lua subset. Shell expansion %(...) runs only through a caller-supplied runner;
// without one, it (and anything else that cannot be evaluated) is left as written and
// recorded in unevaluated(). Expansion is bounded in depth, output size and work.
#pragma once

#include "core/spec/macro_table.hpp"
#include "error.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::spec {

struct ExpansionLimits {
  std::size_t max_depth = 64;                    // nested expansions (rpm's default is 64)
  std::size_t max_output = std::size_t{8} << 20; // bytes produced by one expand() call
  std::size_t max_steps = 1'000'000;             // macro expansions per expander lifetime
};

// Runs a %(...) command; only set when the caller explicitly opts in to shell expansion.
using ShellRunner = std::function<Result<std::string>(std::string_view command)>;
// Reads a file named by %{load:...} (or %include, for the evaluator).
using FileReader = std::function<Result<std::string>(std::string_view path)>;

class MacroExpander {
public:
  MacroExpander(MacroTable& table, ExpansionLimits limits = {})
      : m_table(table), m_limits(limits) {}

  void set_shell_runner(ShellRunner runner) { m_shell = std::move(runner); }
  void set_file_reader(FileReader reader) { m_reader = std::move(reader); }

  // Expands `text` completely. Errors (ErrorKind::spec_parse): limits exceeded, %{error:},
  // unterminated %{ or %(, bad expression in %[...].
  [[nodiscard]] Result<std::string> expand(std::string_view text);

  // Constructs seen that could not be evaluated ("%(uname -r)", "%{lua:...}"), in order.
  const std::vector<std::string>& unevaluated() const { return m_unevaluated; }
  std::size_t unevaluated_count() const { return m_unevaluated.size(); }

  MacroTable& table() { return m_table; }

private:
  MacroTable& m_table;
  ExpansionLimits m_limits;
  ShellRunner m_shell;
  FileReader m_reader;
  std::vector<std::string> m_unevaluated;
  std::size_t m_depth = 0;
  std::size_t m_steps = 0;
  std::size_t m_level = 0;

  Status expand_into(std::string_view text, std::string& out);
  Status expand_percent(std::string_view text, std::size_t& pos, std::string& out);
  Status expand_braced(std::string_view text, std::size_t& pos, std::string& out);
  Status expand_plain(std::string_view text, std::size_t& pos, std::string& out);
  Status expand_shell(std::string_view inner, std::string_view whole, std::string& out);
  Status expand_expression(std::string_view inner, std::string& out);
  Status directive(std::string_view name, std::string_view text, std::size_t& pos);
  Status expand_if_defined(std::string_view name, bool negate,
                           std::optional<std::string_view> value, std::string& out);
  Status undefined(std::string_view name, std::size_t start, std::size_t& pos, std::string& out);
  Status call_parametric(std::string_view name, const Macro& macro, std::string_view args,
                         std::string& out);
  Status bind_arguments(std::string_view name, const Macro& macro, std::string_view args);
  Status define(std::string_view text, bool global);
  Status builtin(std::string_view name, std::string_view arg, bool& handled, std::string& out);
  Status string_builtin(std::string_view name, std::string_view value, std::string& out);
  Status bcond(std::string_view args);
  Status load(std::string_view path);
  Status lua(std::string_view code, std::string& out);
  Status enter();
  void note_unevaluated(std::string_view what);
};

// The position after the definition text of %define/%global that starts at `pos`: the end of
// the line, following backslash-newline continuations and balanced braces.
std::size_t definition_end(std::string_view text, std::size_t pos);

} // namespace ferry::core::spec
