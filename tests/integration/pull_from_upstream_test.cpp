// pull_from_upstream end to end: the real `ferry` binary as a scheduled Forgejo Actions job in
// the dist-git repository itself (config from dist-git), learning the newest upstream version
// from release-monitoring.org's API v2 (fake) or from upstream_project_url's tags, then the same
// sync as propose_downstream: archive in the lookaside, one pull request into dist-git.
#include "integration/pull_world.hpp"

#include <catch2/catch.hpp>

using namespace ferry::testing;
using nlohmann::json;

TEST_CASE("a scheduled pull_from_upstream syncs release-monitoring's newest version",
          "[integration][e2e][pull_from_upstream]") {
  PullWorld world("");
  auto result = world.run();
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.monitoring_requests == 3);
  CHECK(world.lookaside.uploads() == 1);
  json pulls = world.forgejo.pulls("rpms", "hello");
  REQUIRE(pulls.size() == 1);
  CHECK(pulls[0]["title"] == "Update rawhide to upstream release 1.4.0");
  std::string body = pulls[0]["body"];
  CHECK(body.find(
            "Release monitoring project: [4242](https://release-monitoring.org/project/4242)") !=
        std::string::npos);
  CHECK(body.find("Upstream tag") == std::string::npos); // non-git upstream
  std::string spec = world.bot_file("hello.spec");
  CHECK(spec.find("Version:        1.4.0\n") != std::string::npos);
  CHECK(spec.find("- Update to version 1.4.0\n") != std::string::npos);
  CHECK(world.bot_file("sources").starts_with("SHA512 (hello-1.4.0.tar.gz) = "));
  CHECK(world.forgejo.statuses("rpms", "hello").empty()); // Packit sets none for this job

  auto again = world.run();
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(world.lookaside.uploads() == 1);
  CHECK(world.forgejo.pulls("rpms", "hello").size() == 1);
}

TEST_CASE("pull_from_upstream takes the newest upstream tag that passes the filters",
          "[integration][e2e][pull_from_upstream]") {
  TempDir upstream;
  run_git(upstream.path(), {"init", "-q", "-b", "main"});
  upstream.write("README", "hello\n");
  run_git(upstream.path(), {"add", "-A"});
  run_git(upstream.path(), {"commit", "-q", "-m", "hello"});
  for (const char* tag : {"v1.3.0", "v1.3.5", "v2.0-rc1", "nightly"}) {
    run_git(upstream.path(), {"tag", tag});
  }
  PullWorld world("upstream_project_url: " + upstream.path().string() +
                  "\nupstream_tag_template: v{version}\nupstream_tag_exclude: '.*-rc.*'\n");
  auto result = world.run();
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.monitoring_requests == 0);
  json pulls = world.forgejo.pulls("rpms", "hello");
  REQUIRE(pulls.size() == 1);
  CHECK(pulls[0]["title"] == "Update rawhide to upstream release 1.3.5");
  CHECK(pulls[0]["body"].get<std::string>().find("Upstream tag: v1.3.5") != std::string::npos);
  CHECK(world.bot_file("hello.spec").find("Version:        1.3.5\n") != std::string::npos);
}
