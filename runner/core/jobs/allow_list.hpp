// Who may trigger a downstream job, as Packit's allowed_pr_authors, allowed_committers and
// allowed_builders say (packit-compat §1.5, §5, §6): an entry is an account name, "@group"
// (a Fedora account group), "all_admins" (admin access to the dist-git repository) or
// "all_committers" (write access or more).
//
// Identity (packit-compat §10): Packit's defaults name its own bot account, "packit". ferry runs
// with the maintainer's or a bot's own credentials, so "packit" in these lists stands for this
// runner's identities — the `fas_user` setting, the Kerberos principal's user, the dist-git
// token's login and the Koji user it logs in as. The account "packit" itself still matches too.
// Fedora account groups cannot be read without FAS access, so "@group" entries never match
// (ferry says so in the log).
#pragma once

#include "clients/forge/forge.hpp"
#include "error.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::jobs {

struct AllowContext {
  std::vector<std::string> identities;    // who "packit" stands for
  clients::forge::Forge* forge = nullptr; // for all_admins / all_committers; may be null
  clients::forge::RepoRef repo;           // the dist-git repository
};

// The list a job setting holds ("allowed_pr_authors"), or `fallback` when it is not set.
std::vector<std::string> allow_list(const nlohmann::ordered_json& settings, const char* key,
                                    std::vector<std::string> fallback);

// Whether `user` matches an entry of `list`. Errors are forge failures while reading a
// permission for all_admins / all_committers.
[[nodiscard]] Result<bool> is_allowed(const std::vector<std::string>& list, const std::string& user,
                                      const AllowContext& context);

// "alice, all_committers" for messages ("nobody" when empty).
std::string describe_list(const std::vector<std::string>& list);

} // namespace ferry::core::jobs
