// A server program a test starts and stops (krb5kdc, prism): spawned from argv with the
// test's environment, output appended to a log file, terminated when the object goes away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ferry::testing {

class BackgroundProcess {
public:
  // Throws std::runtime_error when the program cannot be started.
  BackgroundProcess(std::vector<std::string> argv, const std::filesystem::path& log);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool running() const;
  // Waits until 127.0.0.1:port accepts connections, the process exits, or `timeout` passes.
  bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout) const;
  std::string log_tail(std::size_t bytes = 4000) const;

private:
  pid_t m_pid = -1;
  std::filesystem::path m_log;
};

// A port that was free a moment ago (the kernel's choice for a socket bound to port 0).
std::uint16_t free_port();

} // namespace ferry::testing
