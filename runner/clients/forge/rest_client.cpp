#include "clients/forge/rest_client.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace ferry::clients::forge {

namespace http = infra::http;

RestClient::RestClient(http::HttpClient& client, std::string api_root, http::Headers headers,
                       ErrorDecoder decoder, RateLimitPolicy rate_limit)
    : m_http(client), m_api_root(std::move(api_root)), m_headers(std::move(headers)),
      m_decoder(std::move(decoder)), m_rate_limit(std::move(rate_limit)) {
  while (!m_api_root.empty() && m_api_root.back() == '/') {
    m_api_root.pop_back();
  }
  if (!m_rate_limit.sleep) {
    m_rate_limit.sleep = [](std::chrono::milliseconds d) {
      infra::process::wait_unless_cancelled(d);
    };
  }
}

namespace {

std::optional<long long> header_number(const RestResponse& response, std::string_view name) {
  auto value = response.header(name);
  if (!value) {
    return std::nullopt;
  }
  char* end = nullptr;
  long long number = std::strtoll(value->c_str(), &end, 10);
  return end != value->c_str() ? std::optional<long long>(number) : std::nullopt;
}

} // namespace

void RestClient::record_rate_limit(const RestResponse& response) {
  auto remaining = header_number(response, "X-RateLimit-Remaining");
  auto reset = header_number(response, "X-RateLimit-Reset");
  if (!remaining) {
    remaining = header_number(response, "RateLimit-Remaining");
    reset = header_number(response, "RateLimit-Reset");
  }
  if (remaining) {
    m_remaining = static_cast<long>(*remaining);
    m_reset_epoch = reset;
  }
}

Status RestClient::wait_for_rate_limit() {
  if (!m_remaining || *m_remaining > 0 || !m_reset_epoch) {
    return {};
  }
  auto reset = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(*m_reset_epoch));
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      reset - std::chrono::system_clock::now());
  if (wait > m_rate_limit.max_wait) {
    std::time_t when = std::chrono::system_clock::to_time_t(reset);
    char text[32] = {};
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&when));
    return fail(ErrorKind::http_status,
                std::string("API rate limit exhausted until ") + text +
                    "; re-run after that, or use a token with a larger budget");
  }
  if (wait.count() > 0) {
    infra::log::warning("API rate limit exhausted: waiting {} s for it to reset",
                        (wait.count() + 999) / 1000);
    m_rate_limit.sleep(wait + std::chrono::milliseconds(1000));
  }
  m_remaining.reset();
  return {};
}

Result<RestResponse> RestClient::call(http::Method method, const std::string& path,
                                      const Json* body, bool retry_unsafe) {
  RestResponse response;
  FERRY_TRY_ASSIGN(response, send_once(method, path, body, retry_unsafe));
  if ((response.status == 403 || response.status == 429) && m_remaining == 0) {
    FERRY_TRY(wait_for_rate_limit()); // spent mid-run: wait once for the reset, then try again
    FERRY_TRY_ASSIGN(response, send_once(method, path, body, retry_unsafe));
  }
  return response;
}

Result<RestResponse> RestClient::send_once(http::Method method, const std::string& path,
                                           const Json* body, bool retry_unsafe) {
  http::Request request;
  request.method = method;
  request.url =
      path.starts_with("http://") || path.starts_with("https://") ? path : m_api_root + path;
  request.headers = m_headers;
  request.retry_unsafe = retry_unsafe;
  if (body != nullptr) {
    request.body = json_text(*body);
    request.headers.emplace_back("Content-Type", "application/json");
  }
  FERRY_TRY(wait_for_rate_limit());
  http::Response response;
  FERRY_TRY_ASSIGN(response, m_http.send(request));
  RestResponse rest;
  rest.status = response.status;
  rest.headers = std::move(response.headers);
  rest.raw_body = std::move(response.body);
  rest.url = infra::util::redact_url(request.url);
  if (infra::util::json_nests_too_deep(rest.raw_body)) {
    return fail(ErrorKind::http_status,
                fmt::format("{} answered JSON nested more than {} levels deep", rest.url,
                            infra::util::k_max_json_depth));
  }
  rest.body = infra::util::parse_json_or_discarded(rest.raw_body);
  record_rate_limit(rest);
  return rest;
}

Result<RestResponse> RestClient::expect(http::Method method, const std::string& path,
                                        std::initializer_list<long> expected,
                                        const std::string& what, const Json* body,
                                        bool retry_unsafe) {
  RestResponse response;
  FERRY_TRY_ASSIGN(response, call(method, path, body, retry_unsafe));
  for (long status : expected) {
    if (response.status == status) {
      return response;
    }
  }
  return std::unexpected(m_decoder(response, what));
}

Result<std::optional<RestResponse>> RestClient::attempt(http::Method method,
                                                        const std::string& path, long expected,
                                                        const std::string& what, const Json* body) {
  auto response = call(method, path, body);
  if (!response || response->status >= 500) {
    return std::optional<RestResponse>();
  }
  if (response->status != expected) {
    return std::unexpected(m_decoder(*response, what));
  }
  return std::optional<RestResponse>(std::move(*response));
}

Result<std::string> RestClient::cached_login(std::optional<std::string>& cache, http::Method method,
                                             const std::string& path, const char* key) {
  if (cache) {
    return *cache;
  }
  FERRY_TRY_ASSIGN(auto response, expect(method, path, {200}, "reading the token's user", nullptr,
                                         method != http::Method::get));
  auto login = json_string(response.body, key);
  if (!login) {
    return fail(ErrorKind::http_status, "the answer to " + path + " names no user");
  }
  cache = *login;
  return *login;
}

Result<Json> RestClient::get_all_pages(const std::string& path, const std::string& what) {
  Json all = Json::array();
  std::optional<std::string> next = path;
  for (int page = 0; next && page < 1000; ++page) {
    RestResponse response;
    FERRY_TRY_ASSIGN(response, expect(http::Method::get, *next, {200}, what));
    FERRY_TRY(documented_list(response, nullptr, what));
    for (Json& item : response.body) {
      all.push_back(std::move(item));
    }
    next = next_page_link(response.header("Link"));
  }
  return all;
}

std::optional<std::string> next_page_link(const std::optional<std::string>& link_header) {
  if (!link_header) {
    return std::nullopt;
  }
  std::string_view rest = *link_header;
  while (!rest.empty()) {
    std::size_t open = rest.find('<');
    std::size_t close = rest.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view url = rest.substr(open + 1, close - open - 1);
    std::size_t end = rest.find(',', close);
    std::string_view params = rest.substr(close + 1, end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos ||
        params.find("rel=next") != std::string_view::npos) {
      return std::string(url);
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::string json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

// The start of a body as quoted in an error: one line, at most 80 bytes, controls as '?'.
std::string quoted_start(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 80)) {
    out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  }
  return "'" + out + (body.size() > 80 ? "…'" : "'");
}

} // namespace

Result<const Json*> documented_list(const RestResponse& response, const char* key,
                                    const std::string& what) {
  const Json& list = key == nullptr ? response.body : json_object(response.body, key);
  bool items_are_objects =
      list.is_array() &&
      std::all_of(list.begin(), list.end(), [](const Json& item) { return item.is_object(); });
  if (items_are_objects) {
    return &list;
  }
  std::string shape = key == nullptr ? "a JSON array of objects"
                                     : fmt::format("an object with a '{}' list of objects", key);
  return fail(
      ErrorKind::http_status,
      fmt::format("{}: {} answered {}, which is not {}", what,
                  response.url.empty() ? "the server" : response.url,
                  response.raw_body.empty() ? "an empty body" : quoted_start(response.raw_body),
                  shape));
}

std::string path_segment(std::string_view text) {
  return infra::util::percent_encode(text);
}

} // namespace ferry::clients::forge
