#include "clients/forge/forge_registry.hpp"

#include "clients/forge/forgejo/forgejo_forge.hpp"
#include "clients/forge/github/github_forge.hpp"
#include "clients/forge/gitlab/gitlab_forge.hpp"
#include "clients/forge/pagure/pagure_forge.hpp"

#include <array>

namespace ferry::clients::forge {

namespace {

using Factory = std::unique_ptr<Forge> (*)(infra::http::HttpClient&, ForgeSettings);

struct KindRow {
  ForgeKind kind;
  std::string_view name;
  Factory factory;
  std::string_view api_suffix; // appended to https://<host>
};

constexpr std::array<KindRow, 4> k_kinds = {{
    {ForgeKind::github, "github", github::make_github_forge, ""},
    {ForgeKind::gitlab, "gitlab", gitlab::make_gitlab_forge, "/api/v4"},
    {ForgeKind::forgejo, "forgejo", forgejo::make_forgejo_forge, "/api/v1"},
    {ForgeKind::pagure, "pagure", pagure::make_pagure_forge, ""},
}};

struct NameRow {
  std::string_view name;
  ForgeKind kind;
};

constexpr std::array<NameRow, 3> k_aliases = {{
    {"gitea", ForgeKind::forgejo},
    {"codeberg", ForgeKind::forgejo},
    {"src.fedoraproject.org", ForgeKind::pagure},
}};

constexpr std::array<NameRow, 10> k_hosts = {{
    {"github.com", ForgeKind::github},
    {"api.github.com", ForgeKind::github},
    {"gitlab.com", ForgeKind::gitlab},
    {"gitlab.gnome.org", ForgeKind::gitlab},
    {"gitlab.freedesktop.org", ForgeKind::gitlab},
    {"codeberg.org", ForgeKind::forgejo},
    {"code.forgejo.org", ForgeKind::forgejo},
    {"src.fedoraproject.org", ForgeKind::pagure},
    {"src.stg.fedoraproject.org", ForgeKind::pagure},
    {"pagure.io", ForgeKind::pagure},
}};

const KindRow& row(ForgeKind kind) {
  for (const KindRow& r : k_kinds) {
    if (r.kind == kind) {
      return r;
    }
  }
  return k_kinds.front();
}

} // namespace

std::string_view to_string(ForgeKind kind) {
  return row(kind).name;
}

std::optional<ForgeKind> forge_kind_from_name(std::string_view name) {
  for (const KindRow& r : k_kinds) {
    if (r.name == name) {
      return r.kind;
    }
  }
  for (const NameRow& alias : k_aliases) {
    if (alias.name == name) {
      return alias.kind;
    }
  }
  return std::nullopt;
}

std::optional<ForgeKind> forge_kind_for_host(std::string_view host) {
  for (const NameRow& known : k_hosts) {
    if (known.name == host) {
      return known.kind;
    }
  }
  return std::nullopt;
}

std::string default_api_url(ForgeKind kind, std::string_view host) {
  if (kind == ForgeKind::github && (host == "github.com" || host == "api.github.com")) {
    return "https://api.github.com";
  }
  if (kind == ForgeKind::github) { // GitHub Enterprise Server
    return "https://" + std::string(host) + "/api/v3";
  }
  return "https://" + std::string(host) + std::string(row(kind).api_suffix);
}

std::unique_ptr<Forge> make_forge(ForgeKind kind, infra::http::HttpClient& http,
                                  ForgeSettings settings) {
  return row(kind).factory(http, std::move(settings));
}

} // namespace ferry::clients::forge
