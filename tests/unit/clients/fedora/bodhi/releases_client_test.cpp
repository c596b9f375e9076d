#include "clients/fedora/bodhi/releases_client.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using ferry::clients::fedora::bodhi::ReleasesClient;
using ferry::testing::FakeHttpClient;

std::string recorded_body() {
  std::ifstream in(std::filesystem::path(FERRY_SOURCE_DIR) / "tests/fixtures/bodhi/releases.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string k_route = "GET /releases/?state=current&state=pending&state=frozen&page=";

} // namespace

TEST_CASE("Bodhi releases are read from the recorded answer", "[clients][bodhi]") {
  FakeHttpClient http;
  http.on(k_route + "1", 200, recorded_body());
  ReleasesClient client(http);
  auto releases = client.active_releases();
  REQUIRE(releases);
  CHECK(releases->size() == 17);
  CHECK(releases->front().name == "ELN");
  CHECK(http.unexpected().empty());
  REQUIRE(http.requests().size() == 1);
  CHECK(
      http.requests()[0].url ==
      "https://bodhi.fedoraproject.org/releases/?state=current&state=pending&state=frozen&page=1");
}

TEST_CASE("Bodhi releases follow pagination until the last page", "[clients][bodhi]") {
  FakeHttpClient http;
  http.on(k_route + "1", 200,
          R"({"releases":[{"name":"F41","version":"41","state":"current","branch":"f41",)"
          R"("id_prefix":"FEDORA"}],"page":1,"pages":2})");
  http.on(k_route + "2", 200,
          R"({"releases":[{"name":"F42","version":"42","state":"pending","branch":"rawhide",)"
          R"("id_prefix":"FEDORA"}],"page":2,"pages":2})");
  ReleasesClient client(http);
  auto releases = client.active_releases();
  REQUIRE(releases);
  REQUIRE(releases->size() == 2);
  CHECK((*releases)[1].branch == "rawhide");
  CHECK(http.requests().size() == 2);
}

TEST_CASE("Bodhi releases are fetched once per run", "[clients][bodhi]") {
  FakeHttpClient http;
  http.on(k_route + "1", 200, recorded_body());
  ReleasesClient client(http);
  REQUIRE(client.active_releases());
  REQUIRE(client.active_releases());
  CHECK(http.requests().size() == 1);
}

TEST_CASE("A Bodhi error status is an http_status error", "[clients][bodhi]") {
  FakeHttpClient http;
  http.on(k_route + "1", 503, "Service Unavailable");
  ReleasesClient client(http);
  auto releases = client.active_releases();
  REQUIRE_FALSE(releases);
  CHECK(releases.error().kind() == ferry::ErrorKind::http_status);
  CHECK(releases.error().http_status() == 503);
}

TEST_CASE("A malformed Bodhi answer names what is wrong", "[clients][bodhi]") {
  auto not_json = ferry::clients::fedora::bodhi::parse_releases_page("<html>");
  REQUIRE_FALSE(not_json);
  auto missing = ferry::clients::fedora::bodhi::parse_releases_page(
      R"({"releases":[{"name":"F41","state":"current","branch":"f41","id_prefix":"FEDORA"}]})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() == "Bodhi releases: releases[0].version is missing or not text");
}
