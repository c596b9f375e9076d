// Every subcommand ferry has, grouped by file; commands.cpp joins them into one table.
#pragma once

#include "cli/command.hpp"

#include <span>
#include <vector>

namespace ferry::cli {

std::span<const Command> basic_commands();  // version, doctor (basic_commands.cpp)
std::span<const Command> config_commands(); // validate-config, plan (config_commands.cpp)
std::span<const Command>
spec_commands(); // spec show, set-version, compare-versions (spec_commands.cpp)

std::span<const Command> sync_commands(); // propose-downstream (sync_commands.cpp)
std::span<const Command> run_commands();  // run (run_command.cpp)
// koji-build, create-update, bodhi-update (downstream_commands.cpp)
std::span<const Command> downstream_commands();
std::span<const Command> upstream_commands(); // copr-build, test (upstream_commands.cpp)
// The full table, in `ferry --help` order.
const std::vector<Command>& all_commands();

} // namespace ferry::cli
