#include "model/event.hpp"

#include <array>
#include <utility>

namespace ferry::model {

namespace {

constexpr std::array<std::pair<Forge, std::string_view>, 4> k_forges{{
    {Forge::github, "github"},
    {Forge::forgejo, "forgejo"},
    {Forge::gitlab, "gitlab"},
    {Forge::local, "local"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 10> k_kinds{{
    {EventKind::release, "release"},
    {EventKind::tag_push, "tag_push"},
    {EventKind::push, "push"},
    {EventKind::pull_request, "pull_request"},
    {EventKind::issue_comment, "issue_comment"},
    {EventKind::pr_comment, "pr_comment"},
    {EventKind::commit_comment, "commit_comment"},
    {EventKind::schedule, "schedule"},
    {EventKind::manual, "manual"},
    {EventKind::ignored, "ignored"},
}};

template <typename Table, typename Key> std::string_view name_of(const Table& table, Key key) {
  for (const auto& [value, name] : table) {
    if (value == key) {
      return name;
    }
  }
  return "unknown";
}

template <typename Value, typename Table>
std::optional<Value> value_of(const Table& table, std::string_view name) {
  for (const auto& [value, entry] : table) {
    if (entry == name) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace

std::string_view to_string(Forge forge) {
  return name_of(k_forges, forge);
}
std::string_view to_string(EventKind kind) {
  return name_of(k_kinds, kind);
}

std::optional<Forge> forge_from_string(std::string_view name) {
  if (name == "gitea") {
    return Forge::forgejo;
  }
  return value_of<Forge>(k_forges, name);
}

std::optional<EventKind> event_kind_from_string(std::string_view name) {
  return value_of<EventKind>(k_kinds, name);
}

} // namespace ferry::model
