// An authenticated Bodhi session (fedora-protocols §5.2): an OIDC access token is exchanged
// once at `GET /oidc/login-token` (Bearer) for Bodhi's own cookies (`auth_tkt`, and the
// session cookie the CSRF token lives in), `GET /csrf` gives the CSRF token, and every write
// is a form POST carrying the cookies and `csrf_token`. A CSRF mismatch is answered by
// fetching a fresh token once and repeating the write. Cookies, tokens and the CSRF token are
// registered with the log redactor and never appear in errors.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ferry::clients::fedora::bodhi {

// Supplies the OIDC access token (login_with_kerberos in production, a fixed one in tests).
// Called at most once per session, when the first write needs it.
using AccessTokenSource = std::function<Result<std::string>()>;

// Form fields in order; a key may repeat (`builds=a&builds=b`).
using Form = std::vector<std::pair<std::string, std::string>>;

// The error Bodhi's answer describes: Cornice's {"status":"error","errors":[{location, name,
// description}]} descriptions joined, or the first line of a non-JSON body. 401/403 are
// ErrorKind::auth (with advice on what the account lacks), 404 not_found, others http_status.
Error bodhi_error(const infra::http::Response& response, const std::string& what);

// The Cornice error descriptions of an answer (empty when it has none).
std::vector<std::string> error_descriptions(const infra::http::Response& response);

class BodhiSession {
public:
  BodhiSession(infra::http::HttpClient& http, std::string base_url, AccessTokenSource token);

  // An anonymous GET of `path` ("/updates/?builds=…"); any status is returned.
  [[nodiscard]] Result<infra::http::Response> get(const std::string& path);

  // A form POST as the logged-in user (logging in first when needed). Any status is returned,
  // except that a 401 from the login is an ErrorKind::auth error and a CSRF mismatch is
  // handled by one fresh token and one repeat. `retry_unsafe` is passed to the HttpClient.
  [[nodiscard]] Result<infra::http::Response> post_form(const std::string& path, Form form,
                                                        bool retry_unsafe = false);

  const std::string& base_url() const { return m_base_url; }

private:
  [[nodiscard]] Status log_in();
  [[nodiscard]] Status fetch_csrf();
  [[nodiscard]] Result<infra::http::Response> send_form(const std::string& path, const Form& form,
                                                        bool retry_unsafe);
  void remember_cookies(const infra::http::Response& response);
  std::string cookie_header() const;

  infra::http::HttpClient& m_http;
  std::string m_base_url;
  AccessTokenSource m_token;
  std::map<std::string, std::string> m_cookies;
  std::optional<std::string> m_csrf;
  bool m_logged_in = false;
};

} // namespace ferry::clients::fedora::bodhi
