// The Testing Farm client against FakeHttpClient: the request body (tmt source, environments,
// artifacts, no key in the body), Bearer auth, compose names, status parsing and the 404 that
// older deployments give to an unknown key.
#include "clients/fedora/testing_farm/testing_farm_client.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::fedora::testing_farm;
using ferry::testing::FakeHttpClient;

namespace {

TestingFarmSettings settings() {
  TestingFarmSettings s;
  s.api_key = "tf-key-abcdef";
  s.sleep = [](std::chrono::milliseconds) {};
  return s;
}

} // namespace

TEST_CASE("composes and environments follow Packit's names", "[clients][testing_farm]") {
  CHECK(compose_for("fedora-41") == "Fedora-41");
  CHECK(compose_for("fedora-rawhide") == "Fedora-Rawhide");
  CHECK(compose_for("centos-stream-9") == "CentOS-Stream-9");
  CHECK(compose_for("epel-9") == "epel-9");
  Environment environment = environment_for_chroot("fedora-rawhide-aarch64");
  CHECK(environment.arch == "aarch64");
  CHECK(environment.compose == "Fedora-Rawhide");
  CHECK(environment.tmt_context.at("distro") == "fedora-rawhide");
}

TEST_CASE("a test request is posted with Bearer auth and the tmt source",
          "[clients][testing_farm]") {
  FakeHttpClient http;
  http.on("POST /v0.1/requests", 200, R"({"id":"51335c9e-355e-46ff-a915-76194898c29d"})");
  TestingFarmClient client(http, settings());
  RequestSpec spec;
  spec.test = {"https://src.fedoraproject.org/rpms/hello.git",
               "4f1c9a",
               std::nullopt,
               ".",
               "/plans/smoke",
               "tag:ci"};
  Environment environment = environment_for_chroot("fedora-41-x86_64");
  environment.artifacts = {koji_build_artifact(124577301),
                           copr_build_artifact(8123456, "fedora-41-x86_64", {"hello-1.1-1.fc41"})};
  environment.variables = {{"PACKIT_FOO", "1"}};
  spec.environments = {environment};
  spec.pipeline_timeout = 720;
  auto id = client.submit(spec);
  REQUIRE(id);
  CHECK(*id == "51335c9e-355e-46ff-a915-76194898c29d");
  const auto& request = http.requests().at(0);
  CHECK(infra::http::find_header(request.headers, "Authorization") == "Bearer tf-key-abcdef");
  auto body = nlohmann::json::parse(request.body);
  CHECK(body["test"]["tmt"]["url"] == "https://src.fedoraproject.org/rpms/hello.git");
  CHECK(body["test"]["tmt"]["name"] == "/plans/smoke");
  CHECK(body["test"]["tmt"]["plan_filter"] == "tag:ci");
  const auto& env = body["environments"][0];
  CHECK(env["os"]["compose"] == "Fedora-41");
  CHECK(env["artifacts"][0] ==
        nlohmann::json({{"id", "124577301"}, {"type", "fedora-koji-build"}}));
  CHECK(env["artifacts"][1]["id"] == "8123456:fedora-41-x86_64");
  CHECK(env["artifacts"][1]["packages"] == nlohmann::json::array({"hello-1.1-1.fc41"}));
  CHECK(env["variables"]["PACKIT_FOO"] == "1");
  CHECK(body["settings"]["pipeline"]["timeout"] == 720);
  CHECK(request.body.find("tf-key-abcdef") == std::string::npos);
  CHECK_FALSE(request.retry_unsafe);
}

TEST_CASE("a 404 to a submission means the key is unknown", "[clients][testing_farm]") {
  FakeHttpClient http;
  http.on("POST /v0.1/requests", 404, R"({"message":"No such entity"})");
  auto id = TestingFarmClient(http, settings()).submit({});
  REQUIRE_FALSE(id);
  CHECK(id.error().kind() == ErrorKind::auth);
  CHECK(id.error().message().find("`testing_farm_token`") != std::string::npos);
}

TEST_CASE("request states and results are read as documented", "[clients][testing_farm]") {
  auto status = parse_request_status(nlohmann::json::parse(
      R"({"id":"u","state":"complete","result":{"overall":"skipped","summary":null},)"
      R"("run":{"artifacts":"https://artifacts.testing-farm.io/u"}})"));
  REQUIRE(status);
  CHECK(status->finished());
  CHECK(status->passed());
  CHECK(status->artifacts_url == "https://artifacts.testing-farm.io/u");
  auto queued = parse_request_status(
      nlohmann::json::parse(R"({"id":"u","state":"queued","result":null,"run":null})"));
  REQUIRE(queued);
  CHECK_FALSE(queued->finished());
  CHECK(queued->overall.empty());
  CHECK_FALSE(parse_request_status(nlohmann::json::parse(R"({"state":"new"})")));
}

TEST_CASE("polling stops at a timeout and says where to look", "[clients][testing_farm]") {
  FakeHttpClient http;
  http.on("GET /v0.1/requests/u", 200, R"({"id":"u","state":"running"})");
  TestingFarmSettings s = settings();
  s.first_poll = std::chrono::milliseconds(1000);
  s.max_poll = std::chrono::milliseconds(4000);
  s.request_timeout = std::chrono::milliseconds(10'000);
  std::vector<std::chrono::milliseconds> waits;
  s.sleep = [&](std::chrono::milliseconds d) { waits.push_back(d); };
  auto status = TestingFarmClient(http, s).wait_for_request("u");
  REQUIRE_FALSE(status);
  CHECK(status.error().kind() == ErrorKind::timeout);
  CHECK(status.error().message().find("/v0.1/requests/u") != std::string::npos);
  REQUIRE(waits.size() >= 4);
  CHECK(waits[0] == std::chrono::milliseconds(1000));
  CHECK(waits[1] == std::chrono::milliseconds(1500));
  CHECK(waits.back() == std::chrono::milliseconds(4000));
}
