// The Copr client against FakeHttpClient: Basic auth, the exist_ok query, the SCM build body,
// Build parsing against the recorded Copr answers in the shared corpus, and the web URLs.
#include "clients/fedora/copr/copr_client.hpp"
#include "infra/util/encoding.hpp"
#include "support/fake_http_client.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace ferry;
using namespace ferry::clients::fedora::copr;
using ferry::testing::FakeHttpClient;

namespace {

CoprSettings settings() {
  CoprSettings s;
  s.login = "api-login";
  s.token = "copr-token-abcdef";
  s.sleep = [](std::chrono::milliseconds) {};
  return s;
}

const std::string k_project =
    R"({"id":7,"name":"foo","ownername":"packit","full_name":"packit/foo",)"
    R"("chroot_repos":{"fedora-41-x86_64":"https://x/"}})";

} // namespace

TEST_CASE("a missing Copr project is added with exist_ok=True and Basic auth", "[clients][copr]") {
  FakeHttpClient http;
  http.on("GET /api_3/project?ownername=packit&projectname=foo", 404,
          R"({"error":"Project packit/foo does not exist."})");
  http.on("POST /api_3/project/add/packit?exist_ok=True", 200, k_project);
  CoprClient client(http, settings());
  ProjectSpec spec;
  spec.owner = "packit";
  spec.name = "foo";
  spec.chroots = {"fedora-41-x86_64"};
  auto project = client.ensure_project(spec);
  REQUIRE(project);
  CHECK(project->chroots == std::vector<std::string>{"fedora-41-x86_64"});
  REQUIRE(http.requests().size() == 2);
  const auto& add = http.requests()[1];
  CHECK(infra::http::find_header(add.headers, "Authorization") ==
        "Basic " + infra::util::base64_encode("api-login:copr-token-abcdef"));
  auto body = nlohmann::json::parse(add.body);
  CHECK(body["name"] == "foo");
  CHECK(body["chroots"] == nlohmann::json::array({"fedora-41-x86_64"}));
  CHECK(body["delete_after_days"] == 60);
  CHECK(add.retry_unsafe); // exist_ok makes the add repeatable
  CHECK(http.unexpected().empty());
}

TEST_CASE("an SCM build sends the source and options in one JSON body", "[clients][copr]") {
  FakeHttpClient http;
  http.on("POST /api_3/build/create/scm", 200,
          R"({"id":8123456,"state":"importing","ownername":"packit","projectname":"foo",)"
          R"("chroots":[],"source_package":{"name":null,"version":null,"url":null}})");
  CoprClient client(http, settings());
  ScmSource source;
  source.clone_url = "https://github.com/o/r.git";
  source.committish = "abc";
  source.spec = "r.spec";
  source.source_build_method = "make_srpm";
  BuildOptions options;
  options.chroots = {"fedora-41-x86_64"};
  options.timeout = 7200;
  options.packit_forge_project = "github.com/o/r";
  auto build = client.build_from_scm("packit", "foo", source, options);
  REQUIRE(build);
  CHECK(build->id == 8123456);
  CHECK(client.build_url(*build) ==
        "https://copr.fedorainfracloud.org/coprs/packit/foo/build/8123456/");
  auto body = nlohmann::json::parse(http.requests()[0].body);
  CHECK(body["ownername"] == "packit");
  CHECK(body["clone_url"] == "https://github.com/o/r.git");
  CHECK(body["source_build_method"] == "make_srpm");
  CHECK(body["chroots"] == nlohmann::json::array({"fedora-41-x86_64"}));
  CHECK(body["timeout"] == 7200);
  CHECK(body["packit_forge_project"] == "github.com/o/r");
  CHECK_FALSE(http.requests()[0].retry_unsafe);
}

TEST_CASE("a lost answer to a build is not sent again", "[clients][copr]") {
  FakeHttpClient http;
  http.on("POST /api_3/build/create/scm", 502, "Proxy Error");
  CoprClient client(http, settings());
  auto build = client.build_from_scm("packit", "foo", {}, {});
  REQUIRE_FALSE(build);
  CHECK(build.error().message().find("may have started the build") != std::string::npos);
  CHECK(http.requests().size() == 1);
}

TEST_CASE("Copr builds are read from the recorded build list", "[clients][copr][corpus]") {
  std::filesystem::path recorded(FERRY_SOURCE_DIR
                                 "/../shared/corpus/recorded/copr.fedorainfracloud.org/"
                                 "0001-GET-api_3-build-list--ownername-packit-projectname-p.json");
  if (!std::filesystem::exists(recorded)) {
    FERRY_PREREQUISITE_MISSING("shared corpus absent: " << recorded);
  }
  std::ifstream in(recorded);
  auto exchange = nlohmann::json::parse(in);
  auto build = parse_build(exchange["response_body"]["items"][0]);
  REQUIRE(build);
  CHECK(build->id == 2153723);
  CHECK(build->state == "succeeded");
  CHECK(build->source_package.name == "python-requre");
  CHECK(build->chroots.size() == 5);
  CHECK(build->ended_on == 1619783500);
  CHECK(is_terminal_state(build->state));
  CHECK_FALSE(is_terminal_state("running"));
  CHECK_FALSE(is_terminal_state("importing"));
}

TEST_CASE("a finished build succeeded only when every chroot did", "[clients][copr]") {
  FinishedBuild finished;
  finished.build.state = "succeeded";
  finished.chroots = {{"fedora-41-x86_64", "succeeded", "", {}, {}},
                      {"fedora-40-x86_64", "skipped", "", {}, {}}};
  CHECK(finished.succeeded());
  finished.chroots.push_back({"epel-9-x86_64", "failed", "", {}, {}});
  CHECK_FALSE(finished.succeeded());
}
