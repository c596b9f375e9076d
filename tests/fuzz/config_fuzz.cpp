// libFuzzer target for the Packit config loader: any bytes as a .packit.yaml. The loader must
// never crash or throw; a loaded config must satisfy its invariants (every job has a type and
// one trigger, belongs to a known package) and resolve against a fixed alias table.
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

namespace config = ferry::core::config;

const config::Aliases& aliases() {
  static const config::Aliases k_aliases = [] {
    std::vector<ferry::model::BodhiRelease> releases{
        {"F41", "Fedora 41", "41", "current", "f41", "FEDORA"},
        {"F42", "Fedora 42", "42", "pending", "f42", "FEDORA"},
        {"F43", "Fedora 43", "43", "pending", "rawhide", "FEDORA"},
        {"EPEL-9", "Fedora EPEL 9", "9", "current", "epel9", "FEDORA-EPEL"},
        {"EPEL-10.1", "Fedora EPEL 10.1", "10.1", "current", "epel10", "FEDORA-EPEL"},
    };
    return config::Aliases::from_releases(releases);
  }();
  return k_aliases;
}

void check(const config::Config& loaded) {
  for (const config::JobConfig& job : loaded.jobs) {
    bool known_package = false;
    for (const config::PackageConfig& package : loaded.packages) {
      known_package = known_package || package.name == job.package;
    }
    if (job.type.empty() || job.trigger.find('|') != std::string::npos || !known_package) {
      std::abort();
    }
    std::vector<std::string> names;
    for (const config::DistGitBranch& branch : job.dist_git_branches) {
      names.push_back(branch.name);
    }
    (void)aliases().dist_git_branches(names, "rawhide");
    (void)aliases().chroots(job.targets);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  config::LoadResult result = config::load_config_text(text, "fuzz.yaml", {});
  if (result.config) {
    check(*result.config);
  } else if (result.errors.empty()) {
    std::abort(); // no config must mean at least one error
  }
  for (const config::Diagnostic& error : result.errors) {
    (void)config::format_diagnostic(error);
  }
  return 0;
}
