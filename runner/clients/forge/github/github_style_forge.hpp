// GitHub's REST v3 and the Forgejo/Gitea API v1 share their shape (paths, JSON fields, Link
// pagination); one implementation serves both, and a Dialect holds what differs. Internal to
// clients/forge: jobs use make_github_forge() or make_forgejo_forge().
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "clients/forge/rest_client.hpp"
#include "infra/http/http_client.hpp"

#include <functional>
#include <memory>
#include <string_view>

namespace ferry::clients::forge {

struct Dialect {
  std::string_view service;                                              // for messages
  std::function<infra::http::Headers(const std::string& token)> headers; // auth and media type
  std::string_view page_size_parameter;                                  // "per_page" / "limit"
  std::string_view creator_parameter;                                    // issue filter by author
  bool filters_pulls_by_head = false; // GitHub honours pulls?head=owner:branch
  bool has_check_runs = false;        // GitHub's Checks API
  std::string_view git_user;          // HTTPS user for git; empty: the token's login
  // Forgejo: GET /commits/{sha}/pull answers the one merged pull request (404: none); GitHub:
  // GET /commits/{sha}/pulls lists every pull request holding the commit.
  bool single_commit_pull = false;
  std::function<bool(const RestResponse&)> is_duplicate_pull_request;
};

std::unique_ptr<Forge> make_github_style_forge(infra::http::HttpClient& http,
                                               ForgeSettings settings, Dialect dialect);

} // namespace ferry::clients::forge
