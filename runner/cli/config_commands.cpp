// `ferry validate-config` and `ferry plan`: the Packit config, the CI event and the job plan
// from the command line.
#include "cli/commands.hpp"
#include "core/config/config.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <ostream>

namespace ferry::cli {

namespace {

namespace config = core::config;

// The config file: --config, else a file or directory given as PATH, else the current
// directory, searched for Packit's file names.
Result<std::filesystem::path> config_path(const ParsedArguments& args, std::string_view fallback) {
  std::filesystem::path given =
      args.has("config") ? args.value_or("config", "")
                         : (args.positionals().empty() ? std::string(fallback)
                                                       : args.positionals().front());
  std::error_code error;
  if (std::filesystem::is_directory(given, error)) {
    return config::find_config_file(given);
  }
  if (!std::filesystem::exists(given, error)) {
    return fail(ErrorKind::config, fmt::format("config file '{}' does not exist", given.string()));
  }
  return given;
}

ExitCode run_validate_config(const Invocation& call) {
  auto path = config_path(call.args, ".");
  if (!path) {
    return report_failure(path.error());
  }
  config::LoadResult result = config::load_config_file(*path);
  if (result.config) {
    config::check_repository_files(*result.config, path->parent_path().empty()
                                                       ? std::filesystem::path(".")
                                                       : path->parent_path(),
                                   result);
  }
  for (const config::Diagnostic& warning : result.warnings) {
    call.out << "warning: " << config::format_diagnostic(warning) << "\n";
  }
  if (!result.errors.empty()) {
    for (const config::Diagnostic& error : result.errors) {
      call.out << "error: " << config::format_diagnostic(error) << "\n";
    }
    call.out << fmt::format("{}: {} error{}\n", path->string(), result.errors.size(),
                            result.errors.size() == 1 ? "" : "s");
    return ExitCode::usage;
  }
  call.out << path->string() << ": OK\n";
  return ExitCode::ok;
}

constexpr OptionSpec k_validate_options[] = {
    {"config", "PATH", "the config file (default: .packit.yaml, .packit.yml, packit.yaml or "
                       "packit.yml in PATH or the current directory)"},
};
constexpr PositionalSpec k_validate_positionals[] = {
    {"PATH", "a config file, or the repository directory holding it", true, false},
};

constexpr Command k_commands[] = {
    {"validate-config", "check a Packit config (.packit.yaml): prints OK or every error",
     "Errors name the file, line, column and key, and say what is expected; the exit code is 2 "
     "when there are errors.",
     k_validate_options, k_validate_positionals, run_validate_config},
};

} // namespace

std::span<const Command> config_commands() { return k_commands; }

} // namespace ferry::cli
