// The release sync's heavy parts, measured where users feel them:
//  - an archive hashed (SHA-512) and uploaded to the lookaside (`fake-forge --kind lookaside`
//    in its own process, streaming the upload to disk; only ferry's side is in this process's
//    peak RSS), compared with `openssl dgst -sha512` on the same file in the same run. Size:
//    FERRY_BENCH_ARCHIVE_MIB (default 1024). Targets: >= 90 % of openssl's throughput, peak
//    RSS <= 64 MiB.
//    In the job the archive's hash comes from its download (hashed as it arrives); the
//    lookaside is asked, and the upload hashes the file again while sending it, for the
//    checksum part that follows the file: `hash_upload_*` times that check + upload against a
//    fake that stores without re-hashing, since the real server verifies on its own machine.
//    `same_cores_*` is the same against a fake that verifies the SHA-512 as upload.cgi does,
//    here on the runner's own two cores (two full SHA-512s on two cores: ~75 %, bounded by the
//    fake's verification). `hash_*` is ferry's hash of a file alone, `cold_*` an archive ferry
//    did not download (hash, then check + upload).
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
#include <iterator>
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
  FakeLookasideProcess(const fs::path& dir, bool verify_checksums) {
    std::string name = verify_checksums ? "verifying" : "storing";
    fs::path seed = dir / (name + "-seed.json");
    std::ofstream(seed) << R"({"packages": ["big"], "verify_checksums": )"
                        << (verify_checksums ? "true" : "false") << "}";
    fs::path url_file = dir / (name + "-url");
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
  FakeLookasideProcess(const FakeLookasideProcess&) = delete;
  FakeLookasideProcess& operator=(const FakeLookasideProcess&) = delete;
};

// CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) { // utime, stime
      ticks += std::stod(field);
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct UploadFigures {
  bool ok = false;
  double seconds = 0;
  double ferry_cpu = 0;
  double fake_cpu = 0;
};

// What the job does with an archive it downloaded (and so hashed): ask the lookaside, then
// upload, hashing the file again while it is sent for the checksum part.
UploadFigures check_and_upload(const FakeLookasideProcess& fake, const fs::path& archive,
                               const std::string& sha512) {
  namespace lookaside = ferry::clients::fedora::lookaside;
  ferry::infra::http::ClientOptions options;
  options.total_timeout = std::chrono::minutes(10);
  auto http = ferry::infra::http::make_curl_http_client(options);
  auto client = lookaside::make_cgi_lookaside(
      *http, lookaside::CgiSettings{fake.url, fake.url + "/upload.cgi", "rpms"});
  UploadFigures figures;
  double ferry_before = process_cpu_seconds(getpid());
  double fake_before = process_cpu_seconds(fake.pid);
  auto started = Clock::now();
  lookaside::Archive stored{"big", archive.filename().string(), sha512};
  auto missing = client->has(stored);
  figures.ok = missing && !*missing && client->upload(stored, archive);
  figures.seconds = seconds_since(started);
  figures.ferry_cpu = process_cpu_seconds(getpid()) - ferry_before;
  figures.fake_cpu = process_cpu_seconds(fake.pid) - fake_before;
  return figures;
}

void hash_and_upload_vs_openssl(benchmark::State& state) {
  ferry::infra::log::logger().set_level(ferry::infra::log::Level::warning);
  fs::path dir = fs::temp_directory_path() / ("ferry-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::uint64_t size = archive_bytes();
  fs::path archive = make_archive(dir, size);
  FakeLookasideProcess storing(dir, false);
  FakeLookasideProcess verifying(dir, true);
  if (storing.url.empty() || verifying.url.empty()) {
    state.SkipWithError("fake-forge --kind lookaside did not start");
    fs::remove_all(dir);
    return;
  }
  double openssl_seconds = 0;
  double hash_seconds = 0;
  UploadFigures upload;
  UploadFigures upload_verified;
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
    upload = check_and_upload(storing, archive, described->sha512);
    upload_verified = check_and_upload(verifying, archive, described->sha512);
    if (!upload.ok || !upload_verified.ok) {
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
  // the target: the server verifies on its own machine, as the real lookaside does
  state.counters["hash_upload_MiB_s"] = mib / upload.seconds;
  state.counters["hash_upload_vs_openssl_pct"] = 100.0 * openssl_seconds / upload.seconds;
  state.counters["ferry_cpu_s"] = upload.ferry_cpu;
  // reported: the fake also verifies the SHA-512 on this machine's cores
  state.counters["same_cores_vs_openssl_pct"] = 100.0 * openssl_seconds / upload_verified.seconds;
  state.counters["same_cores_fake_cpu_s"] = upload_verified.fake_cpu;
  // an archive ferry did not download: hash, check and upload
  state.counters["cold_vs_openssl_pct"] = 100.0 * openssl_seconds / (hash_seconds + upload.seconds);
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
