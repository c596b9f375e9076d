// Every real Packit config in the shared corpus loads (or is rejected for the reason Packit
// rejects it, listed in tests/fixtures/configs/corpus_expected_rejections.tsv).
#include "core/config/config.hpp"
#include "support/skip.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace {

using namespace ferry::core::config;
using ferry::testing::corpus_path;
using ferry::testing::fixture_path;
using ferry::testing::read_file_text;

// directory -> text every rejection message must contain
std::map<std::string, std::string> expected_rejections() {
  std::map<std::string, std::string> table;
  std::istringstream lines(read_file_text(fixture_path("configs/corpus_expected_rejections.tsv")));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::size_t tab = line.find('\t');
    table[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return table;
}

} // namespace

TEST_CASE("Every corpus config loads and validates like Packit", "[core][config][corpus]") {
  auto root = corpus_path("configs");
  if (!std::filesystem::exists(root)) {
    FERRY_PREREQUISITE_MISSING("shared corpus not found at " << root);
  }
  auto rejections = expected_rejections();
  std::size_t loaded = 0;
  std::size_t rejected = 0;
  std::size_t jobs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) {
      continue;
    }
    std::string directory = entry.path().filename().string();
    auto path = find_config_file(entry.path());
    INFO(directory);
    REQUIRE(path);
    LoadOptions options;
    options.repository_name = directory.substr(directory.find("__") + 2);
    LoadResult result = load_config_file(*path, options);
    auto expected = rejections.find(directory);
    if (expected == rejections.end()) {
      std::string errors;
      for (const auto& error : result.errors) {
        errors += format_diagnostic(error) + "\n";
      }
      INFO(errors);
      REQUIRE(result.config);
      CHECK_FALSE(result.config->jobs.empty());
      for (const auto& job : result.config->jobs) {
        CHECK_FALSE(job.type.empty());
        CHECK_FALSE(job.trigger.find('|') != std::string::npos);
      }
      jobs += result.config->jobs.size();
      ++loaded;
    } else {
      REQUIRE_FALSE(result.config);
      for (const auto& error : result.errors) {
        CHECK(format_diagnostic(error).find(expected->second) != std::string::npos);
      }
      ++rejected;
    }
  }
  WARN("corpus configs: " << loaded << " loaded (" << jobs << " jobs after expansion), " << rejected
                          << " rejected as Packit rejects them");
  CHECK(loaded + rejected > 20);
}
