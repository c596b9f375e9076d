// ferry's entry point: sets up the libraries and the log, parses the command line, runs one
// subcommand and turns its outcome into an exit code (see ExitCode).
#pragma once

namespace ferry::cli {

int run(int argc, char** argv);

} // namespace ferry::cli
