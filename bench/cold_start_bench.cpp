// Wall time of `ferry --version` as CI runs it: spawn, initialise, print, exit.
// Packit's CLI takes ~2.8 s for the same; ferry's target is <= 5 ms median.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

extern char** environ; // NOLINT: POSIX

namespace {

int run_ferry(const char* binary_path, const char* argument) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::string binary(binary_path);
  std::string arg(argument);
  char* argv[] = {binary.data(), arg.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ) != 0) {
    return -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void cold_start_version(benchmark::State& state, const std::string& binary) {
  for (auto _ : state) {
    if (run_ferry(binary.c_str(), "--version") != 0) {
      state.SkipWithError("ferry --version failed");
      break;
    }
  }
}

void register_binary(const char* name, std::string binary) {
  benchmark::RegisterBenchmark(name, cold_start_version, std::move(binary))
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(50)
      ->Repetitions(10)
      ->ReportAggregatesOnly(true);
}

} // namespace

// The build's own binary, and the static one (what the container ships) when
// FERRY_STATIC_BINARY names it.
int main(int argc, char** argv) {
  register_binary("cold_start_version/this_build", FERRY_BINARY);
  if (const char* static_binary = std::getenv("FERRY_STATIC_BINARY");
      static_binary != nullptr && access(static_binary, X_OK) == 0) {
    register_binary("cold_start_version/static", static_binary);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
