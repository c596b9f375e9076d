#include "cli/settings.hpp"

#include "infra/log/logger.hpp"

#include <algorithm>
#include <array>
#include <cassert>
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

// The settings that hold credentials (or, for copr_login, half of one).
constexpr std::array<std::string_view, 8> k_secret_settings = {
    "token",      "dist_git_token", "issue_repository_token", "fedora_cert", "keytab",
    "copr_login", "copr_token",     "testing_farm_token"};

bool is_secret_setting(std::string_view name) {
  return std::find(k_secret_settings.begin(), k_secret_settings.end(), name) !=
         k_secret_settings.end();
}

} // namespace

bool is_secret_variable(std::string_view name) {
  static constexpr std::array<std::string_view, 9> k_markers = {"TOKEN",  "SECRET",  "PASSWORD",
                                                                "PASSWD", "API_KEY", "PRIVATE_KEY",
                                                                "KEYTAB", "COOKIE",  "CREDENTIAL"};
  std::string upper = transformed(name, ::toupper, '\0', '\0');
  bool marked = std::any_of(k_markers.begin(), k_markers.end(), [&](std::string_view marker) {
    return upper.find(marker) != std::string::npos;
  });
  for (std::string_view prefix : {std::string_view("INPUT_"), std::string_view("FERRY_")}) {
    if (upper.starts_with(prefix) &&
        is_secret_setting(transformed(upper.substr(prefix.size()), ::tolower, '\0', '\0'))) {
      return true;
    }
  }
  // A git setting from the environment (GIT_CONFIG_VALUE_<n>) may be an http.extraheader
  // carrying the workflow token.
  return marked || upper.starts_with("GIT_CONFIG_VALUE_");
}

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
  assert(is_secret_setting(name) && "a secret setting must be listed in k_secret_settings");
  auto value = get(name);
  if (value) {
    infra::log::logger().register_secret(*value);
  }
  return value;
}

} // namespace ferry::cli
