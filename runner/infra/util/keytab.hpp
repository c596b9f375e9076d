// Kerberos without kinit: the keytab of the `keytab` setting is held in an anonymous in-memory
// file (memfd, never on disk, not inherited by children) and MIT krb5 is pointed at it as the
// client keytab (KRB5_CLIENT_KTNAME), with a fresh in-memory credential cache
// (KRB5CCNAME=MEMORY:…), so the first HTTP Negotiate exchange obtains a ticket from the KDC by
// itself. Only the entries of the wanted principal are written, so GSSAPI, which takes the keytab's
// first principal, uses that one. The previous environment is restored and the file closed when the
// object goes away. Set up once, before threads start.
#pragma once

#include "error.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::infra::util {

// The principals ("alice@FERRY.TEST", "HTTP/host@REALM") of a keytab in MIT's file format
// (version 0x502 or 0x501), in file order without duplicates; ErrorKind::config when the bytes
// are not a keytab.
[[nodiscard]] Result<std::vector<std::string>> keytab_principals(std::string_view keytab);

class KeytabLogin {
public:
  // `keytab` holds the file's bytes (decoded from base64 by the caller); `principal` picks the
  // entries to use (empty: the keytab's first principal).
  [[nodiscard]] static Result<std::unique_ptr<KeytabLogin>> install(std::string_view keytab,
                                                                    std::string_view principal);
  ~KeytabLogin();
  KeytabLogin(const KeytabLogin&) = delete;
  KeytabLogin& operator=(const KeytabLogin&) = delete;

  const std::string& principal() const { return m_principal; }
  // "/proc/self/fd/N": the keytab as krb5 opens it.
  const std::filesystem::path& keytab_path() const { return m_path; }

private:
  KeytabLogin() = default;

  std::string m_principal;
  std::filesystem::path m_path;
  int m_fd = -1;
  std::vector<std::pair<std::string, std::optional<std::string>>> m_saved_environment;
};

} // namespace ferry::infra::util
