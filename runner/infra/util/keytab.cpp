#include "infra/util/keytab.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace ferry::infra::util {

namespace {

// One entry of a keytab: where it starts and ends in the file, and whose key it holds.
struct Entry {
  std::size_t begin = 0; // the 4-byte length
  std::size_t end = 0;
  std::string principal;
};

class Cursor {
public:
  Cursor(std::string_view data, std::size_t at, std::size_t end)
      : m_data(data), m_at(at), m_end(end) {}

  std::optional<std::uint32_t> number(std::size_t bytes) {
    if (m_end - m_at < bytes) {
      return std::nullopt;
    }
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      value = (value << 8) | static_cast<unsigned char>(m_data[m_at++]);
    }
    return value;
  }

  std::optional<std::string> counted() {
    auto size = number(2);
    if (!size || m_end - m_at < *size) {
      return std::nullopt;
    }
    std::string text(m_data.substr(m_at, *size));
    m_at += *size;
    return text;
  }

private:
  std::string_view m_data;
  std::size_t m_at;
  std::size_t m_end;
};

std::unexpected<Error> not_a_keytab(const std::string& why) {
  return fail(ErrorKind::config, "the keytab setting does not hold a Kerberos keytab (" + why +
                                     "); give the base64 of a file made by ktutil or kadmin");
}

Result<std::vector<Entry>> keytab_entries(std::string_view keytab) {
  if (keytab.size() < 2 || keytab[0] != '\x05' || (keytab[1] != '\x02' && keytab[1] != '\x01')) {
    return not_a_keytab("no keytab version header");
  }
  bool version1 = keytab[1] == '\x01'; // component count includes the realm, no name type
  std::vector<Entry> entries;
  std::size_t at = 2;
  while (keytab.size() - at >= 4) {
    Cursor head(keytab, at, keytab.size());
    auto raw = head.number(4);
    auto size = static_cast<std::int32_t>(*raw);
    std::size_t length = size < 0 ? static_cast<std::size_t>(-static_cast<std::int64_t>(size))
                                  : static_cast<std::size_t>(size);
    if (keytab.size() - at - 4 < length) {
      return not_a_keytab("an entry runs past the end");
    }
    if (size > 0) { // negative sizes are holes left by deleted entries
      Cursor entry(keytab, at + 4, at + 4 + length);
      auto components = entry.number(2);
      auto realm = entry.counted();
      if (!components || !realm) {
        return not_a_keytab("a truncated principal");
      }
      std::string name;
      std::uint32_t count = version1 ? *components - 1 : *components;
      for (std::uint32_t i = 0; i < count; ++i) {
        auto component = entry.counted();
        if (!component) {
          return not_a_keytab("a truncated principal");
        }
        name += (i == 0 ? "" : "/") + *component;
      }
      entries.push_back(Entry{at, at + 4 + length, name + "@" + *realm});
    }
    at += 4 + length;
  }
  if (entries.empty()) {
    return not_a_keytab("no entries");
  }
  return entries;
}

std::optional<std::string> get_environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

} // namespace

Result<std::vector<std::string>> keytab_principals(std::string_view keytab) {
  FERRY_TRY_ASSIGN(std::vector<Entry> entries, keytab_entries(keytab));
  std::vector<std::string> principals;
  for (const Entry& entry : entries) {
    if (std::find(principals.begin(), principals.end(), entry.principal) == principals.end()) {
      principals.push_back(entry.principal);
    }
  }
  return principals;
}

Result<std::unique_ptr<KeytabLogin>> KeytabLogin::install(std::string_view keytab,
                                                          std::string_view principal) {
  FERRY_TRY_ASSIGN(std::vector<Entry> entries, keytab_entries(keytab));
  std::string wanted = principal.empty() ? entries.front().principal : std::string(principal);
  std::string kept(keytab.substr(0, 2));
  for (const Entry& entry : entries) {
    if (entry.principal == wanted) {
      kept += keytab.substr(entry.begin, entry.end - entry.begin);
    }
  }
  if (kept.size() == 2) {
    FERRY_TRY_ASSIGN(auto all, keytab_principals(keytab));
    std::string listed;
    for (const std::string& name : all) {
      listed += (listed.empty() ? "" : ", ") + name;
    }
    return fail(ErrorKind::config, "the keytab holds no key of " + wanted + " (it holds " + listed +
                                       "): set kerberos_principal to one of those");
  }
  // An anonymous in-memory file, reached through this process's fd table only: nothing on
  // disk for a killed run to leave behind, and closed on exec so no child inherits it.
  int fd = ::memfd_create("ferry-keytab", MFD_CLOEXEC);
  bool written =
      fd >= 0 && ::write(fd, kept.data(), kept.size()) == static_cast<ssize_t>(kept.size());
  if (!written) {
    if (fd >= 0) {
      ::close(fd);
    }
    return fail(ErrorKind::io, "cannot hold the keytab in memory (memfd_create)");
  }
  std::filesystem::path path = "/proc/self/fd/" + std::to_string(fd);
  std::unique_ptr<KeytabLogin> login(new KeytabLogin());
  login->m_principal = wanted;
  login->m_path = path;
  login->m_fd = fd;
  for (const char* name : {"KRB5_CLIENT_KTNAME", "KRB5CCNAME"}) {
    login->m_saved_environment.emplace_back(name, get_environment(name));
  }
  ::setenv("KRB5_CLIENT_KTNAME", ("FILE:" + path.string()).c_str(), 1);
  ::setenv("KRB5CCNAME", ("MEMORY:ferry-" + std::to_string(::getpid())).c_str(), 1);
  return login;
}

KeytabLogin::~KeytabLogin() {
  for (const auto& [name, value] : m_saved_environment) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
  ::close(m_fd);
}

} // namespace ferry::infra::util
