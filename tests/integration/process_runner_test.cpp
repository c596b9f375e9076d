// The Boost.Process runner with real programs: argv is never a shell string, the environment
// is only what is given, output is capped, and a hung program is stopped at its timeout.
#include "infra/process/process_runner.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra::process;
using ferry::testing::TempDir;

namespace {

ferry::Result<ProcessResult> run(Command command) {
  if (command.env.find("PATH") == command.env.end()) {
    command.env["PATH"] = "/usr/bin:/bin";
  }
  return make_boost_process_runner()->run(command);
}

} // namespace

TEST_CASE("arguments reach the program verbatim and are never interpreted by a shell",
          "[integration][process]") {
  TempDir dir;
  std::string hostile = "$(touch " + (dir / "pwned").string() + "); `id` | rm -rf / ; *";
  Command command;
  command.argv = {"printf", "%s\\n", hostile};
  auto result = run(command);
  REQUIRE(result);
  CHECK(result->exit_code == 0);
  CHECK(result->out == hostile + "\n");
  CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
}

TEST_CASE("the child sees only the environment it is given", "[integration][process]") {
  ::setenv("FERRY_TEST_CANARY", "leaked", 1);
  Command command;
  command.argv = {"env"};
  command.env = {{"PATH", "/usr/bin:/bin"}, {"ONLY_THIS", "1"}};
  auto result = run(command);
  REQUIRE(result);
  CHECK(result->out.find("ONLY_THIS=1") != std::string::npos);
  CHECK(result->out.find("FERRY_TEST_CANARY") == std::string::npos);

  command.inherit_environment = true;
  result = run(command);
  REQUIRE(result);
  CHECK(result->out.find("FERRY_TEST_CANARY=leaked") != std::string::npos);
  ::unsetenv("FERRY_TEST_CANARY");
}

TEST_CASE("working directory, stdin and exit code are passed through", "[integration][process]") {
  TempDir dir;
  Command command;
  command.argv = {"sh", "-c", "pwd; cat; exit 7"};
  command.cwd = dir.path();
  command.stdin_data = "from stdin";
  auto result = run(command);
  REQUIRE(result);
  CHECK(result->exit_code == 7);
  CHECK(result->out == std::filesystem::canonical(dir.path()).string() + "\nfrom stdin");
}

TEST_CASE("stderr is captured apart from stdout", "[integration][process]") {
  Command command;
  command.argv = {"sh", "-c", "echo out; echo err >&2"};
  auto result = run(command);
  REQUIRE(result);
  CHECK(result->out == "out\n");
  CHECK(result->err == "err\n");
}

TEST_CASE("output beyond the cap is dropped and flagged, and the program still finishes",
          "[integration][process]") {
  Command command;
  command.argv = {"head", "-c", "1000000", "/dev/zero"};
  command.output_cap = 1000;
  auto result = run(command);
  REQUIRE(result);
  CHECK(result->exit_code == 0);
  CHECK(result->out.size() == 1000);
  CHECK(result->out_truncated);
}

TEST_CASE("a program running past its timeout is stopped with a timeout error",
          "[integration][process]") {
  Command command;
  command.argv = {"sleep", "30"};
  command.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  auto result = run(command);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ferry::ErrorKind::timeout);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("a missing program is a clear process error", "[integration][process]") {
  Command command;
  command.argv = {"ferry-no-such-program"};
  auto result = run(command);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ferry::ErrorKind::process);
  CHECK(result.error().message() == "cannot find program 'ferry-no-such-program' in PATH");
}

TEST_CASE("argv is described for logs with quoting for reading", "[integration][process]") {
  CHECK(describe_argv({"git", "commit", "-m", "it's done"}) == "git commit -m 'it'\\''s done'");
}
