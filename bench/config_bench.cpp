// `ferry validate-config` on the largest Packit config of the shared corpus: the in-process
// load (YAML parse, schema, inheritance) and the whole process as CI runs it (spawn, load,
// print, exit). Target: <= 20 ms wall for the process; Packit's CLI takes 2.6-3.0 s.
#include "core/config/config.hpp"

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

extern char** environ; // NOLINT: POSIX

namespace {

namespace fs = std::filesystem;

// The largest config file in the corpus, else ferry's own biggest fixture.
fs::path largest_config() {
  fs::path corpus = fs::path(FERRY_SOURCE_DIR "/../shared/corpus/configs");
  fs::path best = fs::path(FERRY_SOURCE_DIR) / "tests/fixtures/configs/single_package.yaml";
  std::uintmax_t best_size = 0;
  std::error_code error;
  if (fs::exists(corpus, error)) {
    for (const auto& entry : fs::recursive_directory_iterator(corpus, error)) {
      std::string name = entry.path().filename().string();
      bool config = name == ".packit.yaml" || name == ".packit.yml" || name == "packit.yaml" ||
                    name == "packit.yml";
      if (config && entry.file_size(error) > best_size) {
        best_size = entry.file_size(error);
        best = entry.path();
      }
    }
  }
  return best;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void config_load_in_process(benchmark::State& state) {
  fs::path path = largest_config();
  std::string text = read_text(path);
  state.SetLabel(path.parent_path().filename().string() + " (" + std::to_string(text.size()) +
                 " bytes)");
  for (auto _ : state) {
    auto result = ferry::core::config::load_config_text(text, path.string(), {});
    if (!result.config) {
      state.SkipWithError("the config does not load");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}

int run_validate(const std::string& config) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string binary(FERRY_BINARY);
  std::string command("validate-config");
  std::string argument(config);
  char* argv[] = {binary.data(), command.data(), argument.data(), nullptr};
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void validate_config_process(benchmark::State& state) {
  fs::path path = largest_config();
  state.SetLabel(path.parent_path().filename().string());
  for (auto _ : state) {
    if (run_validate(path.string()) != 0) {
      state.SkipWithError("ferry validate-config failed");
      break;
    }
  }
}

} // namespace

BENCHMARK(config_load_in_process)->Unit(benchmark::kMicrosecond);
BENCHMARK(validate_config_process)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(30)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
