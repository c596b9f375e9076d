#include "infra/util/json.hpp"

#include <fmt/format.h>

namespace ferry::infra::util {

bool json_nests_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_json_depth) {
        return true;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Result<Json> parse_json(std::string_view text, std::string_view source, ErrorKind kind) {
  if (json_nests_too_deep(text)) {
    return fail(kind, fmt::format("{} nests JSON more than {} levels deep; refusing to read it",
                                  source, k_max_json_depth));
  }
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded()) {
    return fail(kind, fmt::format("{} is not valid JSON", source));
  }
  return parsed;
}

Json parse_json_or_discarded(std::string_view text) {
  if (json_nests_too_deep(text)) {
    return Json(Json::value_t::discarded);
  }
  return Json::parse(text.begin(), text.end(), nullptr, false);
}

namespace {

const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

} // namespace

std::optional<std::string> json_string(const Json& object, const char* key) {
  const Json* value = member(object, key);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<long> json_integer(const Json& object, const char* key) {
  const Json* value = member(object, key);
  if (value == nullptr || !value->is_number_integer()) {
    return std::nullopt;
  }
  return value->get<long>();
}

bool json_bool(const Json& object, const char* key, bool fallback) {
  const Json* value = member(object, key);
  return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

const Json& json_object(const Json& object, const char* key) {
  static const Json k_null;
  const Json* value = member(object, key);
  return value == nullptr ? k_null : *value;
}

} // namespace ferry::infra::util
