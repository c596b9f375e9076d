// RPM version ordering: rpmvercmp (rpm's exact segment algorithm, including `~` and `^`) and
// epoch:version-release comparison.
#pragma once

#include <string>
#include <string_view>

namespace ferry::core::spec {

// Compares two version (or release) strings as rpm does; returns -1, 0 or 1.
int rpmvercmp(std::string_view a, std::string_view b);

struct Evr {
  std::string epoch; // empty when absent (compares as 0)
  std::string version;
  std::string release; // empty when absent
};

// Splits "[epoch:]version[-release]" at the first ':' and the last '-'.
Evr parse_evr(std::string_view text);

// Compares epoch (numerically, absent = 0), then version, then release; a missing release on
// either side is not compared (rpm's rpmVersionCompare semantics for EVR strings).
int compare_evr(const Evr& a, const Evr& b);

} // namespace ferry::core::spec
