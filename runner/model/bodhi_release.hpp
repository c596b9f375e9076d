// One release as Bodhi's `GET /releases/` lists it: the fields alias resolution uses
// (packit-compat.md §2.2). Produced by clients/fedora/bodhi, consumed by core/config/aliases.
#pragma once

#include <string>

namespace ferry::model {

struct BodhiRelease {
  std::string name;      // "F41", "EPEL-9", "ELN", "F41C"
  std::string long_name; // "Fedora 41"
  std::string version;   // "41", "9", "10.1", "eln"
  std::string state;     // "current", "pending", "frozen", "archived", "disabled"
  std::string branch;    // "f41", "rawhide", "epel9", "epel10.1"
  std::string id_prefix; // "FEDORA", "FEDORA-EPEL", "FEDORA-CONTAINER", ...
};

} // namespace ferry::model
