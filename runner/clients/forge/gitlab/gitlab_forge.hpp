// The GitLab REST v4 implementation of Forge (gitlab.com or a self-managed instance).
// ForgeSettings::api_url is the API root, CI_API_V4_URL (https://gitlab.com/api/v4). A
// RepoRef's owner is the namespace path ("group/subgroup"). Token header PRIVATE-TOKEN;
// a project access token or bot PAT with `api` and `write_repository` (CI_JOB_TOKEN cannot
// comment, set statuses or open merge requests).
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "infra/http/http_client.hpp"

#include <memory>

namespace ferry::clients::forge::gitlab {

std::unique_ptr<Forge> make_gitlab_forge(infra::http::HttpClient& http, ForgeSettings settings);

} // namespace ferry::clients::forge::gitlab
