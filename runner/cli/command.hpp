// The shape of a ferry subcommand: one table row each (ninja's tool table). Adding a command
// means adding a row in a *_commands.cpp file and listing its span in commands.cpp.
#pragma once

#include "cli/arguments.hpp"
#include "error.hpp"

#include <iosfwd>
#include <span>
#include <string_view>

namespace ferry::cli {

// Documented in `ferry --help` and README: scripts and CI rely on these.
enum class ExitCode : int {
  ok = 0,          // everything asked for was done (or was already done)
  job_failed = 1,  // a job ran and failed; details in the log and report
  usage = 2,       // bad command line, bad config or bad event: nothing was attempted
  internal = 3,    // a bug in ferry; please report it
  cancelled = 128, // + the signal's number: 143 SIGTERM, 130 SIGINT (cancelled_exit_code())
};

struct GlobalOptions {
  bool dry_run = false;
  bool verbose = false;
  bool quiet = false;
};

struct Invocation {
  const ParsedArguments& args;
  const GlobalOptions& global;
  std::ostream& out; // results (JSON, diffs): stdout
};

struct Command {
  std::string_view name;    // "version", or "spec show" for a nested command
  std::string_view summary; // one line for `ferry --help`
  std::string_view description;
  std::span<const OptionSpec> options;
  std::span<const PositionalSpec> positionals;
  ExitCode (*handler)(const Invocation&);
};

// Reports an Error through the log and maps its kind to an exit code.
ExitCode report_failure(const Error& error);
// 128 + the number of the signal that cancelled the run.
ExitCode cancelled_exit_code();

} // namespace ferry::cli
