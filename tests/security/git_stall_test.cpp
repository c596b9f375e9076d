// git transfers against a server that accepts and then stalls (issue 13, finding 6): clone,
// fetch and push give up within the stall timeout or the time limit, retry transient failures
// without pushing twice, and name the remote (never the token) and the bound; the real binary
// fails the branch (exit 1, summary written) instead of hanging.
#include "fakes/fault_injector.hpp"
#include "infra/git/repository.hpp"
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>

namespace ferry::testing {
namespace {

using namespace std::chrono_literals;
using infra::git::Credentials;
using infra::git::PushLease;
using infra::git::Remote;
using infra::git::Repository;
using infra::git::TransferLimits;
using Clock = std::chrono::steady_clock;

constexpr const char* k_token = "GITSTALLCANARYTOKEN0000000000000000000001";
// How long a faulty server holds a connection: far past every bound below, so a transfer
// without bounds shows up as a slow test, not a hung one.
constexpr auto k_held = 40s;

// Limits short enough for tests, restored afterwards (they are process-wide).
struct ShortLimits {
  TransferLimits saved = infra::git::transfer_limits();
  ShortLimits() {
    TransferLimits limits;
    limits.stall_timeout = 1s;
    limits.total_timeout = 4s;
    limits.retry.max_attempts = 2;
    limits.retry.base_delay = 50ms;
    infra::git::set_transfer_limits(limits);
  }
  ~ShortLimits() { infra::git::set_transfer_limits(saved); }
  ShortLimits(const ShortLimits&) = delete;
  ShortLimits& operator=(const ShortLimits&) = delete;
};

// A smart-HTTP server holding hello.git (one commit on main) whose requests can be faulted.
struct FaultyGitServer {
  TempDir dir;
  std::filesystem::path root = dir / "srv";
  GitServerOptions options{root, "ferry-bot", k_token, false, {}};
  std::mutex mutex;
  FaultInjector faults;
  HttpTestServer http{[this](const TestRequest& request) {
    std::lock_guard lock(mutex);
    return faults.answer(request, [&] { return serve_git(options, request); });
  }};

  FaultyGitServer() {
    std::filesystem::create_directories(root);
    std::filesystem::path seed = dir / "seed";
    std::filesystem::create_directories(seed);
    run_git(seed, {"init", "-q", "-b", "main"});
    // Enough content that the pack is larger than a socket buffer's first read.
    std::string spec = "Name: hello\nVersion: 1.0\n";
    for (int i = 0; i < 2000; ++i) {
      spec += "# filler line " + std::to_string(i * 7919) + "\n";
    }
    dir.write("seed/hello.spec", spec);
    run_git(seed, {"add", "."});
    run_git(seed, {"commit", "-q", "-m", "initial"});
    run_git(root, {"clone", "-q", "--bare", seed.string(), "hello.git"});
  }

  void inject(const std::string& route, Fault fault, int count, bool after_processing = false,
              std::chrono::milliseconds hold = k_held) {
    std::lock_guard lock(mutex);
    faults.inject(route, TestResponse{200, {}, "", fault, hold}, count, after_processing);
  }
  std::string url() const { return http.url("/hello.git"); }
  Remote remote() const { return Remote{url(), Credentials{"ferry-bot", k_token}}; }
  std::size_t requests_to(const std::string& route) const {
    std::size_t count = 0;
    for (const TestRequest& request : http.requests()) {
      count += (request.method + " " + request.path).starts_with(route) ? 1U : 0U;
    }
    return count;
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A transfer abandoned on a bound: ErrorKind::timeout, naming the remote and the bound, never
// the token, after both attempts.
template <typename Outcome>
void check_abandoned(const Outcome& outcome, const FaultyGitServer& server, const char* bound) {
  REQUIRE_FALSE(outcome);
  const Error& error = outcome.error();
  INFO(error.describe());
  CHECK(error.kind() == ErrorKind::timeout);
  CHECK(error.message().find(server.url()) != std::string::npos);
  CHECK(error.message().find(bound) != std::string::npos);
  CHECK(error.message().find("gave up after 2 attempts") != std::string::npos);
  CHECK(error.describe().find(k_token) == std::string::npos);
}

} // namespace

TEST_CASE("a clone from a server that answers nothing gives up on the stall timeout",
          "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  server.inject("GET /hello.git/info/refs", Fault::stall, 10);
  auto start = Clock::now();
  auto clone = Repository::clone(server.remote(), work / "hello");
  double took = seconds_since(start);
  check_abandoned(clone, server, "the server sent nothing for 1 s (stall timeout)");
  CHECK(took < 5.0);
  CHECK(server.requests_to("GET /hello.git/info/refs") == 2);
  CHECK_FALSE(std::filesystem::exists(work / "hello" / ".git"));
}

TEST_CASE("a clone from a server that stops mid-pack gives up on the stall timeout",
          "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  server.inject("POST /hello.git/git-upload-pack", Fault::stall_midway, 10);
  auto start = Clock::now();
  auto clone = Repository::clone(server.remote(), work / "hello");
  double took = seconds_since(start);
  check_abandoned(clone, server, "(stall timeout)");
  CHECK(took < 5.0);
}

TEST_CASE("a transfer that never stalls still ends at the time limit", "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  server.inject("POST /hello.git/git-upload-pack", Fault::trickle, 10, false, 100ms);
  auto start = Clock::now();
  auto clone = Repository::clone(server.remote(), work / "hello");
  double took = seconds_since(start);
  check_abandoned(clone, server, "the transfer took longer than 4 s (time limit)");
  CHECK(took < 12.0);
}

TEST_CASE("a fetch from a stalled server gives up on the stall timeout", "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  auto clone = Repository::clone(server.remote(), work / "hello");
  REQUIRE(clone);

  SECTION("fetch") {
    server.inject("GET /hello.git/info/refs", Fault::stall, 10);
    auto start = Clock::now();
    auto fetched = clone->fetch(server.remote(), {"+refs/heads/*:refs/remotes/origin/*"});
    CHECK(seconds_since(start) < 5.0);
    check_abandoned(fetched, server, "(stall timeout)");
  }
}

TEST_CASE("a transfer that stalled once succeeds on the retry", "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  server.inject("POST /hello.git/git-upload-pack", Fault::stall_midway, 1);
  auto clone = Repository::clone(server.remote(), work / "hello");
  INFO((clone ? "" : clone.error().describe()));
  REQUIRE(clone);
  CHECK(server.requests_to("POST /hello.git/git-upload-pack") == 2);
  CHECK(clone->read_file("HEAD", "hello.spec").value().has_value());
}

TEST_CASE("a push whose answer was lost is not pushed again, and keeps its lease",
          "[security][git_stall]") {
  ShortLimits limits;
  FaultyGitServer server;
  TempDir work;
  auto clone = Repository::clone(server.remote(), work / "hello");
  REQUIRE(clone);
  std::string branch = "refs/heads/ferry/rawhide/propose-downstream";
  REQUIRE(clone->switch_to_new_branch("ferry/rawhide/propose-downstream", "main"));
  work.write("hello/new.txt", "new\n");
  auto commit =
      clone->commit_all("change", {"Bot", "bot@example.org", {}}, {"Bot", "bot@example.org", {}});
  REQUIRE(commit);
  // The server takes the push, then the answer never comes.
  server.inject("POST /hello.git/git-receive-pack", Fault::stall, 1, true);
  auto pushed = clone->push(server.remote(), branch, branch, PushLease{""});
  INFO((pushed ? "" : pushed.error().describe()));
  REQUIRE(pushed);
  CHECK(server.requests_to("POST /hello.git/git-receive-pack") == 1);
  CHECK(run_git(server.root / "hello.git", {"rev-parse", branch}) == *commit + "\n");
}

namespace {

// The example release with ferry's git bounds at 1 s without a byte and 20 s per attempt.
infra::process::ProcessResult run_release_with_short_git_limits(ReleaseWorld& world) {
  auto env = world.ci_env("release", world.release_payload());
  env["FERRY_GIT_STALL_TIMEOUT"] = "1";
  env["FERRY_GIT_TIMEOUT"] = "20";
  return world.run_ferry(env);
}

void check_branch_failed_cleanly(const ReleaseWorld& world,
                                 const infra::process::ProcessResult& result, double took,
                                 const std::string& remote) {
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  CHECK(took < 60.0);
  CHECK(result.err.find("stall timeout") != std::string::npos);
  CHECK(result.err.find(remote) != std::string::npos);
  std::string summary = ReleaseWorld::read_file(world.dir / "summary.md");
  INFO("summary:\n" << summary);
  CHECK(summary.find("rawhide") != std::string::npos);
  CHECK(summary.find("stall timeout") != std::string::npos);
  // stderr holds the token only in its ::add-mask:: lines, which the CI runner consumes.
  for (const std::string& text : {result.out, summary}) {
    CHECK(text.find(ReleaseWorld::k_dist_git_token) == std::string::npos);
  }
}

} // namespace

TEST_CASE("ferry fails the branch cleanly when the dist-git push stalls", "[security][git_stall]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  world.pagure.inject("POST /forks/ferry-bot/rpms/hello.git/git-receive-pack",
                      TestResponse{200, {}, "", Fault::stall, k_held}, 10);
  auto start = Clock::now();
  auto result = run_release_with_short_git_limits(world);
  check_branch_failed_cleanly(world, result, seconds_since(start),
                              ReleaseWorld::without_slash(world.pagure.base_url()) +
                                  "/forks/ferry-bot/rpms/hello.git");
}

TEST_CASE("ferry fails the branch cleanly when the dist-git clone stops mid-pack",
          "[security][git_stall]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  world.pagure.inject("POST /rpms/hello.git/git-upload-pack",
                      TestResponse{200, {}, "", Fault::stall_midway, k_held}, 10);
  auto start = Clock::now();
  auto result = run_release_with_short_git_limits(world);
  check_branch_failed_cleanly(world, result, seconds_since(start),
                              ReleaseWorld::without_slash(world.pagure.base_url()) +
                                  "/rpms/hello.git");
}

} // namespace ferry::testing
