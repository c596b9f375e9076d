#include "clients/forge/rest_client.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::forge;

namespace {

Error plain_decoder(const RestResponse& response, const std::string& what) {
  return Error(ErrorKind::http_status, what + ": " + std::to_string(response.status));
}

} // namespace

TEST_CASE("Link headers give the next page, whatever their order", "[clients][forge]") {
  CHECK(next_page_link(
            std::string(R"(<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last")")) ==
        "https://a/x?page=2");
  CHECK(next_page_link(
            std::string(R"(<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next")")) ==
        "https://a/x?page=3");
  CHECK_FALSE(next_page_link(std::string(R"(<https://a/x?page=1>; rel="first")")).has_value());
  CHECK_FALSE(next_page_link(std::nullopt).has_value());
  CHECK_FALSE(next_page_link(std::string("garbage")).has_value());
}

TEST_CASE("JSON accessors never throw on missing keys or wrong types", "[clients][forge]") {
  Json value = Json::parse(R"({"s":"x","n":3,"b":true,"o":{"k":1},"wrong":[1]})");
  CHECK(json_string(value, "s") == "x");
  CHECK_FALSE(json_string(value, "n").has_value());
  CHECK(json_integer(value, "n") == 3);
  CHECK_FALSE(json_integer(value, "s").has_value());
  CHECK(json_bool(value, "b"));
  CHECK(json_bool(value, "missing", true));
  CHECK(json_object(value, "o")["k"] == 1);
  CHECK(json_object(value, "nothing").is_null());
  CHECK_FALSE(json_string(Json("not an object"), "s").has_value());
}

TEST_CASE("all pages are fetched and joined, a non-array page is an error", "[clients][forge]") {
  ferry::testing::FakeHttpClient http;
  infra::http::Response first;
  first.status = 200;
  first.body = R"([{"n":1},{"n":2}])";
  first.headers = {{"Link", "<https://api.example.org/items?page=2>; rel=\"next\""}};
  http.on("GET /items", first);
  http.on("GET /items?page=2", 200, R"([{"n":3}])");
  http.on("GET /broken", 200, "{}");
  http.on("GET /numbers", 200, "[1,2]");
  RestClient rest(http, "https://api.example.org", {}, plain_decoder);
  auto all = rest.get_all_pages("/items", "listing");
  INFO((all ? "" : all.error().describe()));
  REQUIRE(all);
  CHECK(*all == Json::parse(R"([{"n":1},{"n":2},{"n":3}])"));
  CHECK_FALSE(rest.get_all_pages("/numbers", "listing")); // forge lists hold objects
  CHECK_FALSE(rest.get_all_pages("/broken", "listing"));
}

TEST_CASE("an exhausted rate limit is waited for when near, refused when far", "[clients][forge]") {
  ferry::testing::FakeHttpClient http;
  auto reset_in = [](int seconds) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() +
                          seconds);
  };
  infra::http::Response spent;
  spent.status = 200;
  spent.body = "{}";
  spent.headers = {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", reset_in(30)}};
  http.on("GET /a", spent);
  http.on("GET /b", 200, "{}");
  std::vector<std::chrono::milliseconds> waits;
  RateLimitPolicy policy{std::chrono::milliseconds(120'000),
                         [&](std::chrono::milliseconds d) { waits.push_back(d); }};
  RestClient rest(http, "https://api.example.org", {}, plain_decoder, policy);
  REQUIRE(rest.call(infra::http::Method::get, "/a"));
  REQUIRE(rest.call(infra::http::Method::get, "/b"));
  REQUIRE(waits.size() == 1);
  CHECK(waits[0] > std::chrono::milliseconds(25'000));

  spent.headers = {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", reset_in(3600)}};
  http.on("GET /c", spent);
  REQUIRE(rest.call(infra::http::Method::get, "/c"));
  auto refused = rest.call(infra::http::Method::get, "/b");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message().find("rate limit exhausted until") != std::string::npos);
}
