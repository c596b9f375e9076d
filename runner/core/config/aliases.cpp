#include "core/config/aliases.hpp"

#include "core/config/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>

namespace ferry::core::config {

namespace {

struct ProductRow {
  std::string_view id_prefix;
  std::string_view product;
};

constexpr std::array<ProductRow, 2> k_products{{
    {"FEDORA", "fedora"},
    {"FEDORA-EPEL", "epel"},
}};

constexpr std::array<std::string_view, 8> k_arches{"x86_64", "aarch64", "ppc64le", "s390x",
                                                   "i386",   "i686",    "armhfp",  "noarch"};

std::optional<double> numeric_version(std::string_view version) {
  if (version.empty() || version.find_first_not_of("0123456789.") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::strtod(std::string(version).c_str(), nullptr);
}

bool is_devel(const Distro& distro) {
  return distro.state == "pending" || distro.state == "frozen";
}

// "10" for "10.1" and "10".
std::string major_of(std::string_view version) {
  return std::string(version.substr(0, version.find('.')));
}

void append_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(std::move(value));
  }
}

// "fedora-all-aarch64" -> {"fedora-all", "aarch64"}; no arch -> {target, ""}.
std::pair<std::string, std::string> split_arch(std::string_view target) {
  for (std::string_view arch : k_arches) {
    if (target.size() > arch.size() + 1 && target.ends_with(arch) &&
        target[target.size() - arch.size() - 1] == '-') {
      return {std::string(target.substr(0, target.size() - arch.size() - 1)), std::string(arch)};
    }
  }
  return {std::string(target), ""};
}

// `epel-10`, `epel-10-branched`, `epel-10-all`: {major, kind}.
std::optional<std::pair<std::string, std::string>> epel_minor_alias(std::string_view name) {
  if (!name.starts_with("epel-")) {
    return std::nullopt;
  }
  std::string_view rest = name.substr(5);
  std::size_t dash = rest.find('-');
  std::string_view major = rest.substr(0, dash);
  std::string_view kind = dash == std::string_view::npos ? "" : rest.substr(dash + 1);
  if (major.empty() || major.find_first_not_of("0123456789") != std::string_view::npos ||
      std::atoi(std::string(major).c_str()) < 10) {
    return std::nullopt;
  }
  if (kind != "" && kind != "branched" && kind != "all") {
    return std::nullopt;
  }
  return std::pair<std::string, std::string>(major, kind);
}

} // namespace

const std::vector<std::string_view>& Aliases::alias_names() {
  static const std::vector<std::string_view> k_names{"fedora-all",
                                                     "fedora-stable",
                                                     "fedora-development",
                                                     "fedora-latest",
                                                     "fedora-latest-stable",
                                                     "fedora-branched",
                                                     "fedora-rawhide",
                                                     "rawhide",
                                                     "epel-all",
                                                     "fedora-eln"};
  return k_names;
}

Aliases Aliases::from_releases(std::span<const model::BodhiRelease> releases) {
  Aliases aliases;
  std::vector<std::pair<double, Distro>> sorted;
  for (const model::BodhiRelease& release : releases) {
    if (release.name == "ELN" || release.state == "archived") {
      continue;
    }
    auto product = std::find_if(k_products.begin(), k_products.end(), [&](const ProductRow& row) {
      return row.id_prefix == release.id_prefix;
    });
    auto number = numeric_version(release.version);
    if (product == k_products.end() || !number) {
      continue;
    }
    Distro distro;
    distro.product = product->product;
    distro.version = release.version;
    distro.namever = fmt::format("{}-{}", distro.product, release.version);
    distro.branch = release.branch;
    distro.state = release.state;
    sorted.emplace_back(*number, std::move(distro));
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Distro*> fedora;
  for (auto& [number, distro] : sorted) {
    aliases.m_distros.push_back(std::move(distro));
  }
  for (Distro& distro : aliases.m_distros) {
    if (distro.product == "fedora") {
      fedora.push_back(&distro);
    }
  }
  if (!fedora.empty()) {
    Distro& rawhide = *fedora.back();
    rawhide.version = "rawhide";
    rawhide.branch = "rawhide";
    rawhide.namever = "fedora-rawhide";
    rawhide.rawhide = true;
    if (fedora.size() > 1 && fedora[fedora.size() - 2]->branch == "rawhide") {
      Distro& branched = *fedora[fedora.size() - 2];
      branched.branch = "f" + branched.version;
    }
  }
  return aliases;
}

std::vector<Distro> Aliases::set(std::string_view alias) const {
  std::vector<Distro> out;
  auto fedora = [&](auto keep) {
    for (const Distro& distro : m_distros) {
      if (distro.product == "fedora" && keep(distro)) {
        out.push_back(distro);
      }
    }
  };
  if (alias == "fedora-all") {
    fedora([](const Distro&) { return true; });
  } else if (alias == "fedora-stable") {
    fedora([](const Distro& d) { return d.state == "current"; });
  } else if (alias == "fedora-development") {
    fedora([](const Distro& d) { return is_devel(d); });
  } else if (alias == "fedora-branched") {
    fedora([](const Distro& d) { return !d.rawhide; });
  } else if (alias == "fedora-latest-stable" || alias == "fedora-latest") {
    std::optional<Distro> latest;
    for (const Distro& distro : m_distros) {
      bool stable = distro.product == "fedora" && distro.state == "current";
      if (stable) {
        latest = distro;
      }
    }
    if (alias == "fedora-latest") {
      for (const Distro& distro : m_distros) {
        if (distro.product == "fedora" && is_devel(distro) && !distro.rawhide) {
          latest = distro;
        }
      }
    }
    if (latest) {
      out.push_back(*latest);
    }
  } else if (alias == "epel-all") {
    for (const Distro& distro : m_distros) {
      if (distro.product == "epel") {
        out.push_back(distro);
      }
    }
  } else if (auto epel = epel_minor_alias(alias)) {
    for (const Distro& distro : m_distros) {
      if (distro.product != "epel" || major_of(distro.version) != epel->first) {
        continue;
      }
      bool trailing = distro.branch.find('.') != std::string::npos;
      if (epel->second == "all" || (epel->second == "branched") == trailing) {
        out.push_back(distro);
      }
    }
  }
  return out;
}

Result<Resolution> Aliases::resolve(std::string_view name) const {
  Resolution resolution;
  const auto& names = alias_names();
  bool is_set = name != "fedora-rawhide" && name != "rawhide" && name != "fedora-eln" &&
                (std::find(names.begin(), names.end(), name) != names.end() ||
                 epel_minor_alias(name).has_value());
  if (is_set) {
    resolution.distros = set(name);
    return resolution;
  }
  for (const Distro& distro : m_distros) {
    if (distro.namever == name || distro.branch == name) {
      resolution.distros.push_back(distro);
      return resolution;
    }
  }
  if (name == "fedora-eln" || name == "eln") {
    resolution.distros.push_back({"fedora", "eln", "fedora-eln", "eln", "pending", false});
    return resolution;
  }
  resolution.verbatim = std::string(name);
  for (std::string_view prefix : {"fedora-", "epel-"}) {
    if (!name.starts_with(prefix)) {
      continue;
    }
    std::string_view rest = name.substr(prefix.size());
    bool release_like =
        !rest.empty() && rest.find_first_not_of("0123456789.") == std::string_view::npos;
    if (release_like) {
      resolution.note =
          fmt::format("'{}' is not an active release in Bodhi's list; used as is", name);
      return resolution;
    }
    std::vector<std::string_view> candidates(names.begin(), names.end());
    for (const Distro& distro : m_distros) {
      candidates.push_back(distro.namever);
    }
    std::string suggestion = closest_match(name, candidates);
    return fail(ErrorKind::config,
                fmt::format("unknown alias '{}': not a Fedora/EPEL alias nor an active release{}",
                            name,
                            suggestion.empty() ? std::string()
                                               : fmt::format(" (did you mean '{}'?)", suggestion)));
  }
  return resolution;
}

Result<std::vector<std::string>> Aliases::dist_git_branches(std::span<const std::string> names,
                                                            std::string_view default_branch) const {
  std::vector<std::string> branches;
  for (const std::string& name : names) {
    Resolution resolution;
    FERRY_TRY_ASSIGN(resolution, resolve(name));
    if (resolution.distros.empty() && !resolution.verbatim.empty()) {
      append_unique(branches, resolution.verbatim);
    }
    for (const Distro& distro : resolution.distros) {
      append_unique(branches, distro.rawhide ? std::string(default_branch) : distro.branch);
    }
  }
  return branches;
}

Result<std::vector<std::string>> Aliases::chroots(std::span<const std::string> targets) const {
  std::vector<std::string> chroots;
  for (const std::string& target : targets) {
    auto [base, arch] = split_arch(target);
    std::string chosen_arch = arch.empty() ? "x86_64" : arch;
    Resolution resolution;
    FERRY_TRY_ASSIGN(resolution, resolve(base));
    if (resolution.distros.empty() && !resolution.verbatim.empty()) {
      append_unique(chroots, fmt::format("{}-{}", base, chosen_arch));
    }
    for (const Distro& distro : resolution.distros) {
      bool epel_minor =
          distro.product == "epel" && numeric_version(distro.version).value_or(0) >= 10;
      if (epel_minor) {
        bool trailing = distro.branch.find('.') != std::string::npos;
        append_unique(chroots, fmt::format("{}epel-{}-{}", trailing ? "rhel+" : "",
                                           major_of(distro.version), chosen_arch));
      } else {
        append_unique(chroots, fmt::format("{}-{}", distro.namever, chosen_arch));
      }
    }
  }
  return chroots;
}

std::vector<std::string> Aliases::koji_targets(std::span<const std::string> branches,
                                               std::string_view default_branch) {
  std::vector<std::string> targets;
  for (const std::string& branch : branches) {
    if (branch == "rawhide" || branch == "main" || branch == default_branch) {
      append_unique(targets, "rawhide");
    } else if (branch.size() == 3 && branch.starts_with("el") && branch[2] <= '6') {
      append_unique(targets, fmt::format("epel{}-candidate", branch[2]));
    } else {
      append_unique(targets, branch + "-candidate");
    }
  }
  return targets;
}

} // namespace ferry::core::config
