#include "core/sync/release_version.hpp"

#include <fmt/format.h>

#include <regex>

namespace ferry::core::sync {

namespace {

std::string regex_escape(std::string_view text) {
  static constexpr std::string_view k_special = R"(\^$.|?*+()[]{}/)";
  std::string escaped;
  for (char c : text) {
    if (k_special.find(c) != std::string_view::npos) {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

Result<std::regex> compile(std::string_view pattern) {
  try {
    return std::regex(std::string(pattern), std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return fail(ErrorKind::config,
                fmt::format("'{}' is not a regular expression ferry understands: {}", pattern,
                            error.what()));
  }
}

} // namespace

Result<std::optional<std::string>> version_from_tag(std::string_view tag_template,
                                                    std::string_view tag,
                                                    std::string_view upstream_package_name) {
  if (tag_template.find("{version}") == std::string_view::npos) {
    return fail(
        ErrorKind::config,
        fmt::format("upstream_tag_template '{}' has no {{version}} placeholder", tag_template));
  }
  // "{version}" becomes a capture group; everything else is literal, as Packit's template.
  std::string pattern = regex_escape(tag_template);
  pattern =
      replace_all(pattern, R"(\{upstream_package_name\})", regex_escape(upstream_package_name));
  pattern = replace_all(pattern, R"(\{version\})", "(.*)");
  FERRY_TRY_ASSIGN(std::regex expression, compile(pattern));
  std::smatch match;
  std::string text(tag);
  if (!std::regex_search(text, match, expression, std::regex_constants::match_continuous) ||
      match[1].str().empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(match[1].str());
}

std::string tag_for_version(std::string_view tag_template, std::string_view version,
                            std::string_view upstream_package_name) {
  std::string tag =
      replace_all(std::string(tag_template), "{upstream_package_name}", upstream_package_name);
  return replace_all(tag, "{version}", version);
}

Result<bool> python_match(std::string_view pattern, std::string_view text) {
  FERRY_TRY_ASSIGN(std::regex expression, compile(pattern));
  std::string subject(text);
  return std::regex_search(subject, expression, std::regex_constants::match_continuous);
}

Result<bool> mask_allows(std::string_view mask, std::string_view old_version,
                         std::string_view new_version) {
  FERRY_TRY_ASSIGN(std::regex expression, compile(mask));
  std::string old_text(old_version);
  std::string new_text(new_version);
  std::smatch old_match;
  std::smatch new_match;
  if (!std::regex_search(old_text, old_match, expression, std::regex_constants::match_continuous) ||
      !std::regex_search(new_text, new_match, expression, std::regex_constants::match_continuous)) {
    return false;
  }
  return old_match.str(0) == new_match.str(0);
}

} // namespace ferry::core::sync
