// Fedora/EPEL branch and target aliases (`fedora-all`, `fedora-stable`, `epel-10-all`, ...),
// resolved from Bodhi's active releases exactly as packit-compat.md §2.2 describes
// (fedora-distro-aliases): pure, built once per run from the releases list.
#pragma once

#include "error.hpp"
#include "model/bodhi_release.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::config {

struct Distro {
  std::string product; // "fedora" or "epel"
  std::string version; // "41", "10.1", "rawhide", "eln"
  std::string namever; // "fedora-41", "fedora-rawhide", "epel-9", "epel-10.1"
  std::string branch;  // "f41", "rawhide", "epel9", "epel10.1", "eln"
  std::string state;   // Bodhi state: current, pending, frozen
  bool rawhide = false;
};

// What one configured name stands for.
struct Resolution {
  std::vector<Distro> distros; // empty when the name is used verbatim
  std::string verbatim;        // the name itself, when it is no alias and no active release
  std::string note;            // why a release-like name was kept verbatim
};

class Aliases {
public:
  // Builds the alias sets from Bodhi releases (ELN, archived and non-Fedora/EPEL products
  // dropped; the highest Fedora becomes Rawhide).
  static Aliases from_releases(std::span<const model::BodhiRelease> releases);

  const std::vector<Distro>& distros() const { return m_distros; }

  // The distros an alias or name stands for. Fails (ErrorKind::config) for an unknown
  // alias-looking name such as `fedora-stabel`, with a did-you-mean.
  [[nodiscard]] Result<Resolution> resolve(std::string_view name) const;

  // Dist-git branches for names (aliases expanded, rawhide -> `default_branch`), in order of
  // first appearance, without duplicates.
  [[nodiscard]] Result<std::vector<std::string>>
  dist_git_branches(std::span<const std::string> names, std::string_view default_branch) const;

  // Copr/mock chroots for targets (`fedora-all-aarch64` -> `fedora-41-aarch64`, ...).
  [[nodiscard]] Result<std::vector<std::string>>
  chroots(std::span<const std::string> targets) const;

  // Koji build targets for dist-git branches: `rawhide` for rawhide/main, else
  // `<branch>-candidate` (`el6` -> `epel6-candidate`).
  static std::vector<std::string> koji_targets(std::span<const std::string> branches,
                                               std::string_view default_branch);

  // Every alias name this table knows, for did-you-mean and docs.
  static const std::vector<std::string_view>& alias_names();

private:
  std::vector<Distro> set(std::string_view alias) const;

  std::vector<Distro> m_distros; // fedora then epel, ascending versions
};

} // namespace ferry::core::config
