// Which upstream version a tag stands for, and back: Packit's `upstream_tag_template`
// ("v{version}", "{upstream_package_name}-{version}"), matched like Python's re.match (anchored
// at the start), and the `version_update_mask` rule for stable branches.
#pragma once

#include "error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::sync {

inline constexpr std::string_view k_default_tag_template = "{version}";

// The version in `tag`; nullopt when the tag does not fit the template. Errors:
// ErrorKind::config for a template without "{version}".
[[nodiscard]] Result<std::optional<std::string>>
version_from_tag(std::string_view tag_template, std::string_view tag,
                 std::string_view upstream_package_name);

// The tag a version has: the template with its placeholders filled in.
std::string tag_for_version(std::string_view tag_template, std::string_view version,
                            std::string_view upstream_package_name);

// `version_update_mask`: the old and new version must give the same re.match prefix. A mask
// that does not match the old version allows nothing. ErrorKind::config for a bad regex.
[[nodiscard]] Result<bool> mask_allows(std::string_view mask, std::string_view old_version,
                                       std::string_view new_version);

// Python's re.match on `text` (anchored at the start); ErrorKind::config for a bad regex.
[[nodiscard]] Result<bool> python_match(std::string_view pattern, std::string_view text);

} // namespace ferry::core::sync
