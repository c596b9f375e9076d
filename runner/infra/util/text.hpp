// Text that came from outside (hook output, release notes, server answers) made safe to show,
// store and send: shortened by characters, never inside one; invalid UTF-8 repaired; control
// characters dropped. Lengths are in Unicode code points, as GitHub and GitLab count them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ferry::infra::util {

// The first `max_chars` characters of `text`; when it was longer, the last of them is "…".
// Invalid UTF-8 is repaired first (see valid_utf8).
std::string shorten_front(std::string_view text, std::size_t max_chars);

// The last `max_chars` characters of `text`; when it was longer, the first of them is "…".
std::string shorten_back(std::string_view text, std::size_t max_chars);

// `text` with every byte that is not part of a well-formed UTF-8 sequence (stray continuation
// bytes, truncated sequences, overlong forms, surrogates, beyond U+10FFFF) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// `text` without C0 control characters other than '\n' and '\t', and without DEL.
std::string without_control_characters(std::string_view text);

// The number of characters (code points) in `text`, counting each invalid byte as one.
std::size_t character_count(std::string_view text);

// `text` without leading and trailing ASCII whitespace (space, \t \n \v \f \r), as Python's
// str.strip() leaves it for ASCII text.
std::string_view strip_whitespace(std::string_view text);

} // namespace ferry::infra::util
