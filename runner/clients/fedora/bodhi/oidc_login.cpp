#include "clients/fedora/bodhi/oidc_login.hpp"

#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/json.hpp"
#include "infra/util/text.hpp"

#include <nlohmann/json.hpp>

#include <random>

namespace ferry::clients::fedora::bodhi {

namespace {

namespace http = infra::http;
using infra::util::json_integer;
using infra::util::json_string;
using nlohmann::json;

std::string first_line(const std::string& text) {
  return infra::util::shorten_front(text.substr(0, text.find('\n')), 200);
}

std::string random_state() {
  static constexpr std::string_view k_chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, k_chars.size() - 1);
  std::string state;
  for (int i = 0; i < 30; ++i) {
    state += k_chars[pick(device)];
  }
  return state;
}

std::string trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return start == std::string_view::npos ? "" : std::string(text.substr(start, end - start + 1));
}

// "a=1&b=2" -> the percent-decoded value of `key`, if present.
std::optional<std::string> query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key && eq != std::string_view::npos) {
      std::string_view value = pair.substr(eq + 1);
      return infra::util::percent_decode(value).value_or(std::string(value));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string form_encode(std::initializer_list<std::pair<std::string_view, std::string_view>> f) {
  std::string body;
  for (const auto& [key, value] : f) {
    body += (body.empty() ? "" : "&") + std::string(key) + "=" + infra::util::percent_encode(value);
  }
  return body;
}

Result<OidcProvider> discover(http::HttpClient& client, const OidcSettings& settings) {
  std::string url = settings.idp_url;
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  http::Request request;
  request.url = url + "/.well-known/openid-configuration";
  request.headers.emplace_back("Accept", "application/json");
  FERRY_TRY_ASSIGN(auto response,
                   with_context(client.send(request), "reading the OIDC discovery document"));
  if (!response.ok()) {
    return std::unexpected(Error(ErrorKind::http_status, "the identity provider answered " +
                                                             std::to_string(response.status) +
                                                             " to " + request.url)
                               .with_http_status(response.status));
  }
  return parse_discovery(response.body);
}

std::string authorization_url(const OidcProvider& provider, const OidcSettings& settings,
                              const std::string& state) {
  std::string separator =
      provider.authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
  return provider.authorization_endpoint + separator +
         form_encode({{"response_type", "code"},
                      {"client_id", settings.client_id},
                      {"redirect_uri", provider.redirect_uri},
                      {"scope", settings.scopes},
                      {"state", state}});
}

// GET the authorization URL with Negotiate; the page's <title> carries the code.
Result<std::string> authorize(http::HttpClient& negotiate_http, const OidcProvider& provider,
                              const OidcSettings& settings) {
  std::string state = random_state();
  http::Request request;
  request.url = authorization_url(provider, settings, state);
  FERRY_TRY_ASSIGN(auto response, with_context(negotiate_http.send(request),
                                               "asking the identity provider for a code"));
  std::string who = settings.principal.empty() ? "the Kerberos principal" : settings.principal;
  if (response.status == 401 || response.status == 403) {
    return std::unexpected(
        Error(ErrorKind::auth,
              "the Fedora identity provider refused Kerberos authentication (HTTP " +
                  std::to_string(response.status) + "): no valid ticket for " + who +
                  "; set the `keytab` and `kerberos_principal` settings (or run "
                  "kinit) so a ticket is in the credential cache")
            .with_http_status(response.status));
  }
  if (!response.ok()) {
    return std::unexpected(Error(ErrorKind::http_status,
                                 "the identity provider answered " +
                                     std::to_string(response.status) +
                                     " to the authorization request: " + first_line(response.body))
                               .with_http_status(response.status));
  }
  return code_from_title(response.body, state);
}

Result<OidcTokens> exchange_code(http::HttpClient& client, const OidcProvider& provider,
                                 const OidcSettings& settings, const std::string& code) {
  http::Request request;
  request.method = http::Method::post;
  request.url = provider.token_endpoint;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = form_encode({{"grant_type", "authorization_code"},
                              {"code", code},
                              {"redirect_uri", provider.redirect_uri},
                              {"client_id", settings.client_id}});
  request.credentials_in_body = {code};
  FERRY_TRY_ASSIGN(auto response,
                   with_context(client.send(request), "exchanging the OIDC code for a token"));
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!response.ok()) {
    std::string reason = body.is_object() ? json_string(body, "error_description")
                                                .value_or(json_string(body, "error").value_or(""))
                                          : first_line(response.body);
    return std::unexpected(Error(ErrorKind::auth, "the identity provider refused the code (HTTP " +
                                                      std::to_string(response.status) +
                                                      "): " + reason)
                               .with_http_status(response.status));
  }
  std::optional<std::string> access_token = json_string(body, "access_token");
  if (!access_token) {
    return fail(ErrorKind::http_status, "the token endpoint's answer has no access_token");
  }
  OidcTokens tokens;
  tokens.access_token = std::move(*access_token);
  tokens.refresh_token = json_string(body, "refresh_token").value_or("");
  tokens.expires_in = json_integer(body, "expires_in").value_or(0);
  infra::log::logger().register_secret(tokens.access_token);
  infra::log::logger().register_secret(tokens.refresh_token);
  return tokens;
}

} // namespace

Result<OidcProvider> parse_discovery(std::string_view body) {
  json document = infra::util::parse_json_or_discarded(body);
  if (!document.is_object()) {
    return fail(ErrorKind::http_status, "the OIDC discovery document is not a JSON object");
  }
  OidcProvider provider;
  for (auto [key, target] : {std::pair{"authorization_endpoint", &provider.authorization_endpoint},
                             std::pair{"token_endpoint", &provider.token_endpoint}}) {
    auto it = document.find(key);
    if (it == document.end() || !it->is_string()) {
      return fail(ErrorKind::http_status, std::string("the OIDC discovery document has no ") + key);
    }
    *target = it->get<std::string>();
  }
  bool oob = false;
  if (auto modes = document.find("response_modes_supported");
      modes != document.end() && modes->is_array()) {
    for (const json& mode : *modes) {
      oob = oob || (mode.is_string() && mode.get<std::string>() == "oob");
    }
  }
  // bodhi-client's fallback when the provider cannot show the code out of band
  provider.redirect_uri = oob ? std::string(k_oob_redirect) : "http://localhost:45678/auth";
  return provider;
}

Result<std::string> code_from_title(std::string_view html, std::string_view expected_state) {
  std::size_t open = html.find("<title>");
  std::size_t close = html.find("</title>", open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return fail(ErrorKind::auth, "the identity provider's answer holds no authorization code "
                                 "(no <title>): Kerberos login was not completed");
  }
  std::string title = trim(html.substr(open + 7, close - open - 7));
  if (!title.starts_with("code=")) {
    return fail(ErrorKind::auth, "the identity provider's answer holds no authorization code "
                                 "(its title is not code=…): Kerberos login was not completed");
  }
  auto code = query_value(title, "code");
  auto state = query_value(title, "state");
  if (!code || code->empty()) {
    return fail(ErrorKind::auth, "the identity provider returned an empty authorization code");
  }
  infra::log::logger().register_secret(*code);
  if (state.value_or("") != expected_state) {
    return fail(ErrorKind::auth, "the identity provider answered for another login (state "
                                 "mismatch); try again");
  }
  return *code;
}

Result<OidcTokens> login_with_kerberos(http::HttpClient& http, http::HttpClient& negotiate_http,
                                       const OidcSettings& settings) {
  FERRY_TRY_ASSIGN(auto provider, discover(http, settings));
  FERRY_TRY_ASSIGN(auto code, authorize(negotiate_http, provider, settings));
  infra::log::debug("OIDC: authorization code obtained with Kerberos");
  return exchange_code(http, provider, settings, code);
}

} // namespace ferry::clients::fedora::bodhi
