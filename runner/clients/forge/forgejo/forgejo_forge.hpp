// The Forgejo/Gitea API v1 implementation of Forge: upstream projects on Forgejo and Gitea
// instances (Codeberg, code.forgejo.org) and Fedora's dist-git after its move to Forgejo.
// ForgeSettings::api_url is the API root, e.g. https://codeberg.org/api/v1 (GITHUB_API_URL in
// Forgejo Actions). Token header `Authorization: token <t>`; duplicates answer 409.
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "infra/http/http_client.hpp"

#include <memory>

namespace ferry::clients::forge::forgejo {

std::unique_ptr<Forge> make_forgejo_forge(infra::http::HttpClient& http, ForgeSettings settings);

} // namespace ferry::clients::forge::forgejo
