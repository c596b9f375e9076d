// The Copr client over real libcurl against FakeCopr: a project made once (exist_ok) and given
// missing chroots, SCM and SRPM builds polled with back-off until every chroot finished, a
// failing chroot reported per chroot, transient 5xx answers retried, and a refused token
// explained without showing it.
#include "clients/fedora/copr/copr_client.hpp"
#include "fakes/fake_copr.hpp"
#include "support/log_capture.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace ferry;
using namespace ferry::clients::fedora::copr;
using namespace ferry::testing;

namespace {

constexpr const char* k_token = "copr-token-Sekr1t-0123456789";

struct Copr {
  FakeCopr server{std::chrono::milliseconds(40)};
  std::unique_ptr<infra::http::HttpClient> http;
  std::vector<std::chrono::milliseconds> waits;

  Copr() {
    server.add_user("api-login-xyz", k_token, "packager", {"packit"});
    infra::http::ClientOptions options;
    options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(options);
  }

  CoprClient client(std::string token = k_token) {
    CoprSettings settings;
    settings.url = server.url();
    settings.login = "api-login-xyz";
    settings.token = std::move(token);
    settings.first_poll = std::chrono::milliseconds(10);
    settings.max_poll = std::chrono::milliseconds(25);
    settings.build_timeout = std::chrono::milliseconds(20'000);
    settings.sleep = [this](std::chrono::milliseconds delay) {
      waits.push_back(delay);
      std::this_thread::sleep_for(delay);
    };
    return CoprClient(*http, settings);
  }
};

ProjectSpec spec(std::vector<std::string> chroots) {
  ProjectSpec project;
  project.owner = "packager";
  project.name = "hello-pr-12";
  project.chroots = std::move(chroots);
  project.description = "Continuous builds of hello";
  return project;
}

ScmSource hello_source() {
  ScmSource source;
  source.clone_url = "https://github.com/hello-org/hello.git";
  source.committish = "4f1c9a0";
  source.spec = "hello.spec";
  return source;
}

} // namespace

TEST_CASE("a Copr project is created once and given the chroots it lacks", "[integration][copr]") {
  Copr copr;
  CoprClient client = copr.client();
  CHECK_FALSE(client.get_project("packager", "hello-pr-12").value());

  auto created = client.ensure_project(spec({"fedora-41-x86_64"}));
  INFO((created ? "" : created.error().describe()));
  REQUIRE(created);
  CHECK(created->full_name == "packager/hello-pr-12");
  auto again = client.ensure_project(spec({"fedora-41-x86_64", "fedora-rawhide-x86_64"}));
  REQUIRE(again);
  CHECK(again->id == created->id);
  auto stored = copr.server.projects();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["chroot_repos"].size() == 2);

  auto chroots = client.available_chroots();
  REQUIRE(chroots);
  CHECK(std::find(chroots->begin(), chroots->end(), "epel-9-x86_64") != chroots->end());
  CHECK(client.project_url("@packit", "hello") == copr.server.url() + "/coprs/g/packit/hello");
}

TEST_CASE("an SCM build in Copr is polled until every chroot succeeded", "[integration][copr]") {
  Copr copr;
  CoprClient client = copr.client();
  REQUIRE(client.ensure_project(spec({"fedora-41-x86_64", "fedora-rawhide-x86_64"})));
  BuildOptions options;
  options.timeout = 7200;
  auto build = client.build_from_scm("packager", "hello-pr-12", hello_source(), options);
  INFO((build ? "" : build.error().describe()));
  REQUIRE(build);
  CHECK(build->state == "importing");
  CHECK(client.build_url(*build) ==
        copr.server.url() + "/coprs/packager/hello-pr-12/build/" + std::to_string(build->id) + "/");

  std::set<std::string> seen;
  auto finished = client.wait_for_build(
      build->id, [&](const Build& b, const std::vector<BuildChroot>& chroots) {
        seen.insert("build=" + b.state);
        for (const BuildChroot& chroot : chroots) {
          seen.insert(chroot.name + "=" + chroot.state);
        }
      });
  INFO((finished ? "" : finished.error().describe()));
  REQUIRE(finished);
  CHECK(finished->succeeded());
  REQUIRE(finished->chroots.size() == 2);
  for (const BuildChroot& chroot : finished->chroots) {
    CHECK(chroot.state == "succeeded");
    CHECK(chroot.result_url.find("/results/packager/hello-pr-12/" + chroot.name + "/") !=
          std::string::npos);
  }
  CHECK(seen.count("fedora-41-x86_64=running") == 1);
  CHECK(seen.count("build=running") == 1);
  CHECK(finished->build.source_package.name == "hello");
  // back-off: the waits grow and stay capped
  REQUIRE(copr.waits.size() >= 3);
  CHECK(copr.waits[1] > copr.waits[0]);
  CHECK(copr.waits.back() <= std::chrono::milliseconds(25));
}

TEST_CASE("a failing Copr chroot fails the build and is named", "[integration][copr]") {
  Copr copr;
  copr.server.fail_chroot("epel-9-x86_64");
  CoprClient client = copr.client();
  REQUIRE(client.ensure_project(spec({"fedora-41-x86_64", "epel-9-x86_64"})));
  auto build = client.build_from_scm("packager", "hello-pr-12", hello_source(), {});
  REQUIRE(build);
  auto finished = client.wait_for_build(build->id);
  REQUIRE(finished);
  CHECK_FALSE(finished->succeeded());
  CHECK(finished->build.state == "failed");
  for (const BuildChroot& chroot : finished->chroots) {
    CHECK(chroot.state == (chroot.name == "epel-9-x86_64" ? "failed" : "succeeded"));
  }
}

TEST_CASE("an SRPM is uploaded to Copr and built", "[integration][copr]") {
  Copr copr;
  TempDir dir;
  std::string content(300'000, 'r');
  auto srpm = dir.write("hello-1.1-1.fc41.src.rpm", content);
  CoprClient client = copr.client();
  REQUIRE(client.ensure_project(spec({"fedora-41-x86_64"})));
  auto build = client.build_from_srpm("packager", "hello-pr-12", srpm, {});
  INFO((build ? "" : build.error().describe()));
  REQUIRE(build);
  auto uploads = copr.server.uploads();
  REQUIRE(uploads.count("hello-1.1-1.fc41.src.rpm") == 1);
  CHECK(uploads["hello-1.1-1.fc41.src.rpm"] == content);
  auto finished = client.wait_for_build(build->id);
  REQUIRE(finished);
  CHECK(finished->succeeded());
}

TEST_CASE("Copr's transient server errors are retried while polling", "[integration][copr]") {
  Copr copr;
  CoprClient client = copr.client();
  REQUIRE(client.ensure_project(spec({"fedora-41-x86_64"})));
  auto build = client.build_from_scm("packager", "hello-pr-12", hello_source(), {});
  REQUIRE(build);
  copr.server.inject("GET /api_3/build/", TestResponse{502, {}, "Proxy Error"}, 2);
  copr.server.inject("GET /api_3/build-chroot/list", TestResponse{503, {}, "busy"}, 1);
  auto finished = client.wait_for_build(build->id);
  INFO((finished ? "" : finished.error().describe()));
  REQUIRE(finished);
  CHECK(finished->succeeded());
}

TEST_CASE("Copr refuses a wrong token and a stranger's project clearly", "[integration][copr]") {
  Copr copr;
  ScopedLogCapture capture;
  SECTION("wrong token") {
    CoprClient client = copr.client("copr-token-Wrong-9876543210");
    auto result = client.ensure_project(spec({"fedora-41-x86_64"}));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::auth);
    CHECK(result.error().message().find("Login invalid/expired") != std::string::npos);
    CHECK(result.error().message().find("`copr_token`") != std::string::npos);
    CHECK(result.error().message().find("copr-token-Wrong") == std::string::npos);
  }
  SECTION("someone else's project") {
    CoprClient client = copr.client();
    ProjectSpec other = spec({"fedora-41-x86_64"});
    other.owner = "someone-else";
    auto result = client.ensure_project(other);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::auth);
  }
  SECTION("a chroot Copr does not have") {
    CoprClient client = copr.client();
    auto result = client.ensure_project(spec({"fedora-7-vax"}));
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("Unexpected chroot: fedora-7-vax") != std::string::npos);
  }
  CHECK(capture.text().find(k_token) == std::string::npos);
}

TEST_CASE("a commit's build is found again among the project's builds", "[integration][copr]") {
  Copr copr;
  CoprClient client = copr.client();
  CHECK(client.current_user().value() == "packager");
  REQUIRE(client.ensure_project(spec({"fedora-41-x86_64"})));
  auto first = client.build_from_scm("packager", "hello-pr-12", hello_source(), {});
  REQUIRE(first);
  ScmSource other = hello_source();
  other.committish = "9e8d7c6";
  auto second = client.build_from_scm("packager", "hello-pr-12", other, {});
  REQUIRE(second);

  auto builds = client.recent_builds("packager", "hello-pr-12", 10);
  INFO((builds ? "" : builds.error().describe()));
  REQUIRE(builds);
  REQUIRE(builds->size() == 2);
  CHECK(builds->front().id == second->id); // newest first
  CHECK(builds->back().chroots == std::vector<std::string>{"fedora-41-x86_64"});
  CHECK(client.recent_builds("packager", "hello-pr-12", 1)->size() == 1);

  auto source = client.build_source(first->id);
  INFO((source ? "" : source.error().describe()));
  REQUIRE(source);
  CHECK(source->source_type == "scm");
  CHECK(source->clone_url == "https://github.com/hello-org/hello.git");
  CHECK(source->committish == "4f1c9a0");
  CHECK(source->spec == "hello.spec");
  CHECK(client.build_source(999).error().kind() == ErrorKind::not_found);
  CHECK(client.recent_builds("packager", "missing", 5).error().kind() == ErrorKind::not_found);
}
