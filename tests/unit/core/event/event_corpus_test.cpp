// Every real webhook payload in the shared corpus parses into the kind listed for it in
// tests/fixtures/events/corpus_expected_kinds.tsv (rules checked by hand, independent of ferry).
#include "core/event/event_parser.hpp"
#include "support/skip.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace {

using ferry::testing::corpus_path;
using ferry::testing::fixture_path;
using ferry::testing::read_file_text;

struct Expectation {
  std::string forge;
  std::string kind;
};

std::map<std::string, Expectation> expected_kinds() {
  std::map<std::string, Expectation> table;
  std::istringstream lines(read_file_text(fixture_path("events/corpus_expected_kinds.tsv")));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::size_t first = line.find('\t');
    std::size_t second = line.find('\t', first + 1);
    table[line.substr(0, first)] = {line.substr(first + 1, second - first - 1),
                                    line.substr(second + 1)};
  }
  return table;
}

} // namespace

TEST_CASE("Every corpus webhook payload parses into its expected kind", "[core][event][corpus]") {
  auto root = corpus_path("events");
  if (!std::filesystem::exists(root)) {
    FERRY_PREREQUISITE_MISSING("shared corpus not found at " << root);
  }
  auto table = expected_kinds();
  REQUIRE(table.size() > 50);
  std::map<std::string, int> per_kind;
  std::size_t checked = 0;
  for (const auto& [relative, expectation] : table) {
    auto path = root / relative;
    if (!std::filesystem::exists(path)) {
      WARN("corpus file missing: " << relative);
      continue;
    }
    auto forge = ferry::model::forge_from_string(expectation.forge);
    REQUIRE(forge);
    auto event = ferry::core::event::parse_event(*forge, "", read_file_text(path));
    INFO(relative);
    REQUIRE(event);
    CHECK(ferry::model::to_string(event->kind) == expectation.kind);
    if (event->kind == ferry::model::EventKind::ignored) {
      CHECK_FALSE(event->ignored_reason.empty());
    } else {
      CHECK_FALSE(event->repo_full_name.empty());
    }
    ++per_kind[expectation.kind];
    ++checked;
  }
  std::string summary;
  for (const auto& [kind, count] : per_kind) {
    summary += kind + "=" + std::to_string(count) + " ";
  }
  WARN("corpus events checked: " << checked << " (" << summary << ")");
  CHECK(checked == table.size());
}

TEST_CASE("Every corpus GitHub payload parses by name as well as by shape",
          "[core][event][corpus]") {
  auto root = corpus_path("events/github/octokit-webhooks");
  if (!std::filesystem::exists(root)) {
    FERRY_PREREQUISITE_MISSING("shared corpus not found at " << root);
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::string name = entry.path().parent_path().filename().string();
    std::string text = read_file_text(entry.path());
    auto by_name = ferry::core::event::parse_event(ferry::model::Forge::github, name, text);
    auto by_shape = ferry::core::event::parse_event(ferry::model::Forge::github, "", text);
    INFO(entry.path().string());
    REQUIRE(by_name);
    REQUIRE(by_shape);
    CHECK(by_name->kind == by_shape->kind);
    CHECK(by_shape->event_name == name);
  }
}
