// Which Forge implementation serves a forge: chosen from a table by kind name or by host,
// never by if/else chains in callers.
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "infra/http/http_client.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::clients::forge {

enum class ForgeKind { github, gitlab, forgejo, pagure };

std::string_view to_string(ForgeKind kind);
// "github", "gitlab", "forgejo" (also "gitea", "codeberg"), "pagure".
std::optional<ForgeKind> forge_kind_from_name(std::string_view name);
// The kind of well-known hosts (github.com, gitlab.com, src.fedoraproject.org, pagure.io,
// codeberg.org, …); nullopt for others, which users name in the configuration.
std::optional<ForgeKind> forge_kind_for_host(std::string_view host);
// The API root of `host` for a kind: https://api.github.com for github.com,
// https://<host>/api/v4 (GitLab), https://<host>/api/v1 (Forgejo), https://<host> (Pagure).
std::string default_api_url(ForgeKind kind, std::string_view host);

std::unique_ptr<Forge> make_forge(ForgeKind kind, infra::http::HttpClient& http,
                                  ForgeSettings settings);

} // namespace ferry::clients::forge
