#include "support/fake_process_runner.hpp"

namespace ferry::testing {

void FakeProcessRunner::on(const std::string& program, infra::process::ProcessResult result) {
  m_results[program].emplace_back(std::move(result));
}

void FakeProcessRunner::fail_with(const std::string& program, Error error) {
  m_results[program].emplace_back(std::unexpected(std::move(error)));
}

Result<infra::process::ProcessResult>
FakeProcessRunner::run(const infra::process::Command& command) {
  m_commands.push_back(command);
  auto it = command.argv.empty() ? m_results.end() : m_results.find(command.argv.front());
  if (it == m_results.end() || it->second.empty()) {
    infra::process::ProcessResult not_found;
    not_found.exit_code = 127;
    not_found.err = "fake: no result scripted for this program";
    return not_found;
  }
  Result<infra::process::ProcessResult> answer = it->second.front();
  if (it->second.size() > 1) {
    it->second.pop_front();
  }
  return answer;
}

} // namespace ferry::testing
