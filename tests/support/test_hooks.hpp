// The crash-recovery tests need the ferry under test to have its test hooks, which only a build
// configured with FERRY_TEST_HOOKS=ON (the dev preset) has: the binaries users run ignore
// FERRY_CRASH_AFTER_STEP. Without them a crash test fails and says why; it never skips.
#pragma once

#include "support/skip.hpp"
#include "support/spawn_process_runner.hpp"

#include <map>
#include <string>

namespace ferry::testing {

// Whether `ferry version --verbose` reports the test hooks built in.
inline bool ferry_has_test_hooks(const std::string& binary) {
  infra::process::Command command;
  command.argv = {binary, "version", "--verbose"};
  command.env = {{"PATH", "/usr/bin:/bin"}};
  auto result = make_spawn_process_runner()->run(command);
  return result && result->exit_code == 0 &&
         result->out.find("test hooks: built in") != std::string::npos;
}

// `env` with ferry told to stop dead (exit 70) after `step`.
inline std::map<std::string, std::string> crashing_after(std::map<std::string, std::string> env,
                                                         const std::string& step) {
  static const bool hooks = ferry_has_test_hooks(FERRY_BINARY);
  if (!hooks) {
    FERRY_PREREQUISITE_MISSING("a ferry built with -DFERRY_TEST_HOOKS=ON (the dev preset): "
                               << FERRY_BINARY << " has no crash hook");
  }
  env["FERRY_CRASH_AFTER_STEP"] = step;
  return env;
}

} // namespace ferry::testing
