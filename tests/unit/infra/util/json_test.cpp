#include "infra/util/json.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace util = ferry::infra::util;
using util::Json;

namespace {

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

} // namespace

TEST_CASE("nesting up to the limit is read, one level more is refused", "[infra][util][json]") {
  CHECK_FALSE(util::json_nests_too_deep(nested_arrays(util::k_max_json_depth)));
  CHECK(util::json_nests_too_deep(nested_arrays(util::k_max_json_depth + 1)));
  CHECK(util::parse_json(nested_arrays(util::k_max_json_depth), "x", ferry::ErrorKind::event));
  CHECK(util::json_nests_too_deep(std::string(1'000'000, '{'))); // unclosed counts too
}

TEST_CASE("brackets inside strings do not count as nesting", "[infra][util][json]") {
  std::string brackets(1000, '[');
  std::string text = R"({"a": ")" + brackets + R"(\"[[[", "b": "\\"})";
  CHECK_FALSE(util::json_nests_too_deep(text));
  auto parsed = util::parse_json(text, "the answer", ferry::ErrorKind::http_status);
  REQUIRE(parsed);
  CHECK(util::json_string(*parsed, "a") == brackets + "\"[[[");
  CHECK(util::json_string(*parsed, "b") == "\\");
}

TEST_CASE("parse_json names the source and keeps the kind", "[infra][util][json]") {
  auto deep =
      util::parse_json(nested_arrays(200'000), "the event file e.json", ferry::ErrorKind::event);
  REQUIRE_FALSE(deep);
  CHECK(deep.error().kind() == ferry::ErrorKind::event);
  CHECK(deep.error().message() ==
        "the event file e.json nests JSON more than 128 levels deep; refusing to read it");
  auto broken = util::parse_json("<html>", "https://h/x", ferry::ErrorKind::http_status);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().kind() == ferry::ErrorKind::http_status);
  CHECK(broken.error().message() == "https://h/x is not valid JSON");
}

TEST_CASE("parse_json_or_discarded discards what is not JSON or too deep", "[infra][util][json]") {
  CHECK(util::parse_json_or_discarded("<html>maintenance</html>").is_discarded());
  CHECK(util::parse_json_or_discarded(nested_arrays(10'000)).is_discarded());
  CHECK(util::parse_json_or_discarded(R"({"a": [1]})")["a"][0] == 1);
}

TEST_CASE("accessors give nullopt or the fallback for null, missing or mistyped values",
          "[infra][util][json]") {
  Json object = Json::parse(R"({"s": "x", "n": null, "i": 7, "f": 1.5, "b": true, "o": {}})");
  CHECK(util::json_string(object, "s") == "x");
  CHECK_FALSE(util::json_string(object, "n"));
  CHECK_FALSE(util::json_string(object, "i"));
  CHECK_FALSE(util::json_string(object, "missing"));
  CHECK(util::json_integer(object, "i") == 7);
  CHECK_FALSE(util::json_integer(object, "n"));
  CHECK_FALSE(util::json_integer(object, "f"));
  CHECK(util::json_bool(object, "b"));
  CHECK(util::json_bool(object, "n", true));
  CHECK(util::json_object(object, "o").is_object());
  CHECK(util::json_object(object, "missing").is_null());
  for (const Json& not_object : {Json(nullptr), Json::array({1}), Json("s")}) {
    CHECK_FALSE(util::json_string(not_object, "s"));
    CHECK(util::json_object(not_object, "s").is_null());
  }
}
