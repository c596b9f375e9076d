// Cancellation (issue 13, finding 5): SIGTERM — what a CI sends when a run is cancelled or
// times out — during each step of propose_downstream. ferry must stop cleanly: exit 143, the
// summary and outputs say "cancelled", the work dir and every byte of key material are gone,
// and the same event run again finishes the job with nothing done twice.
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

extern char** environ;

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* k_key_canary = "CANCELKEYCANARY0000000000000000000000000001";

// The real binary started in the background with exactly `env`; stdout and stderr to files.
class RunningFerry {
public:
  RunningFerry(const ReleaseWorld& world, const std::map<std::string, std::string>& env)
      : m_err(world.dir / "ferry.err") {
    std::vector<std::string> entries;
    for (const auto& [name, value] : env) {
      entries.push_back(name + "=" + value);
    }
    std::vector<char*> envp;
    for (std::string& entry : entries) {
      envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    std::string binary = FERRY_BINARY;
    std::string run = "run";
    char* argv[] = {binary.data(), run.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    std::string out = (world.dir / "ferry.out").string();
    std::string err = m_err.string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addchdir_np(&actions, world.upstream.c_str());
    if (posix_spawn(&m_pid, binary.c_str(), &actions, nullptr, argv, envp.data()) != 0) {
      m_pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  ~RunningFerry() {
    if (m_pid > 0 && !m_exit) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
  }
  RunningFerry(const RunningFerry&) = delete;
  RunningFerry& operator=(const RunningFerry&) = delete;

  bool started() const { return m_pid > 0; }
  std::string err() const { return ReleaseWorld::read_file(m_err); }

  // Waits until stderr shows `text` (true) or the process exits or 60 s pass (false).
  bool wait_for_log(const std::string& text) {
    for (auto until = std::chrono::steady_clock::now() + 60s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(20ms)) {
      if (err().find(text) != std::string::npos) {
        return true;
      }
      if (exited()) {
        return false;
      }
    }
    return false;
  }
  void signal(int number) const { ::kill(m_pid, number); }

  // The exit code (128 + N for a death by signal N), or -1 after 60 s.
  int wait_exit() {
    for (auto until = std::chrono::steady_clock::now() + 60s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(20ms)) {
      if (exited()) {
        return *m_exit;
      }
    }
    return -1;
  }

private:
  bool exited() {
    if (m_exit) {
      return true;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) != m_pid) {
      return false;
    }
    m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  }

  pid_t m_pid = -1;
  std::optional<int> m_exit;
  fs::path m_err;
};

// How a step is held long enough for the signal to land inside it.
void hold_step(ReleaseWorld& world, const std::string& step,
               std::map<std::string, std::string>& env) {
  TestResponse stall{200, {}, "", Fault::stall, 60s};
  if (step == "fetch_archives") {
    world.archive_missing = 1000; // not published yet: ferry waits 30 s between attempts
    env["FERRY_ARCHIVE_WAIT"] = "30,30";
  } else if (step == "upload_archives") {
    world.lookaside.inject("POST /repo/pkgs/upload.cgi", stall, 1);
  } else if (step == "open_pull_request") {
    world.pagure.inject("POST /api/0/rpms/hello/pull-request/new", stall, 1);
  } else if (step == "run_pre_sync_actions") {
    std::string config = world.packit_yaml();
    config.insert(config.find("jobs:\n"), "actions:\n  pre-sync: \"sleep 60\"\n");
    world.set_config(config);
  }
}

bool held(const std::string& step) {
  return step == "fetch_archives" || step == "upload_archives" || step == "open_pull_request" ||
         step == "run_pre_sync_actions";
}

// Every file left under `root` whose content holds the key canary, or whose name is ferry's.
std::vector<std::string> leftovers(const fs::path& root) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename().string().starts_with("ferry-")) {
      found.push_back(entry.path().string());
    } else if (entry.is_regular_file() &&
               ReleaseWorld::read_file(entry.path()).find(k_key_canary) != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

} // namespace

TEST_CASE("SIGTERM during any step of propose_downstream stops cleanly and the rerun finishes",
          "[security][cancellation]") {
  auto step = GENERATE(as<std::string>{}, "clone_dist_git", "check_version", "inspect_bot_branch",
                       "run_pre_sync_actions", "update_spec", "sync_files", "fetch_archives",
                       "upload_archives", "write_sources", "commit", "push", "open_pull_request");
  DYNAMIC_SECTION("SIGTERM in " << step) {
    ReleaseWorld world;
    world.use_branches({"rawhide"});
    auto env = world.ci_env("release", world.release_payload());
    fs::path tmp = world.dir / "tmp";
    fs::create_directories(tmp);
    env["TMPDIR"] = tmp.string();
    env["INPUT_LOG_LEVEL"] = "debug";
    env["INPUT_FEDORA_CERT"] = std::string("-----BEGIN PRIVATE KEY-----\n") + k_key_canary +
                               "\n-----END PRIVATE KEY-----\n";
    auto held_env = env;
    hold_step(world, step, held_env);

    RunningFerry ferry(world, held_env);
    REQUIRE(ferry.started());
    bool reached = ferry.wait_for_log(" " + step + "\n");
    INFO(ferry.err());
    REQUIRE(reached);
    if (held(step)) {
      std::this_thread::sleep_for(500ms); // inside the step's wait, stall or child
    }
    ferry.signal(SIGTERM);
    int code = ferry.wait_exit();
    INFO("exit " << code << "\n" << ferry.err());
    std::string summary = ReleaseWorld::read_file(world.dir / "summary.md");
    std::string output = ReleaseWorld::read_file(world.dir / "output.txt");
    if (held(step) || code != 0) { // an unheld step may end before the signal lands
      CHECK(code == 143);
      CHECK(summary.find("**Cancelled** by SIGTERM") != std::string::npos);
      CHECK(output.find("result<<") != std::string::npos);
      CHECK(output.find("\ncancelled\n") != std::string::npos);
      CHECK(world.github.issues("hello-org", "hello").empty()); // a cancel files nothing
    }
    CHECK(leftovers(tmp).empty());

    world.archive_missing = 0; // the hold is lifted: the rerun is a normal run
    if (step == "run_pre_sync_actions") {
      world.set_config(world.packit_yaml());
    }
    auto rerun = world.run_ferry(env);
    INFO(describe(rerun));
    CHECK(rerun.exit_code == 0);
    CHECK(world.pagure.pull_requests("hello").size() == 1);
    CHECK(world.lookaside.uploads() == 1);
    CHECK(leftovers(tmp).empty());
  }
}

} // namespace ferry::testing
