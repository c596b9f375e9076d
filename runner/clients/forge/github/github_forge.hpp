// The GitHub REST v3 implementation of Forge (api.github.com or GitHub Enterprise's
// GITHUB_API_URL): Bearer token, API version 2022-11-28, Link pagination, rate-limit headers.
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "infra/http/http_client.hpp"

#include <memory>

namespace ferry::clients::forge::github {

std::unique_ptr<Forge> make_github_forge(infra::http::HttpClient& http, ForgeSettings settings);

} // namespace ferry::clients::forge::github
