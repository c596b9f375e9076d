// A real MIT Kerberos realm for tests: a KDC (krb5kdc from Debian's krb5-kdc) on 127.0.0.1
// with its own database in a temporary directory, the service principal HTTP/localhost in a
// keytab, and a user principal with a credential cache obtained with `kinit -k` (no prompt).
// The process environment points KRB5_CONFIG and KRB5CCNAME at it while the object lives.
#pragma once

#include "support/background_process.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <optional>
#include <string>

namespace ferry::testing {

class KerberosRealm {
public:
  static constexpr const char* k_realm = "FERRY.TEST";
  static constexpr const char* k_user = "alice";

  // nullopt-like: returns nullptr with `why` set when the KDC tools are missing or the KDC
  // does not start (tests then skip with that message).
  static std::unique_ptr<KerberosRealm> start(std::string& why);
  ~KerberosRealm();
  KerberosRealm(const KerberosRealm&) = delete;
  KerberosRealm& operator=(const KerberosRealm&) = delete;

  std::string krb5_conf() const { return (m_dir / "krb5.conf").string(); }
  std::string service_keytab() const { return (m_dir / "http.keytab").string(); }
  std::string ccache() const { return "FILE:" + (m_dir / "ccache").string(); }
  // The keytab of the user principal (alice@FERRY.TEST), for logins without kinit.
  std::string user_keytab() const { return (m_dir / "user.keytab").string(); }

private:
  KerberosRealm() = default;
  bool set_up(std::string& why);

  TempDir m_dir;
  std::unique_ptr<BackgroundProcess> m_kdc;
};

// An HTTP handler body for Negotiate (SPNEGO) authentication with the service keytab:
// 200 "hello <principal>" when the client's token is accepted, else 401 with
// "WWW-Authenticate: Negotiate".
struct TestRequest;
struct TestResponse;
TestResponse negotiate_protected(const TestRequest& request, const std::string& keytab);
// The client principal ("alice@FERRY.TEST") of a request whose Negotiate token the service
// keytab accepts, else nullopt; `reply_token` receives the mutual-authentication header value
// ("Negotiate <token>") when the server has one to send back.
std::optional<std::string> negotiated_principal(const TestRequest& request,
                                                const std::string& keytab,
                                                std::string* reply_token = nullptr);

} // namespace ferry::testing
