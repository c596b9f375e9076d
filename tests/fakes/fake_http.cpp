#include "fakes/fake_http.hpp"

#include "infra/util/encoding.hpp"

namespace ferry::testing {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash - start);
    parts.push_back(infra::util::percent_decode(part).value_or(part));
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return parts;
}

std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> values;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    std::string pair = query.substr(start, amp - start);
    std::size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    for (char& c : value) {
      c = c == '+' ? ' ' : c;
    }
    values[key] = infra::util::percent_decode(value).value_or(value);
    if (amp == std::string::npos) {
      break;
    }
    start = amp + 1;
  }
  return values;
}

nlohmann::json parse_body(const TestRequest& request) {
  if (request.body.empty()) {
    return nlohmann::json::object();
  }
  if (request.header("Content-Type")
          .value_or("")
          .starts_with("application/x-www-form-urlencoded")) {
    nlohmann::json form = nlohmann::json::object();
    for (const auto& [key, value] : parse_query(request.body)) {
      form[key] = value;
    }
    return form;
  }
  return nlohmann::json::parse(request.body, nullptr, false);
}

TestResponse json_response(int status, const nlohmann::json& body, TestHeaders headers) {
  headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return TestResponse{status, std::move(headers), body.dump()};
}

std::string authorization_token(const TestRequest& request) {
  auto header = request.header("Authorization").value_or("");
  for (std::string prefix : {"Bearer ", "token "}) {
    if (header.starts_with(prefix)) {
      return header.substr(prefix.size());
    }
  }
  return "";
}

} // namespace ferry::testing
