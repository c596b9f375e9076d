// Running other programs: always from an argv vector (never a shell string), with an explicit
// environment, working directory, timeout and a cap on captured output.
#pragma once

#include "error.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::infra::process {

struct Command {
  std::vector<std::string> argv; // argv[0] without '/' is looked up in PATH
  std::optional<std::filesystem::path> cwd;
  // The child's whole environment. Nothing is inherited unless inherit_environment is set,
  // in which case these entries override the parent's.
  std::map<std::string, std::string> env;
  bool inherit_environment = false;
  std::string stdin_data; // written to the child's stdin, which is then closed
  std::chrono::milliseconds timeout{10 * 60 * 1000};
  std::size_t output_cap = std::size_t{4} << 20; // per stream; the rest is read and dropped
};

struct ProcessResult {
  int exit_code = 0;
  std::string out;
  std::string err;
  bool out_truncated = false;
  bool err_truncated = false;
  std::chrono::milliseconds elapsed{0};
};

class ProcessRunner {
public:
  virtual ~ProcessRunner() = default;
  // Runs the command to completion. A non-zero exit is a ProcessResult, not an error: the
  // caller knows what the program's codes mean. Errors: ErrorKind::process when it cannot be
  // started (not found, not executable, bad cwd), ErrorKind::timeout when it ran past its
  // timeout (it is then killed).
  [[nodiscard]] virtual Result<ProcessResult> run(const Command& command) = 0;
};

std::unique_ptr<ProcessRunner> make_boost_process_runner();

// "a b 'c d'" for log lines: quoted for reading, never for a shell to execute.
std::string describe_argv(const std::vector<std::string>& argv);

} // namespace ferry::infra::process
