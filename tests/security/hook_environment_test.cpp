// What an `actions:` hook can see of ferry's credentials (issue 13, finding 4): a hook is
// repository content, so it may read its parent's environment through /proc, its own
// environment and the git settings handed to it. None of them may hold a credential.
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_cert_canary = "CERTKEYCANARY000000000000000000000000000000001";
constexpr const char* k_copr_canary = "COPRTOKENCANARY00000000000000000000000000001";
constexpr const char* k_header_canary = "EXTRAHEADERCANARY000000000000000000000000001";

} // namespace

TEST_CASE("an actions: hook finds no credential in its parent's or its own environment",
          "[security][environment]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  fs::path seen = world.dir / "seen";
  fs::create_directories(seen);
  std::string config = world.packit_yaml();
  config.insert(config.find("jobs:\n"),
                "actions:\n"
                "  post-upstream-clone:\n"
                "    - \"sh -c 'cat /proc/$PPID/environ > " +
                    (seen / "parent").string() + "; env > " + (seen / "own").string() +
                    "; cat /proc/$PPID/cmdline > " + (seen / "cmdline").string() + "'\"\n");
  world.set_config(config);
  auto env = world.ci_env("release", world.release_payload());
  env["INPUT_FEDORA_CERT"] = std::string("-----BEGIN PRIVATE KEY-----\n") + k_cert_canary +
                             "\n-----END PRIVATE KEY-----\n";
  env["FERRY_COPR_TOKEN"] = k_copr_canary;
  env["GIT_CONFIG_COUNT"] = "1";
  env["GIT_CONFIG_KEY_0"] = "http.extraheader";
  env["GIT_CONFIG_VALUE_0"] = std::string("AUTHORIZATION: basic ") + k_header_canary;
  auto result = world.run_ferry(env);
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);

  std::string parent = ReleaseWorld::read_file(seen / "parent");
  std::string own = ReleaseWorld::read_file(seen / "own");
  // The hook could read its parent's environment: the check below is not vacuous.
  REQUIRE(parent.find("GITHUB_REPOSITORY=hello-org/hello") != std::string::npos);
  REQUIRE(own.find("PATH=") != std::string::npos);
  for (const std::string& canary :
       {std::string(ReleaseWorld::k_upstream_token), std::string(ReleaseWorld::k_dist_git_token),
        std::string(k_cert_canary), std::string(k_copr_canary), std::string(k_header_canary)}) {
    INFO(canary);
    CHECK(parent.find(canary) == std::string::npos);
    CHECK(own.find(canary) == std::string::npos);
    CHECK(ReleaseWorld::read_file(seen / "cmdline").find(canary) == std::string::npos);
  }
  // ferry still used its credentials after sealing them away: the PR was opened.
  CHECK(world.pagure.pull_requests("hello").size() == 1);
}

} // namespace ferry::testing
