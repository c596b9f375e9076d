// The Testing Farm client over real libcurl against FakeTestingFarm: a request with a Copr
// build artifact submitted with Bearer auth and polled with back-off to `passed` or `failed`,
// an infrastructure error told apart from failing tests, validation and key refusals reported
// clearly, and cancellation of a finished request not an error.
#include "clients/fedora/testing_farm/testing_farm_client.hpp"
#include "fakes/fake_testing_farm.hpp"
#include "support/log_capture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace ferry;
using namespace ferry::clients::fedora::testing_farm;
using namespace ferry::testing;

namespace {

constexpr const char* k_key = "tf-api-key-Sekr1t-0123456789";

struct Farm {
  FakeTestingFarm server{std::chrono::milliseconds(30)};
  std::unique_ptr<infra::http::HttpClient> http;

  Farm() {
    server.add_api_key(k_key, "packager");
    infra::http::ClientOptions options;
    options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(options);
  }

  TestingFarmClient client(std::string key = k_key) {
    TestingFarmSettings settings;
    settings.url = server.url();
    settings.api_key = std::move(key);
    settings.first_poll = std::chrono::milliseconds(10);
    settings.max_poll = std::chrono::milliseconds(20);
    settings.request_timeout = std::chrono::milliseconds(20'000);
    settings.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    return TestingFarmClient(*http, settings);
  }
};

RequestSpec copr_request() {
  RequestSpec spec;
  spec.test.url = "https://github.com/hello-org/hello.git";
  spec.test.ref = "4f1c9a0";
  spec.test.plan_filter = "tag:ci";
  Environment environment = environment_for_chroot("fedora-41-x86_64");
  environment.artifacts.push_back(copr_build_artifact(8000001, "fedora-41-x86_64"));
  environment.tmt_context["trigger"] = "commit";
  spec.environments.push_back(environment);
  return spec;
}

} // namespace

TEST_CASE("a Testing Farm request is submitted and polled until it passed",
          "[integration][testing_farm]") {
  Farm farm;
  ScopedLogCapture capture;
  TestingFarmClient client = farm.client();
  auto id = client.submit(copr_request());
  INFO((id ? "" : id.error().describe()));
  REQUIRE(id);
  auto submitted = farm.server.submitted();
  REQUIRE(submitted.count(*id) == 1);
  const auto& body = submitted[*id];
  CHECK(body["environments"][0]["artifacts"][0]["id"] == "8000001:fedora-41-x86_64");
  CHECK(body["environments"][0]["artifacts"][0]["type"] == "fedora-copr-build");
  CHECK(body["environments"][0]["os"]["compose"] == "Fedora-41");
  CHECK_FALSE(body.contains("api_key")); // the key goes in the header only

  std::vector<std::string> states;
  auto status =
      client.wait_for_request(*id, [&](const RequestStatus& s) { states.push_back(s.state); });
  INFO((status ? "" : status.error().describe()));
  REQUIRE(status);
  CHECK(status->state == "complete");
  CHECK(status->overall == "passed");
  CHECK(status->passed());
  CHECK(status->artifacts_url == farm.server.url() + "/artifacts/" + *id);
  CHECK(states.back() == "complete");
  CHECK(std::find(states.begin(), states.end(), "running") != states.end());
  CHECK(capture.text().find(k_key) == std::string::npos);
}

TEST_CASE("failing tests and infrastructure errors are told apart", "[integration][testing_farm]") {
  Farm farm;
  TestingFarmClient client = farm.client();
  SECTION("tests failed") {
    farm.server.set_outcome("failed");
    auto status = client.wait_for_request(client.submit(copr_request()).value());
    REQUIRE(status);
    CHECK(status->state == "complete");
    CHECK(status->overall == "failed");
    CHECK_FALSE(status->passed());
  }
  SECTION("the farm could not run them") {
    farm.server.set_outcome("infrastructure");
    auto status = client.wait_for_request(client.submit(copr_request()).value());
    REQUIRE(status);
    CHECK(status->state == "error");
    CHECK(status->summary == "Guest provisioning failed");
    CHECK_FALSE(status->passed());
  }
}

TEST_CASE("Testing Farm refusals are reported clearly", "[integration][testing_farm]") {
  Farm farm;
  SECTION("unknown API key") {
    auto id = farm.client("tf-api-key-Wrong-000000000").submit(copr_request());
    REQUIRE_FALSE(id);
    CHECK(id.error().kind() == ErrorKind::auth);
    CHECK(id.error().message().find("`testing_farm_token`") != std::string::npos);
  }
  SECTION("unsupported architecture") {
    RequestSpec spec = copr_request();
    spec.environments[0].arch = "vax";
    auto id = farm.client().submit(spec);
    REQUIRE_FALSE(id);
    CHECK(id.error().kind() == ErrorKind::http_status);
    CHECK(id.error().message().find("'vax' is not supported") != std::string::npos);
  }
  CHECK(farm.server.submitted().empty());
}

TEST_CASE("a Testing Farm request is cancelled, and a finished one is left alone",
          "[integration][testing_farm]") {
  Farm farm;
  TestingFarmClient client = farm.client();
  std::string id = client.submit(copr_request()).value();
  REQUIRE(client.cancel(id));
  REQUIRE(client.cancel(id)); // 204: already requested
  auto status = client.wait_for_request(id);
  REQUIRE(status);
  CHECK(status->state == "canceled");
  std::string done = client.submit(copr_request()).value();
  REQUIRE(client.wait_for_request(done));
  CHECK(client.cancel(done)); // 409: already finished
}
