#include "cli/settings.hpp"

#include "infra/log/logger.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::cli {

namespace {

std::string transformed(std::string_view name, int (*convert)(int), char from, char to) {
  std::string text(name);
  for (char& c : text) {
    c = c == from ? to : static_cast<char>(convert(static_cast<unsigned char>(c)));
  }
  return text;
}

} // namespace

Settings::Settings(const ParsedArguments* args, core::event::EnvLookup env)
    : m_args(args), m_env(std::move(env)) {}

std::optional<std::string> Settings::env(std::string_view name) const {
  auto value = m_env(name);
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Settings::get(std::string_view name) const {
  std::string option = transformed(name, ::tolower, '_', '-');
  if (m_args != nullptr && m_args->has(option)) {
    return m_args->value_or(option, "true");
  }
  std::string upper = transformed(name, ::toupper, '-', '_');
  if (auto input = env("INPUT_" + upper)) {
    return input;
  }
  return env("FERRY_" + upper);
}

std::string Settings::get_or(std::string_view name, std::string fallback) const {
  return get(name).value_or(std::move(fallback));
}

bool Settings::flag(std::string_view name) const {
  auto value = get(name);
  if (!value) {
    return false;
  }
  std::string lower = transformed(*value, ::tolower, '\0', '\0');
  return lower == "true" || lower == "1" || lower == "yes" || lower.empty();
}

std::optional<std::string> Settings::secret(std::string_view name) const {
  auto value = get(name);
  if (value) {
    infra::log::logger().register_secret(*value);
  }
  return value;
}

} // namespace ferry::cli
