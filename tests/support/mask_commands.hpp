// GitHub's `::add-mask::` lines are how ferry tells the runner what to hide: the runner consumes
// them, so they are the one place a secret may appear in ferry's output. Tests that search the
// output for secrets look at everything else.
#pragma once

#include <sstream>
#include <string>

namespace ferry::testing {

inline std::string without_mask_commands(const std::string& text) {
  std::string kept;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("::add-mask::")) {
      kept += line + "\n";
    }
  }
  return kept;
}

} // namespace ferry::testing
