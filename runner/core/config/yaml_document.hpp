// A YAML document as JSON plus where each value came from: yaml-cpp parses (its exceptions are
// caught here), anchors and aliases are resolved, merge keys (`<<: *x`) are applied (yaml-cpp
// 0.7 does not), and plain scalars get YAML 1.1 types the way Packit's safe loader sees them
// (true/yes/on, integers, floats, null).
#pragma once

#include "error.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace ferry::core::config {

struct Mark {
  int line = 0;   // 1-based; 0 = unknown
  int column = 0; // 1-based
};

struct YamlDocument {
  nlohmann::ordered_json root;
  std::map<std::string, Mark> value_marks; // JSON pointer -> where the value starts
  std::map<std::string, Mark> key_marks;   // JSON pointer -> where its key is written

  // The best known mark for a pointer: its value, else its key, else the nearest parent's.
  Mark mark_of(const std::string& pointer) const;
  Mark key_mark_of(const std::string& pointer) const;
};

struct YamlError {
  Mark mark;
  std::string message;
};

// Parses `text`. An empty document is an empty mapping. Fails with the position and yaml-cpp's
// message for syntax errors, and for documents that expand beyond sane limits (alias bombs,
// nesting deeper than 64 levels).
[[nodiscard]] std::expected<YamlDocument, YamlError> parse_yaml(std::string_view text);

} // namespace ferry::core::config
