// The dist-git `sources` file: which archives of the lookaside cache a package uses.
//   SHA512 (hello-1.2.tar.gz) = 9b71d2…      (tagged form, what ferry writes)
//   d41d8cd98f00b204e9800998ecf8427e  old.tar.gz   (old md5 form, still read)
#pragma once

#include "error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ferry::clients::fedora::lookaside {

struct SourceEntry {
  std::string hashtype; // lower case: "sha512", "md5"
  std::string filename;
  std::string hash; // lower-case hex
  bool operator==(const SourceEntry&) const = default;
};

// Parses a sources file; a line in neither form is ErrorKind::config naming "sources:<line>".
[[nodiscard]] Result<std::vector<SourceEntry>> parse_sources(std::string_view text);

// The tagged form, one line each, "\n"-terminated. A file name the tagged form cannot hold
// (space or ')') or mixed hash types are ErrorKind::config.
[[nodiscard]] Result<std::string> format_sources(const std::vector<SourceEntry>& entries);

// `entries` with `entry` replacing the line for the same file name, or appended.
std::vector<SourceEntry> with_source(std::vector<SourceEntry> entries, SourceEntry entry);

} // namespace ferry::clients::fedora::lookaside
