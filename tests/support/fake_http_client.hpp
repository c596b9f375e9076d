// A scripted HttpClient for unit tests of service clients: routes ("GET /path") map to queued
// responses (the last one repeats), every request is recorded, unknown routes answer 404 and
// are listed by unexpected() so a test can assert nothing surprising was sent.
#pragma once

#include "infra/http/http_client.hpp"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeHttpClient final : public infra::http::HttpClient {
public:
  // `route` is "METHOD path" where path is the URL after the host, query included.
  void on(const std::string& route, infra::http::Response response);
  void on(const std::string& route, long status, std::string body);
  // A transport failure instead of a response.
  void fail_with(const std::string& route, Error error);

  Result<infra::http::Response> send(const infra::http::Request& request) override;

  const std::vector<infra::http::Request>& requests() const { return m_requests; }
  const std::vector<std::string>& unexpected() const { return m_unexpected; }

private:
  std::map<std::string, std::deque<Result<infra::http::Response>>> m_routes;
  std::vector<infra::http::Request> m_requests;
  std::vector<std::string> m_unexpected;
};

} // namespace ferry::testing
