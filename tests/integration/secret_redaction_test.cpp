// A registered secret never appears in any output, in any of its forms: not in log lines
// (plain, GitHub or GitLab flavour), not in the HTTP client's request log, not in error
// messages, and not in anything the real `ferry` binary prints with a canary token in its
// environment. The only exception is GitHub's ::add-mask:: command, whose purpose is to tell
// the runner what to hide.
#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/process_runner.hpp"
#include "infra/util/encoding.hpp"
#include "support/http_test_server.hpp"
#include "support/log_capture.hpp"
#include "support/spawn_process_runner.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::testing;

namespace {

constexpr std::string_view k_canary = "ghs_CanaryT0ken/+=Xy9zQ";

// Every form the canary could leak in, as an attacker reading the log would search for it.
std::vector<std::string> leak_forms() {
  std::vector<std::string> forms = {std::string(k_canary), infra::util::percent_encode(k_canary),
                                    infra::util::base64_encode(k_canary)};
  for (std::string prefix : {"x-access-token:", "ferry-bot:", "a:"}) {
    std::string basic = infra::util::base64_encode(prefix + std::string(k_canary));
    forms.push_back(basic.substr(basic.size() - 12)); // the tail encodes only the secret
  }
  return forms;
}

void require_no_leak(const std::string& output) {
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    std::string line = output.substr(start, end - start);
    if (!line.starts_with("::add-mask::")) {
      for (const std::string& form : leak_forms()) {
        INFO("line: " << line << "\nform: " << form);
        CHECK(line.find(form) == std::string::npos);
      }
    }
    start = end == std::string::npos ? output.size() : end + 1;
  }
}

} // namespace

TEST_CASE("a registered secret is masked in every log flavour and every encoding",
          "[integration][secrets]") {
  ScopedLogCapture capture;
  infra::log::logger().register_secret(k_canary);
  std::string secret(k_canary);
  for (auto flavor :
       {infra::log::CiFlavor::none, infra::log::CiFlavor::github, infra::log::CiFlavor::gitlab}) {
    infra::log::logger().set_ci_flavor(flavor);
    infra::log::info("plain {}", secret);
    infra::log::warning("url https://bot:{}@example.org", infra::util::percent_encode(secret));
    infra::log::error("header Authorization: Basic {}",
                      infra::util::base64_encode("x-access-token:" + secret));
    infra::log::debug("b64 {}", infra::util::base64_encode(secret));
    infra::log::Group group("group " + secret);
    Error error(ErrorKind::auth, "token " + secret + " was refused");
    error.add_context("while using " + secret);
    infra::log::error("{}", error.describe());
  }
  infra::log::logger().set_ci_flavor(infra::log::CiFlavor::none);
  require_no_leak(capture.text());
  CHECK(capture.text().find("***") != std::string::npos);
}

TEST_CASE("the HTTP client's request log never shows a secret in a URL", "[integration][secrets]") {
  HttpTestServer server([](const TestRequest&) { return TestResponse{401, {}, "denied"}; });
  ScopedLogCapture capture;
  infra::log::logger().register_secret(k_canary);
  std::string secret(k_canary);
  infra::http::ClientOptions options;
  options.retry.max_attempts = 1;
  auto client = infra::http::make_curl_http_client(options);
  std::string base = "http://bot:" + infra::util::percent_encode(secret) +
                     "@127.0.0.1:" + std::to_string(server.port());
  infra::http::Request request;
  request.url = base + "/" + infra::util::percent_encode(secret) + "?private_token=" + secret;
  request.headers = {{"Authorization", "token " + secret}};
  auto response = client->send(request);
  REQUIRE(response);
  CHECK(response->status == 401);
  require_no_leak(capture.text());
  CHECK_FALSE(capture.lines().empty());
}

TEST_CASE("the ferry binary never prints a secret from its environment", "[integration][secrets]") {
  HttpTestServer server([](const TestRequest& request) {
    return TestResponse{request.path == "/ok" ? 200 : 403, {}, std::string(k_canary)};
  });
  std::string secret(k_canary);
  std::string encoded = infra::util::percent_encode(secret);
  for (std::string ci : {"", "GITHUB_ACTIONS", "GITLAB_CI"}) {
    infra::process::Command command;
    command.argv = {FERRY_BINARY,
                    "--verbose",
                    "doctor",
                    "http://bot:" + encoded + "@127.0.0.1:" + std::to_string(server.port()) + "/ok",
                    server.url("/" + encoded + "?token=" + encoded),
                    "http://127.0.0.1:1/" + encoded};
    command.env = {{"PATH", "/usr/bin:/bin"}, {"FERRY_DIST_GIT_TOKEN", secret}};
    if (!ci.empty()) {
      command.env[ci] = "true";
    }
    auto result = make_spawn_process_runner()->run(command);
    REQUIRE(result);
    INFO("CI=" << ci << "\nstdout:\n" << result->out << "\nstderr:\n" << result->err);
    CHECK(result->exit_code == 1); // two of the three URLs fail
    require_no_leak(result->out);
    require_no_leak(result->err);
    CHECK(result->out.find("-> 200") != std::string::npos);
  }
}
