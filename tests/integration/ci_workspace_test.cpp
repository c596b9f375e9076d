// A CI workspace owned by another user, as a container action sees the runner's checkout (the
// runner's user owns it, the container runs as root): libgit2 refuses it ("dubious ownership")
// until ferry trusts it as `safe.directory` does, for itself and for the git commands its
// actions run.
// Both tests need root (to give files away) and say so when they cannot run.
#include "infra/git/repository.hpp"
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>

using namespace ferry::testing;

namespace {

constexpr uid_t k_runner_uid = 1001; // the GitHub runner's user

void give_to_runner(const std::filesystem::path& root) {
  REQUIRE(::lchown(root.c_str(), k_runner_uid, k_runner_uid) == 0);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    REQUIRE(::lchown(entry.path().c_str(), k_runner_uid, k_runner_uid) == 0);
  }
}

// Restores the GIT_CONFIG_* variables trust_directory() sets in this process.
struct GitConfigEnvironment {
  ~GitConfigEnvironment() {
    for (const char* name : {"GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"}) {
      ::unsetenv(name);
    }
  }
};

} // namespace

TEST_CASE("trust_directory lets libgit2 and git open a checkout another user owns",
          "[integration][git]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give a checkout to another user, the ownership check is not tested");
    return;
  }
  REQUIRE(std::getenv("GIT_CONFIG_COUNT") == nullptr);
  GitConfigEnvironment restore;
  TempDir dir;
  auto checkout = dir / "workspace";
  std::filesystem::create_directories(checkout);
  run_git(checkout, {"init", "-q", "-b", "main"});
  dir.write("workspace/README", "hello\n");
  run_git(checkout, {"add", "-A"});
  run_git(checkout,
          {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one"});
  give_to_runner(checkout);

  auto refused = ferry::infra::git::Repository::open(checkout);
  REQUIRE_FALSE(refused.has_value()); // libgit2's ownership check is on

  REQUIRE(ferry::infra::git::trust_directory(checkout, dir / "git-config").has_value());
  auto opened = ferry::infra::git::Repository::open(checkout);
  INFO((opened ? std::string() : opened.error().describe()));
  REQUIRE(opened.has_value());
  CHECK(opened->resolve("HEAD").has_value());
  CHECK(std::string(std::getenv("GIT_CONFIG_COUNT")) == "1");
  CHECK(std::string(std::getenv("GIT_CONFIG_KEY_0")) == "safe.directory");
  std::string canonical = std::filesystem::weakly_canonical(checkout).string();
  CHECK(std::string(std::getenv("GIT_CONFIG_VALUE_0")) == canonical);
  CHECK(read_file(dir / "git-config/config").find("directory = \"" + canonical + "\"") !=
        std::string::npos);
}

TEST_CASE("ferry run trusts a workspace the runner's user owns",
          "[integration][e2e][propose_downstream]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give the workspace to another user, the ownership check is not "
         "tested");
    return;
  }
  ReleaseWorld world;
  world.branches = {"rawhide"};
  // an action running git in the checkout, as users' actions do
  world.dir.write("workspace/.packit.yaml",
                  world.packit_yaml() +
                      "actions:\n"
                      "  changelog-entry:\n"
                      "    - \"git log -1 '--format=- From the checkout: %s'\"\n");
  run_git(world.upstream, {"commit", "-q", "-am", "one branch"});
  run_git(world.upstream, {"tag", "-f", ReleaseWorld::k_tag});
  std::string tagged = world.upstream_commit();
  tagged.erase(tagged.find_last_not_of('\n') + 1);
  give_to_runner(world.upstream);

  // The event names another commit: only the checkout itself knows the tag's.
  auto payload = nlohmann::json::parse(world.release_payload());
  auto env = world.ci_env("release", payload.dump());
  env["GITHUB_SHA"] = std::string(40, 'a');
  auto result = world.run_ferry(env);
  INFO("exit " << result.exit_code << "\n" << result.out << "\n" << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("not a git checkout ferry can open") == std::string::npos);
  auto prs = world.pagure.pull_requests("hello");
  REQUIRE(prs.size() == 1);
  INFO(prs[0]["initial_comment"].get<std::string>());
  CHECK(prs[0]["initial_comment"].get<std::string>().find("Upstream commit: [" + tagged) !=
        std::string::npos);
  CHECK(world.fork_file("rawhide", "hello.spec").find("- From the checkout: one branch\n") !=
        std::string::npos);
}
