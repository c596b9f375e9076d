// The Bodhi releases client over real libcurl against a local server answering with the
// recorded Bodhi body.
#include "clients/fedora/bodhi/releases_client.hpp"
#include "support/http_test_server.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

TEST_CASE("Bodhi releases are fetched over HTTP with curl", "[integration][bodhi]") {
  std::ifstream in(std::filesystem::path(FERRY_SOURCE_DIR) / "tests/fixtures/bodhi/releases.json");
  std::ostringstream body;
  body << in.rdbuf();
  ferry::testing::HttpTestServer server([&](const ferry::testing::TestRequest& request) {
    ferry::testing::TestResponse response;
    if (request.path != "/releases/" ||
        request.query != "state=current&state=pending&state=frozen&page=1") {
      response.status = 404;
      return response;
    }
    response.headers.emplace_back("Content-Type", "application/json");
    response.body = body.str();
    return response;
  });
  ferry::infra::http::HttpLibraryGuard guard;
  ferry::infra::http::ClientOptions options;
  options.retry.max_attempts = 1;
  auto http = ferry::infra::http::make_curl_http_client(options);
  std::string base = server.url("");
  if (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  ferry::clients::fedora::bodhi::ReleasesClient client(*http, base);
  auto releases = client.active_releases();
  REQUIRE(releases);
  CHECK(releases->size() == 17);
  CHECK(server.request_count() == 1);
}
