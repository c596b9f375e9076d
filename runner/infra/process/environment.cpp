#include "infra/process/environment.hpp"

#include <sys/prctl.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

extern char** environ; // NOLINT: POSIX

namespace ferry::infra::process {

namespace {

// The credentials taken out of the environment, by name.
std::map<std::string, std::string, std::less<>>& sealed_away() {
  static std::map<std::string, std::string, std::less<>> secrets;
  return secrets;
}

// LeakSanitizer inspects the process from a helper that ptrace-attaches to it, which a
// non-dumpable process refuses; sanitizer builds (tests only) keep it dumpable.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_can_drop_dumpable = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_can_drop_dumpable = false;
#else
constexpr bool k_can_drop_dumpable = true;
#endif
#else
constexpr bool k_can_drop_dumpable = true;
#endif

} // namespace

void seal_environment(const std::function<bool(std::string_view)>& is_secret) {
  std::vector<std::string> secret_names;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) {
      continue;
    }
    std::string name(*entry, eq);
    if (is_secret(name)) {
      sealed_away().emplace(name, std::string(eq + 1));
      // Overwritten where it lies: for variables ferry was started with, this is the block
      // the kernel reads /proc/<pid>/environ from.
      std::memset(eq + 1, 0, std::strlen(eq + 1));
      secret_names.push_back(std::move(name));
    }
  }
  for (const std::string& name : secret_names) {
    ::unsetenv(name.c_str());
  }
  if (k_can_drop_dumpable) {
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  }
}

std::optional<std::string> environment_variable(std::string_view name) {
  std::string key(name);
  if (const char* value = std::getenv(key.c_str()); value != nullptr) {
    return std::string(value);
  }
  auto found = sealed_away().find(name);
  return found != sealed_away().end() ? std::optional<std::string>(found->second) : std::nullopt;
}

} // namespace ferry::infra::process
