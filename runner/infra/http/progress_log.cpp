#include "infra/http/progress_log.hpp"

#include "infra/log/logger.hpp"

#include <memory>

namespace ferry::infra::http {

namespace {

struct ProgressState {
  std::string label;
  std::chrono::milliseconds interval;
  Clock clock;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point last_line;
  bool finished = false;
};

void log_progress(const ProgressState& state, std::uint64_t now, std::uint64_t total,
                  std::chrono::steady_clock::time_point at) {
  double seconds = std::chrono::duration<double>(at - state.started).count();
  std::string rate =
      seconds > 0
          ? ", " + format_bytes(static_cast<std::uint64_t>(static_cast<double>(now) / seconds)) +
                "/s"
          : "";
  if (total > 0) {
    log::info("{}: {}% ({} of {}{})", state.label, now * 100 / total, format_bytes(now),
              format_bytes(total), rate);
  } else {
    log::info("{}: {}{}", state.label, format_bytes(now), rate);
  }
}

} // namespace

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(k_units)) {
    value /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, k_units[unit]);
}

ProgressCallback make_progress_log(std::string label, std::chrono::milliseconds interval,
                                   Clock clock) {
  if (!clock) {
    clock = [] { return std::chrono::steady_clock::now(); };
  }
  auto state = std::make_shared<ProgressState>();
  state->label = std::move(label);
  state->interval = interval;
  state->started = clock();
  state->last_line = state->started;
  state->clock = std::move(clock);
  return [state](const Progress& progress) {
    bool uploading = progress.upload_total > 0 || progress.upload_now > 0;
    std::uint64_t now = uploading ? progress.upload_now : progress.download_now;
    std::uint64_t total = uploading ? progress.upload_total : progress.download_total;
    auto at = state->clock();
    bool complete = total > 0 && now >= total;
    if (state->finished || (!complete && at - state->last_line < state->interval)) {
      return;
    }
    // A transfer that ends within the first interval is not worth a line.
    if (complete && state->last_line == state->started && at - state->started < state->interval) {
      state->finished = true;
      return;
    }
    state->finished = complete;
    state->last_line = at;
    log_progress(*state, now, total, at);
  };
}

} // namespace ferry::infra::http
