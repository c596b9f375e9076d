// JSON-over-HTTP plumbing shared by the forge clients: builds URLs under an API root, sends
// JSON bodies, parses JSON answers without throwing, follows `Link: rel="next"` pagination,
// and turns unexpected statuses into Errors through a forge-specific decoder.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"
#include "infra/util/json.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

namespace ferry::clients::forge {

using Json = nlohmann::json;

struct RestResponse {
  long status = 0;
  Json body; // discarded (is_discarded()) when the body was not JSON
  std::string raw_body;
  infra::http::Headers headers;
  std::string url; // as it may be logged (credentials masked)
  std::optional<std::string> header(std::string_view name) const {
    return infra::http::find_header(headers, name);
  }
};

// Turns a response with an unexpected status into an Error; `what` says what was attempted
// ("creating a pull request in o/r").
using ErrorDecoder = std::function<Error(const RestResponse& response, const std::string& what)>;

// Rate-limit bookkeeping from the response headers GitHub/Forgejo (X-RateLimit-Remaining,
// X-RateLimit-Reset) and GitLab (RateLimit-Remaining, RateLimit-Reset) send: once the budget
// is spent, the next call waits for the reset when that is near, or fails saying when.
struct RateLimitPolicy {
  std::chrono::milliseconds max_wait{120'000};
  std::function<void(std::chrono::milliseconds)> sleep;
};

class RestClient {
public:
  RestClient(infra::http::HttpClient& http, std::string api_root, infra::http::Headers headers,
             ErrorDecoder decoder, RateLimitPolicy rate_limit = {});

  // `path` is relative to the API root ("/repos/o/r") or an absolute URL (pagination links).
  // Any status is returned; only transport failures are errors.
  [[nodiscard]] Result<RestResponse> call(infra::http::Method method, const std::string& path,
                                          const Json* body = nullptr, bool retry_unsafe = false);

  // call() that also fails (through the decoder) unless the status is one of `expected`.
  [[nodiscard]] Result<RestResponse> expect(infra::http::Method method, const std::string& path,
                                            std::initializer_list<long> expected,
                                            const std::string& what, const Json* body = nullptr,
                                            bool retry_unsafe = false);

  // One attempt at a write that must not be repeated blindly: the response when the status is
  // `expected`; nullopt when the outcome is unknown (transport failure or 5xx); the decoded
  // error for any other status (the server refused, nothing was changed).
  [[nodiscard]] Result<std::optional<RestResponse>> attempt(infra::http::Method method,
                                                            const std::string& path, long expected,
                                                            const std::string& what,
                                                            const Json* body);

  // GETs every page (following Link rel="next") and concatenates the JSON arrays.
  [[nodiscard]] Result<Json> get_all_pages(const std::string& path, const std::string& what);

  // The login of the token's owner: `key` of the JSON answer to `method path`, read once and
  // kept in `cache`.
  [[nodiscard]] Result<std::string> cached_login(std::optional<std::string>& cache,
                                                 infra::http::Method method,
                                                 const std::string& path, const char* key);

  Error decode(const RestResponse& response, const std::string& what) const {
    return m_decoder(response, what);
  }

private:
  [[nodiscard]] Result<RestResponse> send_once(infra::http::Method method, const std::string& path,
                                               const Json* body, bool retry_unsafe);
  [[nodiscard]] Status wait_for_rate_limit();
  void record_rate_limit(const RestResponse& response);

  infra::http::HttpClient& m_http;
  std::string m_api_root;
  infra::http::Headers m_headers;
  ErrorDecoder m_decoder;
  RateLimitPolicy m_rate_limit;
  std::optional<long> m_remaining;
  std::optional<long long> m_reset_epoch;
};

// The URL of the `rel="next"` entry of an RFC 8288 Link header, if any.
std::optional<std::string> next_page_link(const std::optional<std::string>& link_header);

// The JSON text of a request body. Strings holding invalid UTF-8 (hook output, release notes,
// server text quoted in an error) have each bad byte replaced by U+FFFD instead of throwing:
// the one encoding point of every JSON request ferry sends.
std::string json_text(const Json& value);

// Null-safe accessors (infra/util/json.hpp): nullopt / fallback when the key is missing, null
// or of another type.
using infra::util::json_bool;
using infra::util::json_integer;
using infra::util::json_object;
using infra::util::json_string;

// The list a list answer holds: the array under `key` (the body itself when `key` is nullptr),
// every item an object. Any other answer is an error naming the URL and quoting the start of
// the body: "none exists" must never be concluded from a page that is not the documented list.
[[nodiscard]] Result<const Json*> documented_list(const RestResponse& response, const char* key,
                                                  const std::string& what);

// Percent-encodes one path segment (a branch name or file path piece).
std::string path_segment(std::string_view text);

} // namespace ferry::clients::forge
