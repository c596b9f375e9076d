// A fake of Fedora's OpenID Connect provider (Ipsilon at id.fedoraproject.org/openidc) with
// the endpoints a non-interactive Bodhi login uses (fedora-protocols §5.2): the discovery
// document (as recorded from the real one, with this server's URLs), `Authorization` guarded
// by HTTP Negotiate against a real KDC's keytab (the code comes back in the page's <title>,
// out of band), `Token` (authorization_code grant for the public client bodhi-client, codes
// usable once), `TokenInfo` (introspection, as Bodhi calls it) and `UserInfo`.
// Without a keytab the fake trusts every authorization request as `trusted_user` (for
// standalone runs with no KDC); tests of Kerberos pass the realm's service keytab.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeOidcProvider {
public:
  struct TokenInfo {
    std::string user;
    std::string scope;
    std::string client_id;
  };

  explicit FakeOidcProvider(std::optional<std::string> keytab = std::nullopt,
                            std::string trusted_user = "packager");

  // http://localhost:<port>/openidc (Kerberos needs the host name, not the address).
  std::string url() const;
  // Answers a request for /openidc/... (also used by FakeBodhi to serve the provider itself).
  TestResponse handle(const TestRequest& request);

  // The introspection of an access token: nullopt when unknown or revoked.
  std::optional<TokenInfo> introspect(const std::string& access_token) const;
  // A token issued outside the login flow (e.g. with fewer scopes).
  void issue_token(const std::string& access_token, TokenInfo info);
  void revoke_all();
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);
  std::size_t codes_issued() const;
  // Every code and token handed out (for checking that none reached a log).
  std::vector<std::string> secrets_issued() const;

private:
  TestResponse answer(const TestRequest& request);
  TestResponse authorize(const TestRequest& request);
  TestResponse token(const TestRequest& request);
  TestResponse token_info(const TestRequest& request);

  struct Grant {
    std::string user;
    std::string scope;
    std::string client_id;
    std::string redirect_uri;
  };

  std::optional<std::string> m_keytab;
  std::string m_trusted_user;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  std::map<std::string, Grant> m_codes;
  std::map<std::string, TokenInfo> m_tokens;
  std::size_t m_codes_issued = 0;
  std::vector<std::string> m_secrets;
  FaultInjector m_faults;
};

// A random lower-case hex string of `length` characters (tokens, ids).
std::string random_hex(std::size_t length);
// The base URL a request was addressed to ("http://localhost:1234"), from its Host header.
std::string request_origin(const TestRequest& request);
// All values of a form or query string, repeated keys kept ("builds=a&builds=b").
std::multimap<std::string, std::string> parse_form_values(const std::string& text);

} // namespace ferry::testing
