// A private working folder for one run (clones, downloads), removed when the object goes
// away unless the caller keeps it for inspection.
#pragma once

#include "error.hpp"

#include <filesystem>

namespace ferry::infra::util {

class WorkDir {
public:
  // A new folder "ferry-XXXXXX" under `parent` (default: the system's temp folder), mode 0700.
  [[nodiscard]] static Result<WorkDir> create(std::filesystem::path parent = {});
  WorkDir(WorkDir&& other) noexcept;
  WorkDir& operator=(WorkDir&&) = delete;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir();

  const std::filesystem::path& path() const { return m_path; }
  void keep() { m_keep = true; }

private:
  explicit WorkDir(std::filesystem::path path) : m_path(std::move(path)) {}
  std::filesystem::path m_path;
  bool m_keep = false;
};

} // namespace ferry::infra::util
