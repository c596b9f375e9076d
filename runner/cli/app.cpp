#include "cli/app.hpp"

#include "cli/commands.hpp"
#include "cli/settings.hpp"
#include "cli/wiring.hpp"
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/process/environment.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

extern char** environ; // NOLINT: POSIX

namespace ferry::cli {

namespace {

namespace log = infra::log;

constexpr std::array<OptionSpec, 5> k_global_options = {{
    {"verbose", "", "show debug output (every HTTP request, git and process call)"},
    {"quiet", "", "show only warnings and errors"},
    {"dry-run", "", "do every read, print every write ferry would make, make none"},
    {"help", "", "show help (for a command: ferry COMMAND --help)"},
    {"version", "", "print ferry's version and exit"},
}};

constexpr std::string_view k_exit_codes =
    "Exit codes:\n"
    "  0  success (or nothing left to do)\n"
    "  1  a job ran and failed\n"
    "  2  usage, configuration or event error: nothing was attempted\n"
    "  3  internal error in ferry (please report it)\n"
    "  130, 143  cancelled by SIGINT or SIGTERM: stopped between steps; run it again to finish\n";

// Every credential in the environment is registered with the redactor before anything is
// logged, then sealed away from the environment that children and /proc can see.
void seal_environment_secrets() {
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view kv(*entry);
    std::size_t eq = kv.find('=');
    if (eq != std::string_view::npos && is_secret_variable(kv.substr(0, eq))) {
      log::logger().register_secret(kv.substr(eq + 1));
    }
  }
  infra::process::seal_environment(is_secret_variable);
}

void print_main_help(std::ostream& out) {
  out << "ferry " FERRY_VERSION
         " — release automation for RPM distributions, run from your own CI\n\n"
         "Usage: ferry [--verbose|--quiet] [--dry-run] COMMAND [ARGS...]\n\nCommands:\n";
  std::size_t width = 0;
  for (const Command& command : all_commands()) {
    width = std::max(width, command.name.size());
  }
  for (const Command& command : all_commands()) {
    out << "  " << command.name << std::string(width - command.name.size() + 3, ' ')
        << command.summary << "\n";
  }
  out << "\nGlobal options:\n"
      << format_option_help(k_global_options, {}) << "\n"
      << k_exit_codes << "\nRun 'ferry COMMAND --help' for a command's options.\n";
}

void print_command_help(const Command& command, std::ostream& out) {
  out << "Usage: ferry " << command.name;
  if (!command.options.empty()) {
    out << " [OPTIONS]";
  }
  for (const PositionalSpec& p : command.positionals) {
    out << " " << (p.optional ? "[" : "") << p.name << (p.variadic ? "..." : "")
        << (p.optional ? "]" : "");
  }
  out << "\n\n" << command.summary << "\n";
  if (!command.description.empty()) {
    out << "\n" << command.description << "\n";
  }
  out << "\nOptions:\n"
      << format_option_help(command.options, command.positionals)
      << format_option_help(k_global_options, {});
}

// The command whose (possibly multi-word) name matches the most leading words of `words`.
const Command* find_command(std::span<const std::string_view> words, std::size_t& consumed) {
  const Command* best = nullptr;
  for (const Command& command : all_commands()) {
    std::string_view name = command.name;
    std::size_t used = 0;
    bool matches = true;
    while (!name.empty() && matches) {
      std::size_t space = name.find(' ');
      std::string_view word = name.substr(0, space);
      matches = used < words.size() && words[used] == word;
      ++used;
      name = space == std::string_view::npos ? std::string_view() : name.substr(space + 1);
    }
    if (matches && (best == nullptr || used > consumed)) {
      best = &command;
      consumed = used;
    }
  }
  return best;
}

// `--help` anywhere before `--`, even where the rest of the line would not parse.
bool asks_for_help(std::span<const std::string_view> args) {
  for (std::string_view arg : args) {
    if (arg == "--") {
      return false;
    }
    if (arg == "--help") {
      return true;
    }
  }
  return false;
}

GlobalOptions apply_global_options(const ParsedArguments& parsed, GlobalOptions global) {
  global.verbose = global.verbose || parsed.has("verbose");
  global.quiet = global.quiet || parsed.has("quiet");
  global.dry_run = global.dry_run || parsed.has("dry-run");
  return global;
}

void configure_log(const GlobalOptions& global) {
  log::Logger& logger = log::logger();
  logger.set_ci_flavor(log::detect_ci_flavor());
  logger.set_level(global.verbose ? log::Level::debug
                                  : (global.quiet ? log::Level::warning : log::Level::info));
  seal_environment_secrets();
}

ExitCode usage_error(const std::string& message, std::string_view hint) {
  log::error("{}", message);
  log::info("{}", hint);
  return ExitCode::usage;
}

ExitCode dispatch(std::span<const std::string_view> args) {
  // Global options may come before the command name.
  std::size_t first = 0;
  while (first < args.size() && args[first].starts_with("--")) {
    ++first;
  }
  auto leading = parse_arguments(args.subspan(0, first), k_global_options, {});
  if (!leading) {
    return usage_error(leading.error().message(), "Run 'ferry --help' for usage.");
  }
  GlobalOptions global = apply_global_options(*leading, {});
  configure_log(global);
  if (leading->has("version")) {
    std::cout << "ferry " FERRY_VERSION "\n";
    return ExitCode::ok;
  }
  if (first == args.size()) {
    print_main_help(std::cout);
    return leading->has("help") ? ExitCode::ok : ExitCode::usage;
  }
  std::size_t consumed = 0;
  const Command* command = find_command(args.subspan(first), consumed);
  if (command == nullptr) {
    return usage_error("unknown command '" + std::string(args[first]) + "'",
                       "Run 'ferry --help' to see the commands.");
  }
  std::vector<OptionSpec> options(command->options.begin(), command->options.end());
  options.insert(options.end(), k_global_options.begin(), k_global_options.end());
  auto rest = args.subspan(first + consumed);
  auto parsed = parse_arguments(rest, options, command->positionals);
  if (leading->has("help") || asks_for_help(rest)) {
    print_command_help(*command, std::cout);
    return ExitCode::ok;
  }
  if (!parsed) {
    return usage_error(parsed.error().message(),
                       "Run 'ferry " + std::string(command->name) + " --help' for usage.");
  }
  global = apply_global_options(*parsed, global);
  configure_log(global);
  // Library set-up costs milliseconds, so --help, --version and usage errors skip it.
  infra::http::HttpLibraryGuard http_guard;
  infra::git::GitLibraryGuard git_guard;
  if (auto limits = configure_git_transfers(Settings(&*parsed, core::event::process_environment()));
      !limits) {
    return report_failure(limits.error());
  }
  return command->handler(Invocation{*parsed, global, std::cout});
}

} // namespace

ExitCode cancelled_exit_code() {
  return static_cast<ExitCode>(static_cast<int>(ExitCode::cancelled) +
                               infra::process::cancel_signal());
}

ExitCode report_failure(const Error& error) {
  log::error("{}", error.describe());
  switch (error.kind()) {
  case ErrorKind::usage:
  case ErrorKind::config:
  case ErrorKind::event:
  case ErrorKind::spec_parse:
    return ExitCode::usage;
  case ErrorKind::internal:
    return ExitCode::internal;
  case ErrorKind::cancelled:
    return cancelled_exit_code();
  default:
    return ExitCode::job_failed;
  }
}

int run(int argc, char** argv) {
  // Writes to a closed pipe (a hook that exited early) must be an error, not a dead process.
  std::signal(SIGPIPE, SIG_IGN);
  // SIGTERM/SIGINT (a cancelled or timed-out CI job) stop the run cleanly, between steps.
  infra::process::install_cancellation_handlers();
  try {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    return static_cast<int>(dispatch(args));
  } catch (const std::exception& e) {
    log::error(
        "internal error: {} — please report this at https://github.com/ferry-bot/ferry/issues",
        e.what());
  } catch (...) {
    log::error("internal error: unknown exception — please report this");
  }
  return static_cast<int>(ExitCode::internal);
}

} // namespace ferry::cli
