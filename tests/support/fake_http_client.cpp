#include "support/fake_http_client.hpp"

namespace ferry::testing {

namespace {

std::string route_of(const infra::http::Request& request) {
  std::size_t scheme = request.url.find("://");
  std::size_t path = scheme == std::string::npos ? 0 : request.url.find('/', scheme + 3);
  std::string target = path == std::string::npos ? "/" : request.url.substr(path);
  return std::string(infra::http::to_string(request.method)) + " " + target;
}

} // namespace

void FakeHttpClient::on(const std::string& route, infra::http::Response response) {
  m_routes[route].emplace_back(std::move(response));
}

void FakeHttpClient::on(const std::string& route, long status, std::string body) {
  infra::http::Response response;
  response.status = status;
  response.body = std::move(body);
  on(route, std::move(response));
}

void FakeHttpClient::fail_with(const std::string& route, Error error) {
  m_routes[route].emplace_back(std::unexpected(std::move(error)));
}

Result<infra::http::Response> FakeHttpClient::send(const infra::http::Request& request) {
  m_requests.push_back(request);
  std::string route = route_of(request);
  auto it = m_routes.find(route);
  if (it == m_routes.end() || it->second.empty()) {
    m_unexpected.push_back(route);
    infra::http::Response missing;
    missing.status = 404;
    return missing;
  }
  Result<infra::http::Response> answer = it->second.front();
  if (it->second.size() > 1) {
    it->second.pop_front();
  }
  return answer;
}

} // namespace ferry::testing
