// A fresh directory per test, removed with everything in it when the object goes away.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ferry::testing {

class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

  // Writes `content` to a file below the directory (creating parents); returns its path.
  std::filesystem::path write(std::string_view relative, std::string_view content) const;

private:
  std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& path);

} // namespace ferry::testing
