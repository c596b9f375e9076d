#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra;

namespace {
constexpr const char* k_token = "OUTGOINGCANARY000000000000000000000001";
}

TEST_CASE("text bodies leave the process with every secret masked", "[infra][http]") {
  log::logger().register_secret(k_token);
  http::Request request;
  request.method = http::Method::post;
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", k_token}};
  request.body = std::string(R"({"body":"the server said: token )") + k_token + "\"}";
  http::Request sent = http::outgoing(request);
  CHECK(sent.body == R"({"body":"the server said: token ***"})");
  CHECK(sent.headers == request.headers); // credentials in headers are how ferry logs in

  request.credentials_in_body = {k_token};
  CHECK(http::outgoing(request).body == request.body);
}

TEST_CASE("binary bodies and file parts are sent as they are", "[infra][http]") {
  log::logger().register_secret(k_token);
  http::Request request;
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body = std::string("\x1f\x8b") + k_token;
  CHECK(http::outgoing(request).body == request.body);

  http::Request form;
  form.multipart = {{"notes", std::string("echo ") + k_token, std::nullopt, "", ""},
                    {"file", std::string(k_token), std::nullopt, "a.tar.gz", "application/gzip"}};
  http::Request sent = http::outgoing(form);
  CHECK(sent.multipart[0].value == "echo ***");
  CHECK(sent.multipart[1].value == k_token);
}
