#include "cli/commands.hpp"

namespace ferry::cli {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> k_table = [] {
    std::vector<Command> table;
    for (auto group : {run_commands(), sync_commands(), upstream_commands(), downstream_commands(),
                       basic_commands(), config_commands(), spec_commands()}) {
      table.insert(table.end(), group.begin(), group.end());
    }
    return table;
  }();
  return k_table;
}

} // namespace ferry::cli
