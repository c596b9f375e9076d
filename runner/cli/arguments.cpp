#include "cli/arguments.hpp"

#include <algorithm>

namespace ferry::cli {

namespace {

const OptionSpec* find_option(std::span<const OptionSpec> options, std::string_view name) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const OptionSpec& spec) { return spec.name == name; });
  return it == options.end() ? nullptr : &*it;
}

std::size_t required_positionals(std::span<const PositionalSpec> positionals) {
  return static_cast<std::size_t>(std::count_if(
      positionals.begin(), positionals.end(), [](const PositionalSpec& p) { return !p.optional; }));
}

bool accepts_unbounded(std::span<const PositionalSpec> positionals) {
  return !positionals.empty() && positionals.back().variadic;
}

} // namespace

bool ParsedArguments::has(std::string_view name) const {
  return m_options.find(name) != m_options.end();
}

std::string ParsedArguments::value_or(std::string_view name, std::string fallback) const {
  auto it = m_options.find(name);
  if (it == m_options.end() || it->second.empty()) {
    return fallback;
  }
  return it->second.back();
}

const std::vector<std::string>& ParsedArguments::values(std::string_view name) const {
  static const std::vector<std::string> k_none;
  auto it = m_options.find(name);
  return it == m_options.end() ? k_none : it->second;
}

Result<ParsedArguments> parse_arguments(std::span<const std::string_view> args,
                                        std::span<const OptionSpec> options,
                                        std::span<const PositionalSpec> positionals) {
  ParsedArguments parsed;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (options_ended || arg.size() < 2 || !arg.starts_with("--")) {
      if (!options_ended && arg.size() > 1 && arg.starts_with('-')) {
        return fail(ErrorKind::usage, "unknown option '" + std::string(arg) + "'");
      }
      parsed.m_positionals.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find_option(options, name);
    if (spec == nullptr) {
      return fail(ErrorKind::usage, "unknown option '--" + std::string(name) + "'");
    }
    auto& slot = parsed.m_options[std::string(name)];
    if (!slot.empty() && !spec->repeatable && !spec->value_name.empty()) {
      return fail(ErrorKind::usage, "option '--" + std::string(name) + "' given more than once");
    }
    if (spec->value_name.empty()) {
      if (inline_value) {
        return fail(ErrorKind::usage, "option '--" + std::string(name) + "' takes no value");
      }
      slot.emplace_back();
      continue;
    }
    if (inline_value) {
      slot.emplace_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.emplace_back(args[++i]);
    } else {
      return fail(ErrorKind::usage, "option '--" + std::string(name) + "' needs a value (" +
                                        std::string(spec->value_name) + ")");
    }
  }
  std::size_t given = parsed.m_positionals.size();
  if (given < required_positionals(positionals)) {
    return fail(ErrorKind::usage, "missing " + std::string(positionals[given].name) + " argument");
  }
  if (given > positionals.size() && !accepts_unbounded(positionals)) {
    return fail(ErrorKind::usage,
                "unexpected argument '" + parsed.m_positionals[positionals.size()] + "'");
  }
  return parsed;
}

std::string format_option_help(std::span<const OptionSpec> options,
                               std::span<const PositionalSpec> positionals) {
  std::vector<std::pair<std::string, std::string_view>> rows;
  for (const PositionalSpec& p : positionals) {
    rows.emplace_back(std::string(p.name), p.help);
  }
  for (const OptionSpec& o : options) {
    std::string left = "--" + std::string(o.name);
    if (!o.value_name.empty()) {
      left += " " + std::string(o.value_name);
    }
    rows.emplace_back(std::move(left), o.help);
  }
  std::size_t width = 0;
  for (const auto& row : rows) {
    width = std::max(width, row.first.size());
  }
  std::string text;
  for (const auto& [left, help] : rows) {
    text += "  " + left + std::string(width - left.size() + 3, ' ') + std::string(help) + "\n";
  }
  return text;
}

} // namespace ferry::cli
