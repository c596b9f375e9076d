// libFuzzer target for the event parsers: any bytes as a GitHub, Forgejo or GitLab payload,
// under a name taken from the first byte. Parsing must never crash or throw; a parsed event
// must be printable as plan JSON.
#include "core/event/event_parser.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 10> k_names{
    "",         "release",           "push", "pull_request", "issue_comment", "commit_comment",
    "schedule", "workflow_dispatch", "note", "tag_push"};
constexpr std::array<ferry::model::Forge, 3> k_forges{
    ferry::model::Forge::github, ferry::model::Forge::forgejo, ferry::model::Forge::gitlab};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view name = k_names[data[0] % k_names.size()];
  ferry::model::Forge forge = k_forges[(data[0] / k_names.size()) % k_forges.size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto event = ferry::core::event::parse_event(forge, name, text);
  if (event) {
    (void)ferry::core::event::to_json(*event).dump();
  } else {
    (void)event.error().describe();
  }
  return 0;
}
