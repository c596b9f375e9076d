#include "core/sync/actions.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/environment.hpp"
#include "infra/util/text.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace ferry::core::sync {

namespace {

void log_lines(std::string_view prefix, std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    infra::log::info("{}{}", prefix, text.substr(start, end - start));
    start = end + 1;
  }
}

std::map<std::string, std::string> base_environment() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ"}) {
    if (const char* value = std::getenv(name); value != nullptr) {
      env[name] = value;
    }
  }
  if (!env.contains("PATH")) {
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  }
  // ferry's safe.directory for the workspace, so that git works in it; no other git setting
  // given through the environment (an extra header there is a credential).
  long kept = 0;
  const char* count = std::getenv("GIT_CONFIG_COUNT");
  for (long i = 0, n = count != nullptr ? std::strtol(count, nullptr, 10) : 0; i < n && i < 1000;
       ++i) {
    const char* key = std::getenv(("GIT_CONFIG_KEY_" + std::to_string(i)).c_str());
    // values are sealed away with the secrets (cli/settings.cpp): read from the private copy
    auto value = infra::process::environment_variable("GIT_CONFIG_VALUE_" + std::to_string(i));
    if (key != nullptr && value && std::string_view(key) == "safe.directory") {
      env["GIT_CONFIG_KEY_" + std::to_string(kept)] = key;
      env["GIT_CONFIG_VALUE_" + std::to_string(kept)] = *value;
      ++kept;
    }
  }
  if (kept > 0) {
    env["GIT_CONFIG_COUNT"] = std::to_string(kept);
  }
  return env;
}

Result<std::vector<std::string>> to_argv(const nlohmann::ordered_json& item,
                                         std::string_view action) {
  if (item.is_string()) {
    return split_command(item.get<std::string>());
  }
  if (item.is_array()) {
    std::vector<std::string> argv;
    for (const auto& word : item) {
      if (!word.is_string()) {
        break;
      }
      argv.push_back(word.get<std::string>());
    }
    if (argv.size() == item.size() && !argv.empty()) {
      return argv;
    }
  }
  return fail(
      ErrorKind::config,
      fmt::format("actions.{}: each command must be a string or a list of strings", action));
}

} // namespace

Result<std::vector<std::string>> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < command.size() &&
                 std::string_view("\\\"$`\n").find(command[i + 1]) != std::string_view::npos) {
        word += command[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) {
    return fail(ErrorKind::config,
                fmt::format("unterminated {} quote in command: {}", quote, std::string(command)));
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  return words;
}

Result<std::vector<std::vector<std::string>>>
configured_action(const nlohmann::ordered_json& settings, std::string_view action) {
  std::vector<std::vector<std::string>> commands;
  if (!settings.contains("actions") || !settings["actions"].is_object()) {
    return commands;
  }
  const auto& actions = settings["actions"];
  auto found = actions.find(std::string(action));
  if (found == actions.end() || found->is_null()) {
    return commands;
  }
  if (found->is_string()) {
    FERRY_TRY_ASSIGN(auto argv, to_argv(*found, action));
    commands.push_back(std::move(argv));
    return commands;
  }
  if (!found->is_array()) {
    return fail(ErrorKind::config,
                fmt::format("actions.{}: expected a command or a list of commands", action));
  }
  // A list of strings is a list of commands; a list of lists, one argv each.
  for (const auto& item : *found) {
    FERRY_TRY_ASSIGN(auto argv, to_argv(item, action));
    if (!argv.empty()) {
      commands.push_back(std::move(argv));
    }
  }
  return commands;
}

Result<std::string> run_action(infra::process::ProcessRunner& runner, const ActionRun& run) {
  std::string output;
  for (const auto& argv : run.commands) {
    infra::log::info("action {}: {}", run.action, infra::process::describe_argv(argv));
    infra::process::Command command;
    command.argv = argv;
    command.cwd = run.cwd;
    command.env = base_environment();
    for (const auto& [name, value] : run.env) {
      command.env[name] = value;
    }
    command.timeout = run.timeout;
    auto result = runner.run(command);
    if (!result) {
      return std::unexpected(result.error().add_context(
          fmt::format("running action {} ({})", run.action, infra::process::describe_argv(argv))));
    }
    log_lines(fmt::format("  [{}] ", run.action), result->out);
    log_lines(fmt::format("  [{}] ", run.action), result->err);
    if (result->exit_code != 0) {
      return fail(ErrorKind::process,
                  fmt::format("action {} failed: {} exited with {}{}", run.action,
                              infra::process::describe_argv(argv), result->exit_code,
                              result->err.empty()
                                  ? ""
                                  : ": " + infra::util::shorten_back(result->err, 400)));
    }
    output += result->out;
  }
  return output;
}

} // namespace ferry::core::sync
