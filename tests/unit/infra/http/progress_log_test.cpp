#include "infra/http/progress_log.hpp"
#include "support/log_capture.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra::http;
using namespace std::chrono_literals;

TEST_CASE("byte counts are shown in binary units", "[infra][http]") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(1023) == "1023 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(std::uint64_t{260} << 20) == "260.0 MiB");
  CHECK(format_bytes(std::uint64_t{3} << 30) == "3.0 GiB");
}

TEST_CASE("progress is logged at most once an interval, and once at completion", "[infra][http]") {
  ferry::testing::ScopedLogCapture capture(ferry::infra::log::Level::info);
  auto now = std::chrono::steady_clock::time_point{};
  auto progress = make_progress_log("upload x.tar.gz", 5s, [&] { return now; });
  const std::uint64_t total = std::uint64_t{100} << 20;
  for (int second = 1; second <= 12; ++second) {
    now += 1s;
    progress(Progress{0, 0, total, total * static_cast<std::uint64_t>(second) / 20});
  }
  now += 1s;
  progress(Progress{0, 0, total, total});
  progress(Progress{0, 0, total, total}); // libcurl calls again after the end: no new line
  auto lines = capture.lines();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "upload x.tar.gz: 25% (25.0 MiB of 100.0 MiB, 5.0 MiB/s)");
  CHECK(lines[1] == "upload x.tar.gz: 50% (50.0 MiB of 100.0 MiB, 5.0 MiB/s)");
  CHECK(lines[2] == "upload x.tar.gz: 100% (100.0 MiB of 100.0 MiB, 7.7 MiB/s)");
}

TEST_CASE("a download of unknown size shows bytes so far", "[infra][http]") {
  ferry::testing::ScopedLogCapture capture(ferry::infra::log::Level::info);
  auto now = std::chrono::steady_clock::time_point{};
  auto progress = make_progress_log("download", 1s, [&] { return now; });
  now += 2s;
  progress(Progress{0, 4096, 0, 0});
  REQUIRE(capture.lines().size() == 1);
  CHECK(capture.lines()[0] == "download: 4.0 KiB, 2.0 KiB/s");
}
