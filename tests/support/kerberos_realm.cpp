#include "support/kerberos_realm.hpp"

#include "infra/process/process_runner.hpp"
#include "infra/util/encoding.hpp"
#include "support/http_test_server.hpp"
#include "support/spawn_process_runner.hpp"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace ferry::testing {

namespace {

std::string tool(const char* name) {
  for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"}) {
    std::string path = std::string(dir) + name;
    if (::access(path.c_str(), X_OK) == 0) {
      return path;
    }
  }
  return "";
}

} // namespace

std::unique_ptr<KerberosRealm> KerberosRealm::start(std::string& why) {
  for (const char* name : {"krb5kdc", "kdb5_util", "kadmin.local", "kinit"}) {
    if (tool(name).empty()) {
      why = std::string(name) + " not installed (Debian packages krb5-kdc, krb5-admin-server, "
                                "krb5-user): skipping the Kerberos test";
      return nullptr;
    }
  }
  std::unique_ptr<KerberosRealm> realm(new KerberosRealm());
  if (!realm->set_up(why)) {
    return nullptr;
  }
  return realm;
}

bool KerberosRealm::set_up(std::string& why) {
  std::uint16_t port = free_port();
  std::string dir = m_dir.path().string();
  std::string port_text = std::to_string(port);
  m_dir.write("kdc.conf",
              "[kdcdefaults]\n kdc_ports = " + port_text + "\n kdc_tcp_ports = " + port_text +
                  "\n[realms]\n " + k_realm + " = {\n  database_name = " + dir +
                  "/principal\n  key_stash_file = " + dir + "/stash\n  acl_file = " + dir +
                  "/kadm5.acl\n  kdc_ports = " + port_text + "\n  kdc_tcp_ports = " + port_text +
                  "\n }\n[logging]\n kdc = FILE:" + dir + "/kdc.log\n");
  m_dir.write("krb5.conf", std::string("[libdefaults]\n default_realm = ") + k_realm +
                               "\n dns_lookup_kdc = false\n dns_lookup_realm = false\n"
                               " rdns = false\n dns_canonicalize_hostname = false\n"
                               " udp_preference_limit = 1\n[realms]\n " +
                               k_realm + " = {\n  kdc = 127.0.0.1:" + port_text +
                               "\n }\n[domain_realm]\n localhost = " + k_realm + "\n");
  m_dir.write("kadm5.acl", "");
  ::setenv("KRB5_CONFIG", krb5_conf().c_str(), 1);
  ::setenv("KRB5_KDC_PROFILE", (m_dir / "kdc.conf").c_str(), 1);
  ::setenv("KRB5CCNAME", ccache().c_str(), 1);

  auto runner = make_spawn_process_runner();
  auto run = [&](std::vector<std::string> argv) {
    infra::process::Command command;
    command.argv = std::move(argv);
    command.inherit_environment = true;
    command.timeout = std::chrono::milliseconds(30'000);
    auto result = runner->run(command);
    if (!result || result->exit_code != 0) {
      why = command.argv[0] + " failed: " + (result ? result->err : result.error().message());
      return false;
    }
    return true;
  };
  std::string user_keytab = (m_dir / "user.keytab").string();
  if (!run({tool("kdb5_util"), "create", "-s", "-r", k_realm, "-P", "master-password"}) ||
      !run({tool("kadmin.local"), "-r", k_realm, "-q", "addprinc -randkey HTTP/localhost"}) ||
      !run({tool("kadmin.local"), "-r", k_realm, "-q",
            "ktadd -k " + service_keytab() + " HTTP/localhost"}) ||
      !run({tool("kadmin.local"), "-r", k_realm, "-q",
            std::string("addprinc -randkey ") + k_user}) ||
      !run({tool("kadmin.local"), "-r", k_realm, "-q", "ktadd -k " + user_keytab + " " + k_user})) {
    return false;
  }
  m_kdc = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{tool("krb5kdc"), "-n", "-r", k_realm}, m_dir / "krb5kdc.out");
  if (!m_kdc->wait_for_port(port, std::chrono::milliseconds(5000))) {
    why = "krb5kdc did not listen on port " + port_text + ": " + read_file(m_dir / "kdc.log") +
          m_kdc->log_tail();
    return false;
  }
  return run({tool("kinit"), "-k", "-t", user_keytab, k_user});
}

KerberosRealm::~KerberosRealm() {
  m_kdc.reset();
  ::unsetenv("KRB5_CONFIG");
  ::unsetenv("KRB5_KDC_PROFILE");
  ::unsetenv("KRB5CCNAME");
}

std::optional<std::string> negotiated_principal(const TestRequest& request,
                                                const std::string& keytab,
                                                std::string* reply_token) {
  auto header = request.header("Authorization");
  if (!header || !header->starts_with("Negotiate ")) {
    return std::nullopt;
  }
  auto token = infra::util::base64_decode(header->substr(10));
  if (!token) {
    return std::nullopt;
  }
  OM_uint32 minor = 0;
  krb5_gss_register_acceptor_identity(keytab.c_str());
  gss_buffer_desc input{token->size(), token->data()};
  gss_ctx_id_t context = GSS_C_NO_CONTEXT;
  gss_name_t client = GSS_C_NO_NAME;
  gss_buffer_desc output{0, nullptr};
  OM_uint32 major = gss_accept_sec_context(&minor, &context, GSS_C_NO_CREDENTIAL, &input,
                                           GSS_C_NO_CHANNEL_BINDINGS, &client, nullptr, &output,
                                           nullptr, nullptr, nullptr);
  std::optional<std::string> principal;
  if (major == GSS_S_COMPLETE) {
    gss_buffer_desc name{0, nullptr};
    gss_display_name(&minor, client, &name, nullptr);
    principal = std::string(static_cast<char*>(name.value), name.length);
    gss_release_buffer(&minor, &name);
    if (output.length > 0 && reply_token != nullptr) {
      *reply_token = "Negotiate " + infra::util::base64_encode(std::string_view(
                                        static_cast<const char*>(output.value), output.length));
    }
  }
  gss_release_buffer(&minor, &output);
  gss_release_name(&minor, &client);
  gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
  return principal;
}

TestResponse negotiate_protected(const TestRequest& request, const std::string& keytab) {
  std::string reply_token;
  auto principal = negotiated_principal(request, keytab, &reply_token);
  if (!principal) {
    return TestResponse{401, {{"WWW-Authenticate", "Negotiate"}}, ""};
  }
  TestResponse response{200, {}, "hello " + *principal};
  if (!reply_token.empty()) {
    response.headers.emplace_back("WWW-Authenticate", reply_token);
  }
  return response;
}

} // namespace ferry::testing
