// HTTP Negotiate (SPNEGO) against a real MIT KDC started by the test: the libcurl client, the
// ferry binary, and — when FERRY_STATIC_BINARY names it — the static binary authenticate with
// a ticket from the credential cache; without Negotiate the server refuses them.
#include "infra/http/http_client.hpp"
#include "infra/process/process_runner.hpp"
#include "support/http_test_server.hpp"
#include "support/kerberos_realm.hpp"
#include "support/skip.hpp"
#include "support/spawn_process_runner.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>

using namespace ferry;
using namespace ferry::testing;

namespace {

std::vector<std::string> binaries_under_test() {
  std::vector<std::string> binaries = {FERRY_BINARY};
  if (const char* static_binary = std::getenv("FERRY_STATIC_BINARY");
      static_binary != nullptr && ::access(static_binary, X_OK) == 0) {
    binaries.emplace_back(static_binary);
  }
  return binaries;
}

} // namespace

TEST_CASE("HTTP Negotiate authenticates with a ticket from a real KDC", "[integration][kerberos]") {
  std::string why;
  auto realm = KerberosRealm::start(why);
  if (!realm) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  std::string keytab = realm->service_keytab();
  HttpTestServer server(
      [&](const TestRequest& request) { return negotiate_protected(request, keytab); });
  std::string url = "http://localhost:" + std::to_string(server.port()) + "/kojihub";

  infra::http::Request request;
  request.url = url;
  infra::http::ClientOptions plain;
  plain.retry.max_attempts = 1;
  auto refused = infra::http::make_curl_http_client(plain)->send(request);
  REQUIRE(refused);
  CHECK(refused->status == 401);

  infra::http::ClientOptions negotiate = plain;
  negotiate.negotiate = true;
  auto accepted = infra::http::make_curl_http_client(negotiate)->send(request);
  REQUIRE(accepted);
  CHECK(accepted->status == 200);
  CHECK(accepted->body == "hello alice@FERRY.TEST");

  for (const std::string& binary : binaries_under_test()) {
    infra::process::Command command;
    command.argv = {binary, "doctor", "--negotiate", url};
    command.env = {{"PATH", "/usr/bin:/bin"},
                   {"KRB5_CONFIG", realm->krb5_conf()},
                   {"KRB5CCNAME", realm->ccache()}};
    auto result = make_spawn_process_runner()->run(command);
    REQUIRE(result);
    INFO(binary << "\n" << result->out << result->err);
    CHECK(result->exit_code == 0);
    CHECK(result->out.find("-> 200") != std::string::npos);
  }
}
