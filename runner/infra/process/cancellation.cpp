#include "infra/process/cancellation.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>

namespace ferry::infra::process {

namespace {

std::atomic<int> g_signal{0};

// The first signal asks for a clean stop; a second one ends the process at once, as without
// a handler (a user pressing Ctrl-C twice).
extern "C" void record_cancel(int signal) {
  int none = 0;
  if (!g_signal.compare_exchange_strong(none, signal)) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

} // namespace

void install_cancellation_handlers() {
  struct sigaction action {};
  action.sa_handler = record_cancel;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; // no SA_RESTART: a blocking call returns EINTR and its loop looks again
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

bool cancel_requested() {
  return g_signal.load() != 0;
}

int cancel_signal() {
  return g_signal.load();
}

std::string cancel_signal_name() {
  switch (g_signal.load()) {
  case SIGTERM:
    return "SIGTERM";
  case SIGINT:
    return "SIGINT";
  case 0:
    return "";
  default:
    return "signal " + std::to_string(g_signal.load());
  }
}

Status check_not_cancelled() {
  if (!cancel_requested()) {
    return {};
  }
  return fail(ErrorKind::cancelled, "cancelled by " + cancel_signal_name());
}

void wait_unless_cancelled(std::chrono::milliseconds duration) {
  constexpr std::chrono::milliseconds k_slice{100};
  auto until = std::chrono::steady_clock::now() + duration;
  while (!cancel_requested()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return;
    }
    std::this_thread::sleep_for(std::min(left, k_slice));
  }
}

void reset_cancellation_for_tests() {
  g_signal.store(0);
}

} // namespace ferry::infra::process
