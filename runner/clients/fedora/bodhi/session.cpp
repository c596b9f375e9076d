#include "clients/fedora/bodhi/session.hpp"

#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/json.hpp"
#include "infra/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace ferry::clients::fedora::bodhi {

namespace {

namespace http = infra::http;
using nlohmann::json;

std::string first_line(const std::string& text) {
  return infra::util::shorten_front(text.substr(0, text.find('\n')), 300);
}

std::string encode_form(const Form& form) {
  std::string body;
  for (const auto& [key, value] : form) {
    body += (body.empty() ? "" : "&") + infra::util::percent_encode(key) + "=" +
            infra::util::percent_encode(value);
  }
  return body;
}

bool is_csrf_mismatch(const http::Response& response) {
  if (response.status != 400) {
    return false;
  }
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array()) {
    return false;
  }
  for (const json& error : body["errors"]) {
    if (infra::util::json_string(error, "name") == "csrf_token") {
      return true;
    }
  }
  return false;
}

std::string auth_advice(long status) {
  return status == 401 ? ": the login is missing or expired (OIDC token from the `keytab` / "
                         "`kerberos_principal` settings)"
                       : ": the Fedora account needs the `packager` group and commit access to "
                         "the package's dist-git branch (or must own the side tag)";
}

bool is_set_cookie(std::string_view name) {
  constexpr std::string_view k_name = "set-cookie";
  return name.size() == k_name.size() &&
         std::equal(name.begin(), name.end(), k_name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

} // namespace

std::vector<std::string> error_descriptions(const http::Response& response) {
  std::vector<std::string> descriptions;
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array()) {
    return descriptions;
  }
  for (const json& error : body["errors"]) {
    if (error.is_object() && error.contains("description") && error["description"].is_string()) {
      descriptions.push_back(error["description"].get<std::string>());
    }
  }
  return descriptions;
}

Error bodhi_error(const http::Response& response, const std::string& what) {
  std::vector<std::string> descriptions = error_descriptions(response);
  std::string reason;
  for (const std::string& description : descriptions) {
    reason += (reason.empty() ? "" : "; ") + description;
  }
  if (reason.empty()) {
    reason = first_line(response.body);
  }
  ErrorKind kind = response.status == 401 || response.status == 403 ? ErrorKind::auth
                   : response.status == 404                         ? ErrorKind::not_found
                                                                    : ErrorKind::http_status;
  std::string message = "Bodhi refused " + what + " (HTTP " + std::to_string(response.status) +
                        (reason.empty() ? "" : ": " + reason) + ")";
  if (kind == ErrorKind::auth) {
    message += auth_advice(response.status);
  }
  return Error(kind, std::move(message)).with_http_status(response.status);
}

BodhiSession::BodhiSession(http::HttpClient& client, std::string base_url, AccessTokenSource token)
    : m_http(client), m_base_url(std::move(base_url)), m_token(std::move(token)) {
  while (!m_base_url.empty() && m_base_url.back() == '/') {
    m_base_url.pop_back();
  }
}

Result<http::Response> BodhiSession::get(const std::string& path) {
  http::Request request;
  request.url = m_base_url + path;
  request.headers.emplace_back("Accept", "application/json");
  return m_http.send(request);
}

void BodhiSession::remember_cookies(const http::Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (!is_set_cookie(name)) {
      continue;
    }
    std::string pair = value.substr(0, value.find(';'));
    std::size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    std::string cookie = pair.substr(0, eq);
    std::string content = pair.substr(eq + 1);
    if (content.empty() || content == "\"\"") {
      m_cookies.erase(cookie); // the server forgets it
      continue;
    }
    infra::log::logger().register_secret(content);
    m_cookies[cookie] = content;
  }
}

std::string BodhiSession::cookie_header() const {
  std::string header;
  for (const auto& [name, value] : m_cookies) {
    header += (header.empty() ? "" : "; ") + name + "=" + value;
  }
  return header;
}

// Bodhi: GET /oidc/login-token with the access token -> 202 and Set-Cookie: auth_tkt=…
Status BodhiSession::log_in() {
  if (!m_token) {
    return fail(ErrorKind::auth, "no Bodhi credentials: set the `keytab` and "
                                 "`kerberos_principal` settings to create Bodhi updates");
  }
  FERRY_TRY_ASSIGN(std::string token, with_context(m_token(), "logging in to Bodhi"));
  infra::log::logger().register_secret(token);
  http::Request request;
  request.url = m_base_url + "/oidc/login-token";
  request.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer " + token}};
  FERRY_TRY_ASSIGN(auto response, with_context(m_http.send(request), "logging in to Bodhi"));
  if (response.status == 401 || response.status == 403) {
    return std::unexpected(
        Error(ErrorKind::auth,
              "Bodhi refused the OIDC access token at /oidc/login-token (HTTP " +
                  std::to_string(response.status) +
                  "): the token lacks the scopes Bodhi needs or the identity provider does not "
                  "know the account; check the `kerberos_principal` setting names a Fedora "
                  "account")
            .with_http_status(response.status));
  }
  if (!response.ok()) {
    return std::unexpected(bodhi_error(response, "the login"));
  }
  remember_cookies(response);
  if (m_cookies.count("auth_tkt") == 0) {
    return fail(ErrorKind::auth, "Bodhi accepted the login but set no auth_tkt cookie");
  }
  m_logged_in = true;
  infra::log::debug("Bodhi: logged in");
  return {};
}

// Bodhi: GET /csrf -> {"csrf_token": "<hex>"}, tied to the session cookie
Status BodhiSession::fetch_csrf() {
  http::Request request;
  request.url = m_base_url + "/csrf";
  request.headers = {{"Accept", "application/json"}, {"Cookie", cookie_header()}};
  FERRY_TRY_ASSIGN(auto response,
                   with_context(m_http.send(request), "fetching a Bodhi CSRF token"));
  if (!response.ok()) {
    return std::unexpected(bodhi_error(response, "the CSRF token request"));
  }
  remember_cookies(response);
  json body = infra::util::parse_json_or_discarded(response.body);
  if (!body.is_object() || !body.contains("csrf_token") || !body["csrf_token"].is_string()) {
    return fail(ErrorKind::http_status, "Bodhi's /csrf answer has no csrf_token");
  }
  m_csrf = body["csrf_token"].get<std::string>();
  infra::log::logger().register_secret(*m_csrf);
  return {};
}

Result<http::Response> BodhiSession::send_form(const std::string& path, const Form& form,
                                               bool retry_unsafe) {
  Form signed_form = form;
  signed_form.emplace_back("csrf_token", *m_csrf);
  http::Request request;
  request.method = http::Method::post;
  request.url = m_base_url + path;
  request.headers = {{"Accept", "application/json"},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Cookie", cookie_header()}};
  request.body = encode_form(signed_form);
  request.credentials_in_body = {*m_csrf};
  request.retry_unsafe = retry_unsafe;
  FERRY_TRY_ASSIGN(auto response, m_http.send(request));
  remember_cookies(response);
  return response;
}

Result<http::Response> BodhiSession::post_form(const std::string& path, Form form,
                                               bool retry_unsafe) {
  if (!m_logged_in) {
    FERRY_TRY(log_in());
  }
  if (!m_csrf) {
    FERRY_TRY(fetch_csrf());
  }
  FERRY_TRY_ASSIGN(auto response, send_form(path, form, retry_unsafe));
  if (is_csrf_mismatch(response)) { // the session rotated: one fresh token, one repeat
    infra::log::debug("Bodhi: CSRF token rejected, fetching a new one");
    FERRY_TRY(fetch_csrf());
    FERRY_TRY_ASSIGN(response, send_form(path, form, retry_unsafe));
  }
  return response;
}

} // namespace ferry::clients::fedora::bodhi
