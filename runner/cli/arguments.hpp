// A small declarative command-line parser: each command declares its options once, and the
// same declaration drives parsing, validation and the generated `--help` text.
#pragma once

#include "error.hpp"

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::cli {

struct OptionSpec {
  std::string_view name;       // long name without dashes: "dist-git"
  std::string_view value_name; // "PATH"; empty for a flag
  std::string_view help;
  bool repeatable = false;
};

struct PositionalSpec {
  std::string_view name; // "FILE"
  std::string_view help;
  bool optional = false;
  bool variadic = false; // takes every remaining positional
};

class ParsedArguments {
public:
  bool has(std::string_view name) const;
  // The last value given for an option, or `fallback`.
  std::string value_or(std::string_view name, std::string fallback) const;
  const std::vector<std::string>& values(std::string_view name) const;
  const std::vector<std::string>& positionals() const { return m_positionals; }

private:
  friend Result<ParsedArguments> parse_arguments(std::span<const std::string_view>,
                                                 std::span<const OptionSpec>,
                                                 std::span<const PositionalSpec>);
  std::map<std::string, std::vector<std::string>, std::less<>> m_options;
  std::vector<std::string> m_positionals;
};

// Parses `--name value`, `--name=value`, flags and positionals; `--` ends options.
// Fails with ErrorKind::usage naming the offending argument and what was expected.
[[nodiscard]] Result<ParsedArguments> parse_arguments(std::span<const std::string_view> args,
                                                      std::span<const OptionSpec> options,
                                                      std::span<const PositionalSpec> positionals);

// "  --dist-git PATH    the dist-git clone to commit to" lines, aligned.
std::string format_option_help(std::span<const OptionSpec> options,
                               std::span<const PositionalSpec> positionals);

} // namespace ferry::cli
