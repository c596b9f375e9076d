// Hostile paths in the repositories ferry reads and writes (issue 13, findings 1, 2 and 9):
// symlinks committed upstream or in dist-git, `..` and absolute paths in the config, %include
// of the runner's files. Each case runs the real binary through a release of the example
// package and checks what reached the fork, the runner's disk and the fakes.
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;

// What actions/checkout leaves in .git/config: the workflow token as an extra header.
constexpr const char* k_checkout_token = "ghs_CheckoutCanary000000000000000000000001";
constexpr const char* k_outside_secret = "OUTSIDE-SECRET-CANARY-0000000000000000000001";

std::string config_with(const ReleaseWorld& world, const std::string& keys) {
  std::string config = world.packit_yaml();
  config.insert(config.find("jobs:\n"), keys);
  return config;
}

// Commits whatever the test placed in the upstream checkout (links too) and moves the tag.
void commit_upstream(ReleaseWorld& world, const std::string& config) {
  world.set_config(config);
  run_git(world.upstream, {"add", "-A"});
  run_git(world.upstream, {"commit", "-q", "--allow-empty", "-m", "hostile content"});
  run_git(world.upstream, {"tag", "-f", ReleaseWorld::k_tag});
}

// Everything the fork holds, every object of every ref: what the PR published.
std::string fork_history(const ReleaseWorld& world) {
  fs::path fork = world.pagure.git_dir("forks/ferry-bot/rpms/hello");
  if (!fs::exists(fork)) {
    return "";
  }
  return run_git(fork, {"log", "--all", "-p", "--format=%H%n%B"});
}

std::string outside_file(const ReleaseWorld& world, const std::string& name) {
  return world.dir.write("outside/" + name, std::string(k_outside_secret) + "\n").string();
}

// A commit on dist-git's rawhide made by `change` in a clone of it.
template <typename Change> void commit_to_dist_git(ReleaseWorld& world, Change change) {
  fs::path clone = world.dir / "dist-git-clone";
  run_git(world.dir.path(), {"clone", "-q", "-b", "rawhide",
                             world.pagure.git_dir("rpms/hello").string(), clone.string()});
  change(clone);
  run_git(clone, {"add", "-A"});
  run_git(clone, {"commit", "-q", "-m", "hostile dist-git content"});
  run_git(clone, {"push", "-q", "origin", "rawhide"});
}

void check_nothing_leaked(const ReleaseWorld& world, const infra::process::ProcessResult& result) {
  std::string published = fork_history(world);
  for (const std::string& secret : {std::string(k_checkout_token), std::string(k_outside_secret)}) {
    CHECK(published.find(secret) == std::string::npos);
    CHECK(result.out.find(secret) == std::string::npos);
    CHECK(result.err.find(secret) == std::string::npos);
    for (const auto& pr : world.pagure.pull_requests("hello")) {
      CHECK(pr.dump().find(secret) == std::string::npos);
    }
  }
}

} // namespace

TEST_CASE("files_to_sync never reads through a link out of the upstream checkout",
          "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  run_git(world.upstream, {"config", "http.https://github.example/.extraheader",
                           std::string("AUTHORIZATION: basic ") + k_checkout_token});
  fs::create_directories(world.upstream / "docs");
  fs::path home = world.dir / "home";
  world.dir.write("home/.netrc",
                  std::string("machine github.example password ") + k_outside_secret + "\n");
  std::string secret = outside_file(world, "secret.txt");

  struct Case {
    const char* what;
    std::string files_to_sync;
    std::function<void()> plant;
  };
  std::vector<Case> cases = {
      {"a link to the checkout's .git/config", "  - docs/notes.txt\n",
       [&] { fs::create_symlink("../.git/config", world.upstream / "docs/notes.txt"); }},
      {"a link to an absolute path outside", "  - passwd\n",
       [&] { fs::create_symlink(secret, world.upstream / "passwd"); }},
      {"a link to $HOME, then a file in it", "  - home/.netrc\n",
       [&] { fs::create_symlink(home, world.upstream / "home"); }},
      {"a link inside a synced directory", "  - docs/\n",
       [&] { fs::create_symlink("../../outside/secret.txt", world.upstream / "docs/evil"); }},
      {"a relative link that climbs out and back", "  - docs/\n",
       [&] { fs::create_symlink("../../workspace/.git/config", world.upstream / "docs/evil"); }},
  };
  for (const Case& one : cases) {
    DYNAMIC_SECTION(one.what) {
      one.plant();
      commit_upstream(world, config_with(world, "files_to_sync:\n" + one.files_to_sync));
      auto result = world.run_release();
      INFO(describe(result));
      CHECK(result.exit_code == 1);
      CHECK(result.err.find("files_to_sync") != std::string::npos);
      CHECK(result.err.find("link") != std::string::npos);
      check_nothing_leaked(world, result);
    }
  }
}

TEST_CASE("an in-tree link is synced as a link, as Packit's rsync does", "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  fs::create_directories(world.upstream / "docs");
  fs::create_symlink("../README.md", world.upstream / "docs/README.md");
  commit_upstream(world, config_with(world, "files_to_sync:\n  - README.md\n  - docs/\n"));
  auto result = world.run_release();
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  fs::path fork = world.pagure.git_dir("forks/ferry-bot/rpms/hello");
  std::string entry =
      run_git(fork, {"ls-tree", "ferry/rawhide/propose-downstream", "docs/README.md"});
  CHECK(entry.starts_with("120000 blob")); // a symlink, not the file's bytes
  CHECK(world.fork_file("rawhide", "docs/README.md") == "../README.md");
}

TEST_CASE("files_to_sync refuses git's own files as source or destination", "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  run_git(world.upstream, {"config", "http.https://github.example/.extraheader",
                           std::string("AUTHORIZATION: basic ") + k_checkout_token});
  auto check_refused = [&world] {
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code != 0);
    CHECK(result.err.find("outside .git") != std::string::npos);
    check_nothing_leaked(world, result);
    CHECK(world.pagure.pull_requests("hello").empty());
  };
  SECTION("the checkout's .git/config named directly") {
    commit_upstream(world, config_with(world, "files_to_sync:\n  - .git/config\n"));
    check_refused();
  }
  SECTION("a destination inside dist-git's .git") {
    commit_upstream(world, config_with(world, "files_to_sync:\n  - src: README.md\n"
                                              "    dest: .git/hooks/post-commit\n"));
    check_refused();
  }
}

TEST_CASE("a link committed to dist-git never makes ferry write or read outside the clone",
          "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  std::string secret = outside_file(world, "victim.txt");
  commit_upstream(world, config_with(world, "files_to_sync:\n  - README.md\n"));

  SECTION("a synced file's place holds a link out: the link is replaced, the target untouched") {
    commit_to_dist_git(
        world, [&](const fs::path& clone) { fs::create_symlink(secret, clone / "README.md"); });
    auto result = world.run_release();
    INFO(describe(result));
    REQUIRE(result.exit_code == 0);
    CHECK(ReleaseWorld::read_file(secret) == std::string(k_outside_secret) + "\n");
    fs::path fork = world.pagure.git_dir("forks/ferry-bot/rpms/hello");
    CHECK(run_git(fork, {"ls-tree", "ferry/rawhide/propose-downstream", "README.md"})
              .starts_with("100644 blob"));
    CHECK(world.fork_file("rawhide", "README.md") ==
          ReleaseWorld::read_file(world.upstream / "README.md"));
  }
  SECTION("a directory link out on the way to a synced file") {
    fs::create_directories(world.dir / "outside/docs");
    commit_upstream(world, config_with(world, "files_to_sync:\n  - src: README.md\n"
                                              "    dest: docs/README.md\n"));
    commit_to_dist_git(world, [&](const fs::path& clone) {
      fs::create_symlink(world.dir / "outside/docs", clone / "docs");
    });
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("leads out of") != std::string::npos);
    CHECK_FALSE(fs::exists(world.dir / "outside/docs/README.md"));
  }
  SECTION(".gitignore is a link to a file outside: never read into the commit") {
    commit_to_dist_git(
        world, [&](const fs::path& clone) { fs::create_symlink(secret, clone / ".gitignore"); });
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("leads out of") != std::string::npos);
    check_nothing_leaked(world, result);
  }
  SECTION("the spec is a link to a file outside: never read") {
    fs::path outside_spec = world.dir / "outside/hello.spec";
    fs::copy_file(world.upstream / "hello.spec", outside_spec);
    std::ofstream(outside_spec, std::ios::app) << "# " << k_outside_secret << "\n";
    commit_to_dist_git(world, [&](const fs::path& clone) {
      fs::remove(clone / "hello.spec");
      fs::create_symlink(outside_spec, clone / "hello.spec");
    });
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    check_nothing_leaked(world, result);
  }
}

TEST_CASE("specfile_path outside the checkout is refused", "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  world.dir.write("outside.spec", ReleaseWorld::read_file(world.upstream / "hello.spec") + "# " +
                                      k_outside_secret + "\n");
  SECTION("'..' in the config") {
    std::string config = world.packit_yaml();
    config.replace(config.find("specfile_path: hello.spec"), 25, "specfile_path: ../outside.spec");
    commit_upstream(world, config);
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("specfile_path") != std::string::npos);
    CHECK(result.err.find("inside the repository") != std::string::npos);
  }
  SECTION("an absolute path in the config") {
    std::string config = world.packit_yaml();
    config.replace(config.find("specfile_path: hello.spec"), 25, "specfile_path: /etc/passwd");
    commit_upstream(world, config);
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("inside the repository") != std::string::npos);
  }
  SECTION("the upstream spec is a link out of the checkout") {
    fs::remove(world.upstream / "hello.spec");
    fs::create_symlink("../outside.spec", world.upstream / "hello.spec");
    commit_upstream(world, world.packit_yaml());
    auto result = world.run_release();
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("leads out of") != std::string::npos);
    check_nothing_leaked(world, result);
  }
}

TEST_CASE("%include in a spec never reads the runner's files", "[security][paths]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  std::string secret =
      world.dir.write("outside/macros.inc", std::string("%global leak ") + k_outside_secret + "\n");
  std::string spec = ReleaseWorld::read_file(world.upstream / "hello.spec");
  spec.insert(spec.find("Name:"), "%include " + secret + "\n");
  spec.insert(spec.find("Source0:"),
              "Source9: " + world.archive_server->url("/leak/%{leak}") + "\n");
  world.dir.write("workspace/hello.spec", spec);
  commit_upstream(world, world.packit_yaml());
  auto result = world.run_release();
  INFO(describe(result));
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("%include") != std::string::npos);
  for (const auto& request : world.archive_server->requests()) {
    CHECK(request.path.find(k_outside_secret) == std::string::npos);
  }
  check_nothing_leaked(world, result);
}

} // namespace ferry::testing
