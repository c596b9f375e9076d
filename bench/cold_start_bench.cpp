// Wall time of `ferry --version` as CI runs it: spawn, initialise, print, exit.
// Packit's CLI takes ~2.8 s for the same; ferry's target is <= 5 ms median.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // NOLINT: POSIX

namespace {

int run_ferry(const char* argument) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  char binary[] = FERRY_BINARY;
  std::string arg(argument);
  char* argv[] = {binary, arg.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, binary, &actions, nullptr, argv, environ) != 0) {
    return -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void cold_start_version(benchmark::State& state) {
  for (auto _ : state) {
    if (run_ferry("--version") != 0) {
      state.SkipWithError("ferry --version failed");
      break;
    }
  }
}

} // namespace

BENCHMARK(cold_start_version)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(50)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
