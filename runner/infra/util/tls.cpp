#include "infra/util/tls.hpp"

#include <array>
#include <cstdlib>
#include <system_error>

namespace ferry::infra::util {

std::optional<std::filesystem::path> find_ca_bundle() {
  std::error_code ec;
  if (const char* env = std::getenv("SSL_CERT_FILE"); env != nullptr && *env != '\0') {
    if (std::filesystem::is_regular_file(env, ec)) {
      return std::filesystem::path(env);
    }
  }
  static constexpr std::array<const char*, 5> k_paths = {
      "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, ferry's image
      "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL, CentOS
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // Fedora, RHEL (extracted)
      "/etc/ssl/ca-bundle.pem",                            // openSUSE
      "/etc/ssl/cert.pem",                                 // Alpine, macOS
  };
  for (const char* path : k_paths) {
    if (std::filesystem::is_regular_file(path, ec)) {
      return std::filesystem::path(path);
    }
  }
  return std::nullopt;
}

} // namespace ferry::infra::util
