// The release sync's heavy parts, measured where users feel them:
//  - an archive hashed (SHA-512, streamed) and uploaded to the lookaside (`fake-forge --kind
//    lookaside` in its own process, so only ferry's side is in this process's peak RSS),
//    compared with `openssl dgst -sha512` on the same file in the same run. Size:
//    FERRY_BENCH_ARCHIVE_MIB (default 1024). Targets: >= 90 % of openssl's throughput, peak
//    RSS <= 64 MiB.
//  - the whole local propose-downstream of examples/hello (the real binary, a fresh dist-git
//    clone each time, the small example archive). Target: <= 300 ms.
#include "clients/fedora/lookaside/lookaside.hpp"
#include "core/sync/archives.hpp"
#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ; // NOLINT: POSIX

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Starts argv (output to /dev/null when quiet); the pid, or -1 when it cannot start.
pid_t spawn(std::vector<std::string> argv, const fs::path& cwd = {}, bool quiet = true) {
  std::vector<char*> args;
  for (std::string& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  if (!cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  }
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Runs argv, waits; the exit status (-1 when it cannot start).
int run(std::vector<std::string> argv, const fs::path& cwd = {}, bool quiet = true) {
  pid_t pid = spawn(std::move(argv), cwd, quiet);
  if (pid < 0) {
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::uint64_t archive_bytes() {
  const char* mib = std::getenv("FERRY_BENCH_ARCHIVE_MIB");
  return std::uint64_t{mib != nullptr ? std::strtoull(mib, nullptr, 10) : 1024} << 20;
}

fs::path make_archive(const fs::path& dir, std::uint64_t size) {
  fs::path path = dir / "big-1.0.tar.gz";
  std::ofstream out(path, std::ios::binary);
  std::mt19937_64 random(42);
  std::vector<std::uint64_t> block(1 << 17);
  for (std::uint64_t written = 0; written < size; written += block.size() * 8) {
    for (auto& word : block) {
      word = random();
    }
    out.write(
        reinterpret_cast<const char*>(block.data()), // NOLINT: bytes of the block
        static_cast<std::streamsize>(std::min<std::uint64_t>(block.size() * 8, size - written)));
  }
  return path;
}

// The standalone fake lookaside in its own process; stops it on destruction.
struct FakeLookasideProcess {
  pid_t pid = 0;
  std::string url;
  explicit FakeLookasideProcess(const fs::path& dir) {
    fs::path seed = dir / "seed.json";
    std::ofstream(seed) << R"({"packages": ["big"]})";
    fs::path url_file = dir / "url";
    pid = spawn({FERRY_FAKE_FORGE, "--kind", "lookaside", "--seed", seed.string(), "--url-file",
                 url_file.string()});
    for (int i = 0; i < 200 && url.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::ifstream in(url_file);
      std::getline(in, url);
    }
  }
  ~FakeLookasideProcess() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void hash_and_upload_vs_openssl(benchmark::State& state) {
  ferry::infra::log::logger().set_level(ferry::infra::log::Level::warning);
  fs::path dir = fs::temp_directory_path() / ("ferry-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::uint64_t size = archive_bytes();
  fs::path archive = make_archive(dir, size);
  FakeLookasideProcess fake(dir);
  if (fake.url.empty()) {
    state.SkipWithError("fake-forge --kind lookaside did not start");
    fs::remove_all(dir);
    return;
  }
  ferry::infra::http::ClientOptions options;
  options.total_timeout = std::chrono::minutes(10);
  auto http = ferry::infra::http::make_curl_http_client(options);
  ferry::clients::fedora::lookaside::CgiSettings cgi;
  cgi.download_base = fake.url;
  cgi.cgi_url = fake.url + "/upload.cgi";
  auto lookaside = ferry::clients::fedora::lookaside::make_cgi_lookaside(*http, cgi);
  double openssl_seconds = 0;
  double hash_seconds = 0;
  double upload_seconds = 0;
  for (auto _ : state) {
    auto started = Clock::now();
    if (run({"openssl", "dgst", "-sha512", archive.string()}) != 0) {
      state.SkipWithError("openssl dgst failed");
      break;
    }
    openssl_seconds = seconds_since(started);
    started = Clock::now();
    auto described = ferry::core::sync::describe_archive(archive);
    hash_seconds = seconds_since(started);
    if (!described) {
      state.SkipWithError("hashing failed");
      break;
    }
    started = Clock::now();
    ferry::clients::fedora::lookaside::Archive stored{"big", described->filename,
                                                      described->sha512};
    auto has = lookaside->has(stored);
    auto uploaded = lookaside->upload(stored, archive);
    upload_seconds = seconds_since(started);
    if (!has || !uploaded) {
      state.SkipWithError("the upload failed");
      break;
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double mib = static_cast<double>(size) / (1 << 20);
  state.counters["MiB"] = mib;
  state.counters["openssl_MiB_s"] = mib / openssl_seconds;
  state.counters["hash_MiB_s"] = mib / hash_seconds;
  state.counters["hash_vs_openssl_pct"] = 100.0 * openssl_seconds / hash_seconds;
  state.counters["hash_upload_MiB_s"] = mib / (hash_seconds + upload_seconds);
  state.counters["hash_upload_vs_openssl_pct"] =
      100.0 * openssl_seconds / (hash_seconds + upload_seconds);
  state.counters["peak_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  fs::remove_all(dir);
}
BENCHMARK(hash_and_upload_vs_openssl)->Unit(benchmark::kMillisecond)->Iterations(1);

void local_propose_downstream(benchmark::State& state) {
  fs::path dir = fs::temp_directory_path() / ("ferry-bench-local-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path upstream = dir / "hello";
  fs::copy(FERRY_SOURCE_DIR "/examples/hello", upstream, fs::copy_options::recursive);
  auto git = [](const fs::path& cwd, std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-c", "user.name=Bench", "-c", "user.email=b@example.org"});
    return run(args, cwd);
  };
  git(upstream, {"init", "-q", "-b", "main"});
  git(upstream, {"add", "-A"});
  git(upstream, {"commit", "-q", "-m", "hello"});
  git(upstream, {"tag", "v1.3.0"});
  git(upstream,
      {"archive", "--prefix=hello-1.3.0/", "-o", (dir / "hello-1.3.0.tar.gz").string(), "HEAD"});
  fs::path seed = dir / "dist-git-seed";
  fs::copy(FERRY_SOURCE_DIR "/examples/hello-dist-git", seed, fs::copy_options::recursive);
  git(seed, {"init", "-q", "-b", "rawhide"});
  git(seed, {"add", "-A"});
  git(seed, {"commit", "-q", "-m", "hello 1.2.0"});
  int iteration = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fs::path clone = dir / ("dist-git-" + std::to_string(++iteration));
    git(dir, {"clone", "-q", seed.string(), clone.string()});
    state.ResumeTiming();
    int rc = run({FERRY_BINARY, "--quiet", "propose-downstream", "--local", "--dist-git",
                  clone.string(), "--lookaside", (dir / "lookaside").string(), "--archive",
                  (dir / "hello-1.3.0.tar.gz").string(), "--author", "Bench <b@example.org>"},
                 upstream);
    if (rc != 0) {
      state.SkipWithError("ferry propose-downstream --local failed");
      break;
    }
  }
  fs::remove_all(dir);
}
BENCHMARK(local_propose_downstream)->Unit(benchmark::kMillisecond)->Iterations(20);

} // namespace

BENCHMARK_MAIN();
