#include "infra/util/text.hpp"

namespace ferry::infra::util {

namespace {

constexpr std::string_view k_ellipsis = "…";
constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The length of the well-formed UTF-8 sequence at `at` (RFC 3629 table 3-7), 0 when there is
// none.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                      : 0;
  if (length == 0 || at + length > text.size()) {
    return 0;
  }
  unsigned char second = byte(1);
  unsigned char low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
  unsigned char high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
  if (second < low || second > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation(byte(i))) {
      return 0;
    }
  }
  return length;
}

// In valid UTF-8 `text`: the offset where character number `n` (from 0) starts, or text.size().
std::size_t offset_of_character(std::string_view text, std::size_t n) {
  std::size_t at = 0;
  for (; at < text.size(); ++at) {
    if (!is_continuation(static_cast<unsigned char>(text[at])) && n-- == 0) {
      break;
    }
  }
  return at;
}

// In valid UTF-8 `text`: the offset where its last `n` characters start (0 when it has fewer).
std::size_t offset_of_last_characters(std::string_view text, std::size_t n) {
  std::size_t at = text.size();
  while (n > 0 && at > 0) {
    --at;
    if (!is_continuation(static_cast<unsigned char>(text[at]))) {
      --n;
    }
  }
  return at;
}

} // namespace

std::string valid_utf8(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = sequence_length(text, at);
    if (length == 0) {
      result += k_replacement;
      ++at;
    } else {
      result += text.substr(at, length);
      at += length;
    }
  }
  return result;
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); ++count) {
    std::size_t length = sequence_length(text, at);
    at += length == 0 ? 1 : length;
  }
  return count;
}

std::string shorten_front(std::string_view text, std::size_t max_chars) {
  std::string valid = valid_utf8(text);
  if (offset_of_character(valid, max_chars) == valid.size()) {
    return valid;
  }
  if (max_chars == 0) {
    return "";
  }
  valid.resize(offset_of_character(valid, max_chars - 1));
  return valid + std::string(k_ellipsis);
}

std::string shorten_back(std::string_view text, std::size_t max_chars) {
  std::string valid = valid_utf8(text);
  if (character_count(valid) <= max_chars) {
    return valid;
  }
  if (max_chars == 0) {
    return "";
  }
  return std::string(k_ellipsis) + valid.substr(offset_of_last_characters(valid, max_chars - 1));
}

std::string without_control_characters(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte >= 0x20 && byte != 0x7F) || c == '\n' || c == '\t') {
      result += c;
    }
  }
  return result;
}

std::string_view strip_whitespace(std::string_view text) {
  constexpr std::string_view k_whitespace = " \t\n\v\f\r";
  std::size_t first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(k_whitespace) - first + 1);
}

} // namespace ferry::infra::util
