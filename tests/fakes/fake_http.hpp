// Request parsing and answers shared by the fake servers.
#pragma once

#include "support/http_test_server.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace ferry::testing {

// "/a/b%20c/d" -> {"a", "b c", "d"} (segments percent-decoded).
std::vector<std::string> split_path(const std::string& path);
// "a=1&b=x%2Fy" -> {a: "1", b: "x/y"}.
std::map<std::string, std::string> parse_query(const std::string& query);
// A JSON body from JSON or form encoding, as servers that accept both read it; discarded
// (is_discarded()) when the body is neither.
nlohmann::json parse_body(const TestRequest& request);
TestResponse json_response(int status, const nlohmann::json& body, TestHeaders headers = {});
// The token of "Authorization: Bearer <t>" or "Authorization: token <t>".
std::string authorization_token(const TestRequest& request);

} // namespace ferry::testing
