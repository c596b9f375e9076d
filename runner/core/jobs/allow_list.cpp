#include "core/jobs/allow_list.hpp"

#include "infra/log/logger.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::core::jobs {

namespace {

bool same_account(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_identity(const std::string& user, const AllowContext& context) {
  return std::any_of(context.identities.begin(), context.identities.end(),
                     [&](const std::string& me) { return !me.empty() && same_account(me, user); });
}

Result<bool> has_permission(const std::string& user, const AllowContext& context,
                            clients::forge::Permission needed) {
  if (context.forge == nullptr) {
    return false;
  }
  FERRY_TRY_ASSIGN(auto permission, context.forge->permission(context.repo, user));
  return permission >= needed;
}

} // namespace

std::vector<std::string> allow_list(const nlohmann::ordered_json& settings, const char* key,
                                    std::vector<std::string> fallback) {
  auto found = settings.find(key);
  if (found == settings.end() || found->is_null()) {
    return fallback;
  }
  std::vector<std::string> list;
  if (found->is_string()) {
    list.push_back(found->get<std::string>());
  } else if (found->is_array()) {
    for (const auto& item : *found) {
      if (item.is_string()) {
        list.push_back(item.get<std::string>());
      }
    }
  }
  return list;
}

Result<bool> is_allowed(const std::vector<std::string>& list, const std::string& user,
                        const AllowContext& context) {
  if (user.empty()) {
    return false;
  }
  for (const std::string& entry : list) {
    if (same_account(entry, user) || (entry == "packit" && is_identity(user, context))) {
      return true;
    }
    if (entry == "all_admins" || entry == "all_committers") {
      auto needed = entry == "all_admins" ? clients::forge::Permission::admin
                                          : clients::forge::Permission::write;
      FERRY_TRY_ASSIGN(bool allowed, has_permission(user, context, needed));
      if (allowed) {
        return true;
      }
    } else if (entry.starts_with("@")) {
      infra::log::warning("'{}': ferry cannot read Fedora account groups, so this entry matches "
                          "nobody; list the accounts instead",
                          entry);
    }
  }
  return false;
}

std::string describe_list(const std::vector<std::string>& list) {
  std::string text;
  for (const std::string& entry : list) {
    text += (text.empty() ? "" : ", ") + entry;
  }
  return text.empty() ? "nobody" : text;
}

} // namespace ferry::core::jobs
