// A scripted ProcessRunner for unit tests (ninja's FakeCommandRunner): records every Command
// and answers from a queue of results keyed by argv[0]; unknown programs "exit 127".
#pragma once

#include "infra/process/process_runner.hpp"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeProcessRunner final : public infra::process::ProcessRunner {
public:
  void on(const std::string& program, infra::process::ProcessResult result);
  void fail_with(const std::string& program, Error error);

  Result<infra::process::ProcessResult> run(const infra::process::Command& command) override;

  const std::vector<infra::process::Command>& commands() const { return m_commands; }

private:
  std::map<std::string, std::deque<Result<infra::process::ProcessResult>>> m_results;
  std::vector<infra::process::Command> m_commands;
};

} // namespace ferry::testing
