#include "clients/fedora/lookaside/sources_file.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::clients::fedora::lookaside {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// "SHA512 (file) = hash"
std::optional<SourceEntry> parse_tagged(std::string_view line) {
  std::size_t open = line.find(" (");
  std::size_t close = line.rfind(") = ");
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open + 2) {
    return std::nullopt;
  }
  std::string_view type = line.substr(0, open);
  std::string_view file = line.substr(open + 2, close - open - 2);
  std::string_view hash = line.substr(close + 4);
  if (type.find(' ') != std::string_view::npos || file.find(' ') != std::string_view::npos ||
      !is_hex(hash)) {
    return std::nullopt;
  }
  return SourceEntry{lower(type), std::string(file), lower(hash)};
}

// "<md5>  <file>"
std::optional<SourceEntry> parse_old(std::string_view line) {
  std::size_t split = line.find("  ");
  if (split == std::string_view::npos || !is_hex(line.substr(0, split))) {
    return std::nullopt;
  }
  return SourceEntry{"md5", std::string(line.substr(split + 2)), lower(line.substr(0, split))};
}

} // namespace

Result<std::vector<SourceEntry>> parse_sources(std::string_view text) {
  std::vector<SourceEntry> entries;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    auto entry = parse_tagged(line);
    if (!entry) {
      entry = parse_old(line);
    }
    if (!entry) {
      return fail(ErrorKind::config, "sources:" + std::to_string(number) +
                                         ": not 'SHA512 (file) = hash' nor '<md5>  file'");
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<std::string> format_sources(const std::vector<SourceEntry>& entries) {
  std::string text;
  for (const SourceEntry& entry : entries) {
    if (entry.filename.empty() || entry.filename.find_first_of(" )/\n") != std::string::npos) {
      return fail(ErrorKind::config, "the sources file cannot name '" + entry.filename +
                                         "': rename the archive (no spaces, ')' or '/')");
    }
    if (entry.hashtype != entries.front().hashtype) {
      return fail(ErrorKind::config, "the sources file would mix " + entries.front().hashtype +
                                         " and " + entry.hashtype + " hashes");
    }
    std::string type = entry.hashtype;
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    text += type + " (" + entry.filename + ") = " + entry.hash + "\n";
  }
  return text;
}

std::vector<SourceEntry> with_source(std::vector<SourceEntry> entries, SourceEntry entry) {
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const SourceEntry& e) { return e.filename == entry.filename; });
  if (same != entries.end()) {
    *same = std::move(entry);
  } else {
    entries.push_back(std::move(entry));
  }
  return entries;
}

} // namespace ferry::clients::fedora::lookaside
