// Logging in to Fedora's OpenID Connect provider (Ipsilon, id.fedoraproject.org) without a
// browser, as bodhi-client's users do with a Kerberos ticket (fedora-protocols §5.2): read the
// discovery document, GET the authorization URL with HTTP Negotiate, take `code=…&state=…`
// from the HTML page's <title>, and exchange the code at the token endpoint for an access
// token. The public client `bodhi-client` has no secret; the out-of-band redirect is used when
// the provider supports it. Every token and code is registered with the log redactor.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ferry::clients::fedora::bodhi {

inline constexpr std::string_view k_default_idp_url = "https://id.fedoraproject.org/openidc";
inline constexpr std::string_view k_bodhi_client_id = "bodhi-client";
inline constexpr std::string_view k_bodhi_scopes =
    "openid email profile https://id.fedoraproject.org/scope/groups "
    "https://id.fedoraproject.org/scope/agreements";
inline constexpr std::string_view k_oob_redirect = "urn:ietf:wg:oauth:2.0:oob";

struct OidcSettings {
  std::string idp_url = std::string(k_default_idp_url); // discovery: <idp_url>/.well-known/...
  std::string client_id = std::string(k_bodhi_client_id);
  std::string scopes = std::string(k_bodhi_scopes);
  std::string principal; // only named in error messages ("packager@FEDORAPROJECT.ORG")
};

// The endpoints of the provider's discovery document that the login uses.
struct OidcProvider {
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string redirect_uri; // out-of-band when the provider lists "oob" in response_modes
};

struct OidcTokens {
  std::string access_token;
  std::string refresh_token; // may be empty
  long expires_in = 0;       // seconds, 0 when not said
};

// Parses a discovery document. Fails (ErrorKind::http_status) naming a missing endpoint.
[[nodiscard]] Result<OidcProvider> parse_discovery(std::string_view body);

// The authorization code in a page whose <title> is "code=…&state=…" (surrounding whitespace
// allowed). Fails with ErrorKind::auth when there is none or when `expected_state` differs.
[[nodiscard]] Result<std::string> code_from_title(std::string_view html,
                                                  std::string_view expected_state);

// Obtains an access token with the Kerberos ticket in the default credential cache.
// `http` reaches the provider for discovery and the token endpoint; `negotiate_http` must be
// an HttpClient with ClientOptions::negotiate set, used only for the authorization URL.
// A 401/403 from the authorization URL is ErrorKind::auth saying the ticket is missing or not
// accepted; a refused code exchange is ErrorKind::auth with the provider's error description.
[[nodiscard]] Result<OidcTokens> login_with_kerberos(infra::http::HttpClient& http,
                                                     infra::http::HttpClient& negotiate_http,
                                                     const OidcSettings& settings);

} // namespace ferry::clients::fedora::bodhi
