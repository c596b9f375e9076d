#include "core/config/yaml_document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <set>

namespace ferry::core::config {

namespace {

using json = nlohmann::ordered_json;

constexpr int k_max_depth = 64;
// yaml-cpp stops at its own, deeper limit (DeepRecursion); both say the same.
const std::string k_too_deep =
    fmt::format("the document is nested more than {} levels deep", k_max_depth);
constexpr std::size_t k_max_nodes = 50'000; // ordered mappings make huge ones quadratic
constexpr std::size_t k_max_mapping_keys = 5'000;

Mark to_mark(const YAML::Mark& mark) {
  if (mark.line < 0) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (text == option) {
      return true;
    }
  }
  return false;
}

bool all_digits(std::string_view text, bool allow_underscore) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (allow_underscore && c == '_'))) {
      return false;
    }
  }
  return true;
}

std::optional<json> plain_integer(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    digits.remove_prefix(1);
  }
  if (!all_digits(digits, true) || digits.front() == '_') {
    return std::nullopt;
  }
  std::string clean;
  for (char c : text) {
    if (c != '_' && c != '+') {
      clean += c;
    }
  }
  long long value = 0;
  auto [end, error] = std::from_chars(clean.data(), clean.data() + clean.size(), value,
                                      digits.size() > 1 && digits.front() == '0' ? 8 : 10);
  if (error != std::errc() || end != clean.data() + clean.size()) {
    return std::nullopt; // out of range or not octal: PyYAML would still make it a number,
                         // but no Packit key takes such a value, so a string is as good
  }
  return json(value);
}

std::optional<json> plain_float(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    body.remove_prefix(1);
  }
  if (is_one_of(body, {".inf", ".Inf", ".INF"})) {
    double infinity = std::numeric_limits<double>::infinity();
    return json(text.front() == '-' ? -infinity : infinity);
  }
  std::size_t dot = body.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view whole = body.substr(0, dot);
  std::string_view rest = body.substr(dot + 1);
  std::size_t exponent = rest.find_first_of("eE");
  std::string_view fraction = rest.substr(0, exponent);
  if ((!whole.empty() && !all_digits(whole, true)) ||
      (!fraction.empty() && !all_digits(fraction, true)) || (whole.empty() && fraction.empty())) {
    return std::nullopt;
  }
  if (exponent != std::string_view::npos) {
    std::string_view power = rest.substr(exponent + 1);
    if (power.size() < 2 || (power.front() != '-' && power.front() != '+') ||
        !all_digits(power.substr(1), false)) {
      return std::nullopt;
    }
  }
  std::string clean;
  for (char c : text) {
    if (c != '_') {
      clean += c;
    }
  }
  double value = 0;
  auto [end, error] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (error != std::errc()) {
    return std::nullopt;
  }
  (void)end;
  return json(value);
}

// YAML 1.1 resolution of a plain scalar, as PyYAML's SafeLoader does it.
json resolve_plain_scalar(const std::string& text) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) {
    return nullptr;
  }
  if (is_one_of(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) {
    return true;
  }
  if (is_one_of(text, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) {
    return false;
  }
  if (auto number = plain_integer(text)) {
    return *number;
  }
  if (auto number = plain_float(text)) {
    return *number;
  }
  return text;
}

class Converter {
public:
  explicit Converter(YamlDocument& document) : m_document(document) {}

  std::optional<YamlError> convert(const YAML::Node& node, json& out, const std::string& pointer,
                                   int depth) {
    if (depth > k_max_depth) {
      return YamlError{to_mark(node.Mark()), k_too_deep};
    }
    if (++m_nodes > k_max_nodes) {
      return YamlError{to_mark(node.Mark()),
                       "the document expands to more than 50000 values (alias bomb?)"};
    }
    m_document.value_marks.emplace(pointer, to_mark(node.Mark()));
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out = nullptr;
      return std::nullopt;
    case YAML::NodeType::Scalar:
      out = scalar(node);
      return std::nullopt;
    case YAML::NodeType::Sequence:
      return sequence(node, out, pointer, depth);
    case YAML::NodeType::Map:
      return mapping(node, out, pointer, depth);
    }
    return std::nullopt;
  }

private:
  static json scalar(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      return node.Scalar();
    }
    return resolve_plain_scalar(node.Scalar());
  }

  std::optional<YamlError> sequence(const YAML::Node& node, json& out, const std::string& pointer,
                                    int depth) {
    out = json::array();
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
      json value;
      if (auto error = convert(item, value, fmt::format("{}/{}", pointer, index), depth + 1)) {
        return error;
      }
      out.push_back(std::move(value));
      ++index;
    }
    return std::nullopt;
  }

  static bool is_merge_key(const YAML::Node& key) {
    return key.IsScalar() && key.Scalar() == "<<" && key.Tag() != "!";
  }

  std::optional<YamlError> mapping(const YAML::Node& node, json& out, const std::string& pointer,
                                   int depth) {
    out = json::object();
    if (node.size() > k_max_mapping_keys) {
      return YamlError{to_mark(node.Mark()), "a mapping has more than 5000 keys"};
    }
    std::vector<YAML::Node> merges;
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (is_merge_key(key)) {
        merges.push_back(entry.second);
        continue;
      }
      if (!key.IsScalar()) {
        return YamlError{to_mark(key.Mark()), "mapping keys must be plain text"};
      }
      std::string name = key.Scalar();
      std::string child = pointer + "/" + escape_pointer_token(name);
      m_document.key_marks[child] = to_mark(key.Mark());
      json value;
      m_document.value_marks.erase(child);
      if (auto error = convert(entry.second, value, child, depth + 1)) {
        return error;
      }
      out[name] = std::move(value);
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    for (const YAML::Node& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsMap()) {
        sources.push_back(merge);
      } else if (merge.IsSequence()) {
        for (const YAML::Node& item : merge) {
          sources.push_back(item);
        }
      }
      for (const YAML::Node& source : sources) {
        if (!source.IsMap()) {
          return YamlError{to_mark(source.Mark()),
                           "a merge key ('<<') needs a mapping or a list of mappings"};
        }
        json merged;
        std::string scratch = fmt::format("{}/<<{}", pointer, m_merges++);
        if (auto error = mapping(source, merged, scratch, depth + 1)) {
          return error;
        }
        for (auto& [name, value] : merged.items()) {
          std::string token = "/" + escape_pointer_token(name);
          if (!out.contains(name)) {
            out[name] = value;
            move_marks(scratch + token, pointer + token);
          }
        }
        drop_marks(scratch);
      }
      if (!merge.IsMap() && !merge.IsSequence()) {
        return YamlError{to_mark(merge.Mark()),
                         "a merge key ('<<') needs a mapping or a list of mappings"};
      }
    }
    return std::nullopt;
  }

  // Re-homes the marks recorded under `from` (and below it) to `to`.
  void move_marks(const std::string& from, const std::string& to) {
    for (auto* marks : {&m_document.value_marks, &m_document.key_marks}) {
      auto it = marks->lower_bound(from);
      while (it != marks->end() && it->first.starts_with(from) &&
             (it->first.size() == from.size() || it->first[from.size()] == '/')) {
        (*marks)[to + it->first.substr(from.size())] = it->second;
        it = marks->erase(it);
      }
    }
  }

  void drop_marks(const std::string& prefix) {
    for (auto* marks : {&m_document.value_marks, &m_document.key_marks}) {
      auto it = marks->lower_bound(prefix);
      while (it != marks->end() && it->first.starts_with(prefix)) {
        it = marks->erase(it);
      }
    }
  }

  YamlDocument& m_document;
  std::size_t m_nodes = 0;
  std::size_t m_merges = 0;
};

template <typename Map> Mark nearest(const Map& marks, std::string pointer) {
  while (true) {
    auto it = marks.find(pointer);
    if (it != marks.end() && it->second.line > 0) {
      return it->second;
    }
    if (pointer.empty()) {
      return {};
    }
    pointer.erase(pointer.rfind('/'));
  }
}

} // namespace

Mark YamlDocument::mark_of(const std::string& pointer) const {
  auto value = value_marks.find(pointer);
  if (value != value_marks.end() && value->second.line > 0) {
    return value->second;
  }
  auto key = key_marks.find(pointer);
  if (key != key_marks.end()) {
    return key->second;
  }
  return nearest(value_marks, pointer);
}

Mark YamlDocument::key_mark_of(const std::string& pointer) const {
  auto key = key_marks.find(pointer);
  if (key != key_marks.end()) {
    return key->second;
  }
  return mark_of(pointer);
}

std::expected<YamlDocument, YamlError> parse_yaml(std::string_view text) {
  YamlDocument document;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& error) {
    return std::unexpected(YamlError{to_mark(error.mark), k_too_deep});
  } catch (const YAML::Exception& error) {
    return std::unexpected(YamlError{to_mark(error.mark), error.msg});
  } catch (const std::exception& error) {
    return std::unexpected(YamlError{{}, error.what()});
  }
  try {
    Converter converter(document);
    if (auto error = converter.convert(root, document.root, "", 0)) {
      return std::unexpected(std::move(*error));
    }
  } catch (const YAML::Exception& error) {
    return std::unexpected(YamlError{to_mark(error.mark), error.msg});
  }
  if (document.root.is_null()) {
    document.root = json::object();
  }
  return document;
}

} // namespace ferry::core::config
