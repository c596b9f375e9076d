// Where the CA certificates are on this machine (or in ferry's container image).
#pragma once

#include <filesystem>
#include <optional>

namespace ferry::infra::util {

// SSL_CERT_FILE if set and readable, else the first bundle found at the usual paths of
// Debian/Ubuntu, Fedora/RHEL, openSUSE and Alpine. nullopt when none exists.
std::optional<std::filesystem::path> find_ca_bundle();

} // namespace ferry::infra::util
