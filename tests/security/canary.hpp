// The canary scanner: each credential setting gets a distinct canary value, and everything a
// run produced is searched for each canary in every form it could leak in — raw, base64 at all
// three alignments inside a larger blob, URL-encoded, JSON-escaped, and split over lines.
// Written independently of ferry's redactor, so that the two check each other.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::testing::canary {

inline std::string base64(std::string_view bytes) {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    auto byte = [&](std::size_t at) {
      return static_cast<unsigned>(static_cast<unsigned char>(bytes[at]));
    };
    unsigned v = byte(i) << 16U | byte(i + 1) << 8U | byte(i + 2);
    for (int shift : {18, 12, 6, 0}) {
      out += k_alphabet[(v >> shift) & 63];
    }
  }
  return out; // whole groups only: a trailing partial group depends on what follows
}

// The part of base64(prefix + secret) that depends on the secret alone, for a prefix of
// `offset` bytes: what shows inside "login:token" or any longer encoded blob.
inline std::string aligned_base64(std::string_view secret, std::size_t offset) {
  std::string padded(offset, 'x');
  padded.append(secret);
  static constexpr std::array<std::size_t, 3> k_prefix_chars = {0, 2, 3};
  std::string encoded = base64(padded);
  return encoded.substr(std::min(encoded.size(), k_prefix_chars[offset]));
}

inline std::string url_encoded(std::string_view secret) {
  std::string out;
  for (char signed_c : secret) {
    auto c = static_cast<unsigned char>(signed_c);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

inline std::string json_escaped(std::string_view secret) {
  std::string quoted = nlohmann::json(std::string(secret)).dump();
  return quoted.substr(1, quoted.size() - 2);
}

// Every form of the secret with its name ("raw", "base64+1", …).
inline std::map<std::string, std::string> forms(std::string_view secret) {
  std::map<std::string, std::string> all = {{"raw", std::string(secret)},
                                            {"url-encoded", url_encoded(secret)},
                                            {"json-escaped", json_escaped(secret)}};
  for (std::size_t offset = 0; offset < 3; ++offset) {
    all["base64+" + std::to_string(offset)] = aligned_base64(secret, offset);
  }
  return all;
}

inline std::string without_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

// "<where>: <canary name> as <form>" for each form of each canary found in `text`.
inline std::vector<std::string> find(const std::map<std::string, std::string>& canaries,
                                     const std::string& where, std::string_view text) {
  std::vector<std::string> found;
  std::string joined = without_line_breaks(text);
  for (const auto& [name, secret] : canaries) {
    for (const auto& [form_name, form] : forms(secret)) {
      if (text.find(form) != std::string_view::npos) {
        found.push_back(where + ": " + name + " as " + form_name);
      } else if (joined.find(form) != std::string::npos) {
        found.push_back(where + ": " + name + " as " + form_name + ", split over lines");
      }
    }
  }
  return found;
}

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every regular file under `root` (temp and work dirs, the fakes' repositories' loose and
// packed objects are compressed, so git trees are scanned through `git log -p` instead).
inline std::vector<std::string> find_in_files(const std::map<std::string, std::string>& canaries,
                                              const std::filesystem::path& root) {
  std::vector<std::string> found;
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) {
    return found;
  }
  for (auto it = std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      break;
    }
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) {
      auto more = find(canaries, it->path().string(), read_all(it->path()));
      found.insert(found.end(), more.begin(), more.end());
    }
  }
  return found;
}

} // namespace ferry::testing::canary
