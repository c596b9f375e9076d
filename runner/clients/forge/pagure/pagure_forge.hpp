// The Pagure API 0 implementation of Forge (src.fedoraproject.org dist-git today, pagure.io).
// ForgeSettings::api_url is the instance's base URL (https://src.fedoraproject.org); the
// client adds /api/0. A RepoRef's owner is the namespace ("rpms"); a fork's owner is
// "fork/<user>/<namespace>", as in Pagure's own API paths.
//
// Pagure differences callers see: add_reaction() does nothing (Pagure has no reactions); commit
// statuses are commit flags keyed by context, so a repeat updates the flag; release_by_tag() finds
// nothing.
#pragma once

#include "clients/forge/forge.hpp"
#include "clients/forge/forge_settings.hpp"
#include "infra/http/http_client.hpp"

#include <memory>

namespace ferry::clients::forge::pagure {

std::unique_ptr<Forge> make_pagure_forge(infra::http::HttpClient& http, ForgeSettings settings);

} // namespace ferry::clients::forge::pagure
