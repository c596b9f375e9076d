// The one way ferry turns text into JSON, and null-safe reads of JSON values.
//
// Every JSON document ferry reads (CI events, API answers, markers in PR bodies) comes from
// outside, so parsing first checks how deeply it nests: a document of 100 000 nested objects
// would otherwise be built and then walked recursively until the stack ran out. The accessors
// never throw: a missing key, a null or a value of another type gives nullopt or the fallback.
#pragma once

#include "error.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ferry::infra::util {

using Json = nlohmann::json;

// Arrays and objects may nest this many levels; deeper documents are refused unread.
inline constexpr int k_max_json_depth = 128;

// The text nests arrays/objects deeper than k_max_json_depth (brackets inside strings do not
// count). Looks only at the brackets, so it is cheap and cannot recurse.
bool json_nests_too_deep(std::string_view text);

// Parses `text`; fails with `kind` when it is not JSON or nests too deeply. `source` names
// where the text came from ("the event file /x/event.json", "https://host/api/...").
[[nodiscard]] Result<Json> parse_json(std::string_view text, std::string_view source,
                                      ErrorKind kind);

// For answers that may legitimately be something else (an HTML error page): the JSON value, or
// a discarded one (is_discarded()) when the text is not JSON or nests too deeply.
Json parse_json_or_discarded(std::string_view text);

// Null-safe reads of one member of an object: nullopt / fallback when `object` is not an
// object, the key is missing, or its value is null or of another type.
std::optional<std::string> json_string(const Json& object, const char* key);
std::optional<long> json_integer(const Json& object, const char* key);
bool json_bool(const Json& object, const char* key, bool fallback = false);
const Json& json_object(const Json& object, const char* key); // a null Json when absent

} // namespace ferry::infra::util
