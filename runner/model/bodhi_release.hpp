// One release as Bodhi's `GET /releases/` lists it: the fields alias resolution uses
// (packit-compat.md §2.2) and those the downstream jobs use (dist tag, Koji tags, automatic
// updates). Produced by clients/fedora/bodhi, consumed by core/config/aliases and core/jobs.
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
  // What the downstream jobs need (absent fields keep these defaults):
  std::string dist_tag = {};      // "f41", "epel9": the Koji tag the release's tags start from
  std::string stable_tag = {};    // "f41-updates", "epel9"
  std::string candidate_tag = {}; // "f41-updates-candidate"
  bool composed_by_bodhi = true;  // false for Rawhide: Bodhi makes its updates itself
  bool create_automatic_updates = false;
};

} // namespace ferry::model
