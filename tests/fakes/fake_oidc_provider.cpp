#include "fakes/fake_oidc_provider.hpp"

#include "fakes/fake_http.hpp"
#include "infra/util/encoding.hpp"
#include "support/kerberos_realm.hpp"

#include <nlohmann/json.hpp>

#include <random>

namespace ferry::testing {

using nlohmann::json;

namespace {

// The values id.fedoraproject.org's discovery document lists (recorded, see
// corpus/recorded/id.fedoraproject.org), with this server's endpoints.
json discovery(const std::string& base) {
  return {
      {"issuer", base + "/"},
      {"authorization_endpoint", base + "/Authorization"},
      {"token_endpoint", base + "/Token"},
      {"userinfo_endpoint", base + "/UserInfo"},
      {"jwks_uri", base + "/Jwks"},
      {"acr_values_supported", {"0"}},
      {"claim_types_supported", {"normal"}},
      {"claims_parameter_supported", true},
      {"claims_supported", {"sub", "name", "nickname", "preferred_username", "email"}},
      {"display_values_supported", {"page", "popup"}},
      {"grant_types_supported", {"authorization_code", "implicit", "refresh_token"}},
      {"id_token_signing_alg_values_supported", {"RS256"}},
      {"response_modes_supported", {"query", "fragment", "form_post", "oob", "none"}},
      {"response_types_supported", {"code", "id_token", "token", "token id_token"}},
      {"scopes_supported",
       {"openid", "profile", "email", "address", "phone",
        "https://id.fedoraproject.org/scope/groups",
        "https://id.fedoraproject.org/scope/agreements"}},
      {"subject_types_supported", {"pairwise", "public"}},
      {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post"}},
      {"service_documentation", "https://fedoraproject.org/wiki/Infrastructure/Authentication/"}};
}

TestResponse oauth_error(int status, const std::string& error, const std::string& description) {
  return json_response(status, {{"error", error}, {"error_description", description}});
}

TestResponse html(int status, const std::string& title, const std::string& body) {
  return TestResponse{status,
                      {{"Content-Type", "text/html; charset=utf-8"}},
                      "<!DOCTYPE html>\n<html>\n<head>\n  <title>" + title +
                          "</title>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n"};
}

std::string value_of(const std::multimap<std::string, std::string>& values,
                     const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

} // namespace

std::string random_hex(std::size_t length) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < length; ++i) {
    text += k_digits[engine() % 16];
  }
  return text;
}

std::string request_origin(const TestRequest& request) {
  return "http://" + request.header("Host").value_or("localhost");
}

std::multimap<std::string, std::string> parse_form_values(const std::string& text) {
  std::multimap<std::string, std::string> values;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t amp = text.find('&', start);
    std::string pair = text.substr(start, amp - start);
    std::size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    for (char& c : value) {
      c = c == '+' ? ' ' : c;
    }
    values.emplace(infra::util::percent_decode(key).value_or(key),
                   infra::util::percent_decode(value).value_or(value));
    if (amp == std::string::npos) {
      break;
    }
    start = amp + 1;
  }
  return values;
}

FakeOidcProvider::FakeOidcProvider(std::optional<std::string> keytab, std::string trusted_user)
    : m_keytab(std::move(keytab)), m_trusted_user(std::move(trusted_user)) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

std::string FakeOidcProvider::url() const {
  return "http://localhost:" + std::to_string(m_server->port()) + "/openidc";
}

void FakeOidcProvider::inject(const std::string& route_prefix, TestResponse response, int count,
                              bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

std::size_t FakeOidcProvider::codes_issued() const {
  std::lock_guard lock(m_mutex);
  return m_codes_issued;
}

std::vector<std::string> FakeOidcProvider::secrets_issued() const {
  std::lock_guard lock(m_mutex);
  return m_secrets;
}

std::optional<FakeOidcProvider::TokenInfo>
FakeOidcProvider::introspect(const std::string& access_token) const {
  std::lock_guard lock(m_mutex);
  auto it = m_tokens.find(access_token);
  return it == m_tokens.end() ? std::nullopt : std::optional<TokenInfo>(it->second);
}

void FakeOidcProvider::issue_token(const std::string& access_token, TokenInfo info) {
  std::lock_guard lock(m_mutex);
  m_tokens[access_token] = std::move(info);
}

void FakeOidcProvider::revoke_all() {
  std::lock_guard lock(m_mutex);
  m_tokens.clear();
}

TestResponse FakeOidcProvider::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakeOidcProvider::answer(const TestRequest& request) {
  const std::string& path = request.path;
  std::string base = request_origin(request) + "/openidc";
  if (request.method == "GET" && path == "/openidc/.well-known/openid-configuration") {
    return json_response(200, discovery(base));
  }
  if (request.method == "GET" && path == "/openidc/Authorization") {
    return authorize(request);
  }
  if (request.method == "POST" && path == "/openidc/Token") {
    return token(request);
  }
  if (request.method == "POST" && path == "/openidc/TokenInfo") {
    return token_info(request);
  }
  if (request.method == "GET" && path == "/openidc/UserInfo") {
    auto info = m_tokens.find(authorization_token(request));
    if (info == m_tokens.end()) {
      return oauth_error(401, "invalid_token", "Token is not valid");
    }
    return json_response(200, {{"sub", info->second.user},
                               {"nickname", info->second.user},
                               {"preferred_username", info->second.user}});
  }
  return html(404, "Not Found", "<h1>Not Found</h1>");
}

// Ipsilon: GET /openidc/Authorization?response_type=code&client_id=&redirect_uri=&scope=&state=
TestResponse FakeOidcProvider::authorize(const TestRequest& request) {
  std::string user = m_trusted_user;
  TestHeaders mutual;
  if (m_keytab) {
    TestResponse negotiated = negotiate_protected(request, *m_keytab);
    if (negotiated.status != 200) {
      negotiated.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
      negotiated.body = "<html><head><title>401 Unauthorized</title></head></html>";
      return negotiated;
    }
    // "hello alice@FERRY.TEST": the Kerberos principal; the account is its first part
    std::string principal = negotiated.body.substr(negotiated.body.find(' ') + 1);
    user = principal.substr(0, principal.find('@'));
    mutual = negotiated.headers;
  }
  auto query = parse_form_values(request.query);
  if (value_of(query, "response_type") != "code") {
    return html(400, "Error", "unsupported_response_type");
  }
  if (value_of(query, "client_id").empty() || value_of(query, "redirect_uri").empty()) {
    return html(400, "Error", "invalid_request: client_id and redirect_uri are required");
  }
  std::string code = random_hex(32);
  m_codes[code] = Grant{user, value_of(query, "scope"), value_of(query, "client_id"),
                        value_of(query, "redirect_uri")};
  ++m_codes_issued;
  m_secrets.push_back(code);
  std::string state = value_of(query, "state");
  TestResponse page = html(200, "code=" + code + "&state=" + infra::util::percent_encode(state),
                           "<p>Copy this code into your application.</p>");
  page.headers.insert(page.headers.end(), mutual.begin(), mutual.end());
  return page;
}

// Ipsilon: POST /openidc/Token grant_type=authorization_code&code=&redirect_uri=&client_id=
TestResponse FakeOidcProvider::token(const TestRequest& request) {
  auto form = parse_form_values(request.body);
  if (value_of(form, "grant_type") != "authorization_code") {
    return oauth_error(400, "unsupported_grant_type", "Only authorization_code is supported");
  }
  auto grant = m_codes.find(value_of(form, "code"));
  if (grant == m_codes.end()) {
    return oauth_error(400, "invalid_grant", "Invalid authorization code");
  }
  if (grant->second.client_id != value_of(form, "client_id") ||
      grant->second.redirect_uri != value_of(form, "redirect_uri")) {
    return oauth_error(400, "invalid_grant", "client_id or redirect_uri does not match the code");
  }
  Grant used = grant->second;
  m_codes.erase(grant); // a code is good once
  std::string access = random_hex(40);
  std::string refresh = random_hex(40);
  m_tokens[access] = TokenInfo{used.user, used.scope, used.client_id};
  m_secrets.insert(m_secrets.end(), {access, refresh});
  return json_response(200, {{"access_token", access},
                             {"token_type", "Bearer"},
                             {"expires_in", 3600},
                             {"refresh_token", refresh},
                             {"id_token", "eyJ" + random_hex(60)},
                             {"scope", used.scope}});
}

// Ipsilon: POST /openidc/TokenInfo token=&token_type_hint=&client_id=&client_secret=
TestResponse FakeOidcProvider::token_info(const TestRequest& request) {
  auto form = parse_form_values(request.body);
  auto info = m_tokens.find(value_of(form, "token"));
  if (info == m_tokens.end()) {
    return json_response(200, {{"active", false}});
  }
  return json_response(200, {{"active", true},
                             {"username", info->second.user},
                             {"scope", info->second.scope},
                             {"client_id", info->second.client_id},
                             {"token_type", "Bearer"}});
}

} // namespace ferry::testing
