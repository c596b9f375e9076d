#include "infra/util/work_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ferry::infra::util {

Result<WorkDir> WorkDir::create(std::filesystem::path parent) {
  std::error_code error;
  if (parent.empty()) {
    parent = std::filesystem::temp_directory_path(error);
    if (error) {
      parent = "/tmp";
    }
  }
  std::filesystem::create_directories(parent, error);
  std::string pattern = (parent / "ferry-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return fail(ErrorKind::io,
                "cannot create a work folder in " + parent.string() + ": " + std::strerror(errno));
  }
  return WorkDir(std::filesystem::path(pattern));
}

WorkDir::WorkDir(WorkDir&& other) noexcept : m_path(std::move(other.m_path)), m_keep(other.m_keep) {
  other.m_path.clear();
}

WorkDir::~WorkDir() {
  if (!m_path.empty() && !m_keep) {
    std::error_code error;
    std::filesystem::remove_all(m_path, error);
  }
}

} // namespace ferry::infra::util
