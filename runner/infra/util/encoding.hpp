// Text encodings used on the wire: base64 (RFC 4648) and URL percent-encoding (RFC 3986).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::infra::util {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded or unpadded base64 (whitespace is skipped).
std::optional<std::string> base64_decode(std::string_view text);

// Encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);
// nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

std::string to_hex(std::string_view bytes);

} // namespace ferry::infra::util
