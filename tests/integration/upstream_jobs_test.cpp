// copr_build and tests end to end: the real `ferry` binary, run as a GitHub Actions step on
// comments on an upstream pull request, against FakeGitHub, FakeCopr and FakeTestingFarm.
// `/packit build` by a writer: the Copr project made, one build of the PR head, rpm-build and
// testing-farm checks per chroot ending in success, the build in the outputs; the same event
// again: nothing new; a new comment: a new build. A reader is refused once. `/packit test` and
// `/packit retest-failed`; failing chroots and tests fail the run; transient 5xx answers are
// retried, refused credentials fail at once and say which setting to check; no secret leaks.
#include "integration/upstream_world.hpp"
#include "support/mask_commands.hpp"
#include "support/test_hooks.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

using namespace ferry::testing;
using nlohmann::json;

namespace {

const std::set<std::string> k_chroots = {"fedora-40-x86_64", "fedora-41-x86_64"};

void check_no_secret(const UpstreamWorld& world,
                     const ferry::infra::process::ProcessResult& result) {
  for (const std::string& text :
       {result.out, without_mask_commands(result.err), world.outputs(), world.summary()}) {
    for (const char* secret : {UpstreamWorld::k_upstream_token, UpstreamWorld::k_copr_login,
                               UpstreamWorld::k_copr_token, UpstreamWorld::k_tf_key}) {
      CHECK(text.find(secret) == std::string::npos);
    }
  }
}

// A comment written later than every build and request so far (their times have 1 s steps).
void next_second() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
}

std::string build_url(const json& build, const UpstreamWorld& world) {
  return world.copr.url() + "/coprs/" + build["ownername"].get<std::string>() + "/" +
         build["projectname"].get<std::string>() + "/build/" +
         std::to_string(build["id"].get<long>()) + "/";
}

} // namespace

TEST_CASE("/packit build by a writer builds the pull request head once and tests it",
          "[integration][e2e][copr_build]") {
  UpstreamWorld world;
  auto first = world.comment("Looks good.\n/packit build\n");
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);

  json projects = world.copr.projects();
  REQUIRE(projects.size() == 1);
  CHECK(projects[0]["full_name"] == "ferry-bot/hello-org-hello-7");
  CHECK(projects[0]["chroot_repos"].size() == 2);
  json builds = world.copr.builds();
  REQUIRE(builds.size() == 1);
  CHECK(builds[0]["request"]["committish"] == world.head);
  CHECK(builds[0]["request"]["clone_url"] == world.github.clone_url("hello-org", "hello"));
  CHECK(builds[0]["request"]["spec"] == "hello.spec");
  CHECK(builds[0]["state"] == "succeeded");

  auto checks = world.checks();
  std::string url = build_url(builds[0], world);
  for (const std::string& chroot : k_chroots) {
    INFO(chroot);
    REQUIRE(checks.count("rpm-build:" + chroot) == 1);
    const json& build_check = checks["rpm-build:" + chroot];
    CHECK(build_check["status"] == "completed");
    CHECK(build_check["conclusion"] == "success");
    CHECK(build_check["output"]["title"] == "RPMs were built successfully.");
    CHECK(build_check["details_url"] == url);
    REQUIRE(checks.count("testing-farm:" + chroot) == 1);
    CHECK(checks["testing-farm:" + chroot]["conclusion"] == "success");
    CHECK(checks["testing-farm:" + chroot]["output"]["title"] == "Tests passed ...");
  }
  std::set<std::string> titles;
  for (const json& run : world.github.check_runs("hello-org", "hello")) {
    titles.insert(run["output"]["title"].get<std::string>());
  }
  CHECK(titles.count("SRPM build is in progress...") == 1);
  CHECK(titles.count("Tests have been submitted ...") == 1);

  auto requests = world.testing_farm.submitted();
  REQUIRE(requests.size() == 2);
  std::set<std::string> artifacts;
  for (const auto& [id, body] : requests) {
    CHECK(body["test"]["tmt"]["url"] == world.github.clone_url("hello-org", "hello"));
    CHECK(body["test"]["tmt"]["ref"] == world.head);
    const json& environment = body["environments"][0];
    artifacts.insert(environment["artifacts"][0]["id"].get<std::string>());
    CHECK(environment["artifacts"][0]["type"] == "fedora-copr-build");
    CHECK(environment["variables"]["PACKIT_PR_ID"] == "7");
  }
  std::string id = std::to_string(builds[0]["id"].get<long>());
  CHECK(artifacts == std::set<std::string>{id + ":fedora-40-x86_64", id + ":fedora-41-x86_64"});

  json reactions = world.github.reactions("hello-org", "hello");
  REQUIRE(reactions.size() == 1);
  CHECK(reactions[0]["content"] == "eyes");
  std::string outputs = world.outputs();
  CHECK(outputs.find("builds<<") != std::string::npos);
  CHECK(outputs.find(url) != std::string::npos);
  CHECK(outputs.find("\nsuccess\n") != std::string::npos);
  CHECK(world.summary().find("rpm_build_succeeded") != std::string::npos);
  check_no_secret(world, first);

  SECTION("the same event again builds and tests nothing new") {
    std::size_t check_runs = world.github.check_runs("hello-org", "hello").size();
    auto again = world.run_ferry(world.ci_env(
        "issue_comment", ReleaseWorld::read_file(world.dir / "event-issue_comment.json")));
    INFO(describe(again));
    REQUIRE(again.exit_code == 0);
    CHECK(world.copr.build_count() == 1);
    CHECK(world.testing_farm.submitted().size() == 2);
    CHECK(world.github.check_runs("hello-org", "hello").size() == check_runs);
    CHECK(again.err.find("not building again") != std::string::npos);
    CHECK(world.summary().find("already_built") != std::string::npos);
  }

  SECTION("a new /packit build comment builds again") {
    next_second();
    auto rebuilt = world.comment("/packit build");
    INFO(describe(rebuilt));
    REQUIRE(rebuilt.exit_code == 0);
    CHECK(world.copr.build_count() == 2);
    CHECK(world.testing_farm.submitted().size() == 4);
    CHECK(world.copr.projects().size() == 1);
  }
}

TEST_CASE("a pull request event builds and tests its head, once however often it runs",
          "[integration][e2e][copr_build][tests]") {
  UpstreamWorld world;
  auto env = world.ci_env("pull_request", world.pull_request_payload());
  auto first = world.run_ferry(env);
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  json builds = world.copr.builds();
  REQUIRE(builds.size() == 1);
  CHECK(builds[0]["request"]["committish"] == world.head);
  CHECK(world.testing_farm.submitted().size() == 2);
  CHECK(world.github.reactions("hello-org", "hello").empty()); // no comment to react to
  auto checks = world.checks();
  CHECK(checks["rpm-build:fedora-41-x86_64"]["conclusion"] == "success");
  CHECK(checks["testing-farm:fedora-40-x86_64"]["conclusion"] == "success");

  next_second();
  auto again = world.run_ferry(env);
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(world.copr.build_count() == 1);
  CHECK(world.testing_farm.submitted().size() == 2);
}

TEST_CASE("a commenter without write access is refused once and nothing is built",
          "[integration][e2e][copr_build][permission]") {
  UpstreamWorld world;
  auto refused = world.comment("/packit build", "mallory");
  INFO(describe(refused));
  CHECK(refused.exit_code == 1); // a refused command fails the run (run_report's rule)
  CHECK(world.copr.build_count() == 0);
  CHECK(world.copr.projects().empty());
  CHECK(world.testing_farm.submitted().empty());
  json comments = world.github.comments("hello-org", "hello", UpstreamWorld::k_pr);
  REQUIRE(comments.size() == 1);
  CHECK(comments[0]["body"].get<std::string>().find("mallory") != std::string::npos);

  auto again = world.run_ferry(world.ci_env(
      "issue_comment", ReleaseWorld::read_file(world.dir / "event-issue_comment.json")));
  CHECK(again.exit_code == 1);
  CHECK(world.github.comments("hello-org", "hello", UpstreamWorld::k_pr).size() == 1);
  CHECK(world.copr.build_count() == 0);
}

TEST_CASE("the pull request's author may run /packit build without write access",
          "[integration][e2e][copr_build][permission]") {
  UpstreamWorld world;
  world.github.set_permission("hello-org", "hello", "alice", "read");
  auto built = world.comment("/packit build", "alice");
  INFO(describe(built));
  CHECK(built.exit_code == 0);
  CHECK(world.copr.build_count() == 1);
  for (const json& comment : world.github.comments("hello-org", "hello", UpstreamWorld::k_pr)) {
    CHECK(comment["body"].get<std::string>().find("alice") == std::string::npos); // no refusal
  }
}

TEST_CASE("/packit test runs Testing Farm per target, retest-failed runs only the failed one",
          "[integration][e2e][tests]") {
  UpstreamWorld world;
  world.testing_farm.set_outcome_for("Fedora-40", "failed");
  auto tested = world.comment("/packit test");
  INFO(describe(tested));
  REQUIRE(tested.exit_code == 1);
  CHECK(world.copr.build_count() == 1); // the tests needed a build: made first
  CHECK(world.testing_farm.submitted().size() == 2);
  auto checks = world.checks();
  CHECK(checks["rpm-build:fedora-40-x86_64"]["conclusion"] == "success");
  CHECK(checks["testing-farm:fedora-40-x86_64"]["conclusion"] == "failure");
  CHECK(checks["testing-farm:fedora-40-x86_64"]["output"]["title"] == "Tests failed ...");
  CHECK(checks["testing-farm:fedora-41-x86_64"]["conclusion"] == "success");
  CHECK(world.outputs().find("\nfailure\n") != std::string::npos);
  CHECK(world.summary().find("tests_failed") != std::string::npos);

  world.testing_farm.set_outcome_for("Fedora-40", "passed");
  next_second();
  auto retested = world.comment("/packit retest-failed");
  INFO(describe(retested));
  REQUIRE(retested.exit_code == 0);
  CHECK(world.copr.build_count() == 1);
  auto requests = world.testing_farm.submitted();
  REQUIRE(requests.size() == 3);
  checks = world.checks();
  CHECK(checks["testing-farm:fedora-40-x86_64"]["conclusion"] == "success");
  CHECK(checks["testing-farm:fedora-41-x86_64"]["conclusion"] == "success");
  check_no_secret(world, retested);

  next_second();
  auto all_again = world.comment("/packit test");
  INFO(describe(all_again));
  REQUIRE(all_again.exit_code == 0);
  CHECK(world.testing_farm.submitted().size() == 5);
  CHECK(world.copr.build_count() == 1);
}

TEST_CASE("a chroot that fails to build fails its check and the run",
          "[integration][e2e][copr_build]") {
  UpstreamWorld world;
  world.copr.fail_chroot("fedora-41-x86_64");
  auto result = world.comment("/packit build");
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  auto checks = world.checks();
  CHECK(checks["rpm-build:fedora-41-x86_64"]["conclusion"] == "failure");
  CHECK(checks["rpm-build:fedora-41-x86_64"]["output"]["title"] == "RPMs failed to be built.");
  CHECK(checks["rpm-build:fedora-40-x86_64"]["conclusion"] == "success");
  CHECK(checks["testing-farm:fedora-41-x86_64"]["conclusion"] == "failure");
  CHECK(checks["testing-farm:fedora-40-x86_64"]["conclusion"] == "success");
  CHECK(world.testing_farm.submitted().size() == 1); // no tests of a chroot without RPMs
  CHECK(world.summary().find("rpm_build_failed") != std::string::npos);
}

TEST_CASE("transient server errors are retried", "[integration][e2e][copr_build][faults]") {
  UpstreamWorld world;
  world.copr.inject("GET /api_3/build/", TestResponse{503, {}, "Service Unavailable"}, 2);
  world.copr.inject("POST /api_3/project/add", TestResponse{502, {}, "Bad Gateway"}, 1);
  world.testing_farm.inject("GET /v0.1/requests/", TestResponse{500, {}, "oops"}, 2);
  world.github.inject("POST /repos/hello-org/hello/check-runs",
                      TestResponse{502, {}, "Bad Gateway"}, 1);
  auto result = world.comment("/packit build");
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.copr.build_count() == 1);
  CHECK(world.testing_farm.submitted().size() == 2);
  CHECK(world.checks()["rpm-build:fedora-40-x86_64"]["conclusion"] == "success");
}

TEST_CASE("refused credentials fail at once and name the setting to check",
          "[integration][e2e][copr_build][faults]") {
  UpstreamWorld world;
  SECTION("Copr") {
    auto env = world.ci_env("issue_comment", world.comment_payload("/packit build"));
    env["INPUT_COPR_TOKEN"] = "coprtokenWRONG00000000000000000000001";
    auto started = std::chrono::steady_clock::now();
    auto result = world.run_ferry(env);
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(result.err.find("copr_login") != std::string::npos);
    CHECK(without_mask_commands(result.err).find("coprtokenWRONG") == std::string::npos);
    CHECK(world.copr.build_count() == 0);
    auto checks = world.checks();
    CHECK(checks["rpm-build:fedora-40-x86_64"]["conclusion"] == "failure");
    CHECK(checks["rpm-build:fedora-40-x86_64"]["output"]["title"].get<std::string>().starts_with(
        "Submit of the build failed"));
    check_no_secret(world, result);
  }
  SECTION("Testing Farm") {
    auto env = world.ci_env("issue_comment", world.comment_payload("/packit test"));
    env["INPUT_TESTING_FARM_TOKEN"] = "tfkeyWRONG0000000000000000000000001";
    auto result = world.run_ferry(env);
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("testing_farm_token") != std::string::npos);
    CHECK(without_mask_commands(result.err).find("tfkeyWRONG") == std::string::npos);
    CHECK(world.testing_farm.submitted().empty());
    CHECK(world.checks()["testing-farm:fedora-41-x86_64"]["conclusion"] == "failure");
    check_no_secret(world, result);
  }
}

TEST_CASE("a crash after a step is finished by running the same event again",
          "[integration][e2e][copr_build][crash]") {
  auto step = GENERATE(as<std::string>{}, "ensure_project", "submit_build", "wait_for_build",
                       "submit_requests");
  INFO("crash after " << step);
  UpstreamWorld world;
  auto env = world.ci_env("issue_comment", world.comment_payload("/packit build"));
  auto crash_env = crashing_after(env, step);
  auto crashed = world.run_ferry(crash_env);
  INFO(describe(crashed));
  REQUIRE(crashed.exit_code == 70);

  auto resumed = world.run_ferry(env);
  INFO(describe(resumed));
  REQUIRE(resumed.exit_code == 0);
  CHECK(world.copr.build_count() == 1);
  CHECK(world.testing_farm.submitted().size() == 2);
  auto checks = world.checks();
  for (const std::string& chroot : k_chroots) {
    CHECK(checks["rpm-build:" + chroot]["conclusion"] == "success");
    CHECK(checks["testing-farm:" + chroot]["conclusion"] == "success");
  }
}

TEST_CASE("ferry copr-build and ferry test build and test a checkout's commit by hand",
          "[integration][e2e][copr_build][cli]") {
  UpstreamWorld world;
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", (world.dir / "home").string()},
      {"FERRY_COPR_URL", world.copr.url()},
      {"FERRY_COPR_LOGIN", UpstreamWorld::k_copr_login},
      {"FERRY_COPR_TOKEN", UpstreamWorld::k_copr_token},
      {"FERRY_COPR_USERNAME", "ferry-bot"},
      {"FERRY_TESTING_FARM_URL", world.testing_farm.url()},
      {"FERRY_TESTING_FARM_TOKEN", UpstreamWorld::k_tf_key},
      {"FERRY_BODHI_URL", ReleaseWorld::without_slash(world.bodhi->url(""))},
      {"FERRY_POLL_INTERVAL", "0.02"},
  };
  for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name); value != nullptr) {
      env[name] = value;
    }
  }
  std::string clone_url = world.github.clone_url("hello-org", "hello");
  std::string commit = run_git(world.upstream, {"rev-parse", "HEAD"}).substr(0, 40);
  auto built = world.run_ferry(env, {"copr-build", "--clone-url", clone_url});
  INFO(describe(built));
  REQUIRE(built.exit_code == 0);
  json builds = world.copr.builds();
  REQUIRE(builds.size() == 1);
  // not on GitHub: the forge's host (':' as '-') prefixes Packit's default name
  std::string host = clone_url.substr(7, clone_url.find('/', 7) - 7); // 127.0.0.1:PORT
  std::replace(host.begin(), host.end(), ':', '-');
  CHECK(builds[0]["projectname"] == host + "-hello-org-hello-main");
  CHECK(builds[0]["request"]["committish"] == commit);
  CHECK(builds[0]["chroots"].size() == 2);
  CHECK(built.out.find("copr_build fedora-41-x86_64: success (rpm_build_succeeded)") !=
        std::string::npos);
  CHECK(built.out.find("build: " + build_url(builds[0], world)) != std::string::npos);

  auto tested = world.run_ferry(
      env, {"test", "--clone-url", clone_url, "--chroot", "fedora-41-x86_64", "--env", "X=1"});
  INFO(describe(tested));
  REQUIRE(tested.exit_code == 0);
  CHECK(world.copr.build_count() == 1); // the commit's build was found
  auto requests = world.testing_farm.submitted();
  REQUIRE(requests.size() == 1);
  const json& environment = requests.begin()->second["environments"][0];
  CHECK(environment["os"]["compose"] == "Fedora-41");
  CHECK(environment["variables"]["X"] == "1");
  CHECK(tested.out.find("tests fedora-41-x86_64: success (tests_passed)") != std::string::npos);
  for (const std::string& text : {built.out, without_mask_commands(built.err), tested.out,
                                  without_mask_commands(tested.err)}) {
    CHECK(text.find(UpstreamWorld::k_copr_token) == std::string::npos);
    CHECK(text.find(UpstreamWorld::k_tf_key) == std::string::npos);
  }
}
