#include "core/jobs/side_tags.hpp"

#include "infra/log/logger.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ferry::core::jobs {

namespace {

namespace koji = clients::fedora::koji;

std::vector<std::string> string_list(const nlohmann::ordered_json& settings, const char* key) {
  std::vector<std::string> list;
  auto found = settings.find(key);
  if (found != settings.end() && found->is_array()) {
    for (const auto& item : *found) {
      if (item.is_string()) {
        list.push_back(item.get<std::string>());
      }
    }
  }
  return list;
}

// The build tag side tags of `branch` start from ("f41-build").
Result<std::string> base_tag_of(koji::KojiClient& client, const std::string& branch) {
  std::string target_name = koji::build_target_for_branch(branch);
  FERRY_TRY_ASSIGN(auto target, client.build_target(target_name));
  if (!target) {
    return fail(ErrorKind::config,
                fmt::format("Koji has no build target {} for dist-git branch {}: is the branch "
                            "an active Fedora or EPEL branch?",
                            target_name, branch));
  }
  return target->build_tag_name;
}

// Our side tags on the branch's build tag, newest first.
Result<std::vector<koji::SideTag>> own_side_tags(koji::KojiClient& client,
                                                 const std::string& branch) {
  if (!client.logged_in()) {
    FERRY_TRY(client.login());
  }
  FERRY_TRY_ASSIGN(std::string base, base_tag_of(client, branch));
  FERRY_TRY_ASSIGN(auto tags, client.side_tags(base, client.user_name()));
  std::sort(tags.begin(), tags.end(),
            [](const koji::SideTag& a, const koji::SideTag& b) { return a.id > b.id; });
  return tags;
}

} // namespace

std::vector<std::string> SideTagGroup::members() const {
  std::vector<std::string> all{package};
  for (const auto* list : {&dependencies, &dependents}) {
    for (const std::string& member : *list) {
      if (std::find(all.begin(), all.end(), member) == all.end()) {
        all.push_back(member);
      }
    }
  }
  return all;
}

SideTagGroup side_tag_group(const nlohmann::ordered_json& settings, const std::string& package) {
  SideTagGroup group;
  auto name = settings.find("sidetag_group");
  if (name != settings.end() && name->is_string()) {
    group.name = name->get<std::string>();
  }
  group.package = package;
  group.dependencies = string_list(settings, "dependencies");
  group.dependents = string_list(settings, "dependents");
  return group;
}

Result<std::map<std::string, koji::Build>> latest_builds_in(koji::KojiClient& client,
                                                            const std::string& tag) {
  FERRY_TRY_ASSIGN(auto builds, client.tagged_builds(tag, true));
  std::map<std::string, koji::Build> latest;
  for (koji::Build& build : builds) {
    latest.try_emplace(build.name, std::move(build)); // listTagged lists the newest first
  }
  return latest;
}

Result<std::optional<koji::SideTag>> find_group_side_tag(koji::KojiClient& client,
                                                         const SideTagGroup& group,
                                                         const std::string& branch) {
  FERRY_TRY_ASSIGN(auto tags, own_side_tags(client, branch));
  std::vector<std::string> members = group.members();
  std::optional<koji::SideTag> empty;
  for (const koji::SideTag& tag : tags) {
    FERRY_TRY_ASSIGN(auto latest, latest_builds_in(client, tag.name));
    if (latest.empty() && !empty) {
      empty = tag;
    }
    for (const auto& [name, build] : latest) {
      if (std::find(members.begin(), members.end(), name) != members.end()) {
        infra::log::info("side tag {} holds {}: it is group {}'s on {}", tag.name, build.nvr,
                         group.name, branch);
        return std::optional<koji::SideTag>(tag);
      }
    }
  }
  if (empty) {
    infra::log::info("side tag {} is empty: group {} uses it on {}", empty->name, group.name,
                     branch);
  }
  return empty;
}

Result<koji::SideTag> find_or_create_group_side_tag(koji::KojiClient& client,
                                                    const SideTagGroup& group,
                                                    const std::string& branch, bool& created) {
  created = false;
  FERRY_TRY_ASSIGN(auto found, find_group_side_tag(client, group, branch));
  if (found) {
    return *found;
  }
  FERRY_TRY_ASSIGN(std::string base, base_tag_of(client, branch));
  FERRY_TRY_ASSIGN(koji::SideTag tag, client.create_side_tag(base));
  created = true;
  infra::log::info("created side tag {} for group {} on {}", tag.name, group.name, branch);
  return tag;
}

} // namespace ferry::core::jobs
