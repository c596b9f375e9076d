// Paths of the test fixtures and of the shared corpus, for the event/config/plan tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ferry::testing {

inline std::filesystem::path fixture_path(const std::string& relative) {
  return std::filesystem::path(FERRY_SOURCE_DIR) / "tests" / "fixtures" / relative;
}

inline std::filesystem::path corpus_path(const std::string& relative = "") {
  return std::filesystem::path(FERRY_SOURCE_DIR "/../shared/corpus") / relative;
}

inline std::string read_file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace ferry::testing
