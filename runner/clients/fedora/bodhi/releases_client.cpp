#include "clients/fedora/bodhi/releases_client.hpp"

#include "infra/util/json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ferry::clients::fedora::bodhi {

namespace {

using nlohmann::json;

constexpr long k_max_pages = 50;

Result<std::string> string_field(const json& release, const char* key, std::size_t index) {
  auto it = release.find(key);
  if (it == release.end() || !(it->is_string() || it->is_number())) {
    return fail(ErrorKind::http_status,
                fmt::format("Bodhi releases: releases[{}].{} is missing or not text", index, key));
  }
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string optional_string(const json& release, const char* key) {
  auto it = release.find(key);
  return it != release.end() && it->is_string() ? it->get<std::string>() : "";
}

bool optional_bool(const json& release, const char* key, bool fallback) {
  auto it = release.find(key);
  return it != release.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

long number_field(const json& body, const char* key, long fallback) {
  auto it = body.find(key);
  return it != body.end() && it->is_number_integer() ? it->get<long>() : fallback;
}

} // namespace

Result<ReleasesPage> parse_releases_page(std::string_view body) {
  json document = infra::util::parse_json_or_discarded(body);
  if (document.is_discarded() || !document.is_object()) {
    return fail(ErrorKind::http_status, "Bodhi releases: the answer is not a JSON object");
  }
  auto releases = document.find("releases");
  if (releases == document.end() || !releases->is_array()) {
    return fail(ErrorKind::http_status, "Bodhi releases: the answer has no 'releases' list");
  }
  ReleasesPage page;
  page.page = number_field(document, "page", 1);
  page.pages = number_field(document, "pages", 1);
  for (std::size_t i = 0; i < releases->size(); ++i) {
    const json& item = (*releases)[i];
    if (!item.is_object()) {
      return fail(ErrorKind::http_status,
                  fmt::format("Bodhi releases: releases[{}] is not an object", i));
    }
    std::string name;
    std::string version;
    std::string state;
    std::string branch;
    std::string id_prefix;
    FERRY_TRY_ASSIGN(name, string_field(item, "name", i));
    FERRY_TRY_ASSIGN(version, string_field(item, "version", i));
    FERRY_TRY_ASSIGN(state, string_field(item, "state", i));
    FERRY_TRY_ASSIGN(branch, string_field(item, "branch", i));
    FERRY_TRY_ASSIGN(id_prefix, string_field(item, "id_prefix", i));
    model::BodhiRelease release{std::move(name),    "",
                                std::move(version), std::move(state),
                                std::move(branch),  std::move(id_prefix)};
    release.long_name = optional_string(item, "long_name");
    release.dist_tag = optional_string(item, "dist_tag");
    release.stable_tag = optional_string(item, "stable_tag");
    release.candidate_tag = optional_string(item, "candidate_tag");
    release.composed_by_bodhi = optional_bool(item, "composed_by_bodhi", true);
    release.create_automatic_updates = optional_bool(item, "create_automatic_updates", false);
    page.releases.push_back(std::move(release));
  }
  return page;
}

Result<std::vector<model::BodhiRelease>> ReleasesClient::active_releases() {
  if (m_cache) {
    return *m_cache;
  }
  std::vector<model::BodhiRelease> all;
  for (long page = 1; page <= k_max_pages; ++page) {
    infra::http::Request request;
    request.url = fmt::format("{}/releases/?state=current&state=pending&state=frozen&page={}",
                              m_base_url, page);
    request.headers.emplace_back("Accept", "application/json");
    infra::http::Response response;
    FERRY_TRY_ASSIGN(response, with_context(m_http.send(request), "fetching Bodhi releases"));
    if (!response.ok()) {
      return std::unexpected(
          Error(ErrorKind::http_status,
                fmt::format("Bodhi answered {} to GET /releases/ (page {})", response.status, page))
              .with_http_status(response.status));
    }
    ReleasesPage parsed;
    FERRY_TRY_ASSIGN(parsed, parse_releases_page(response.body));
    all.insert(all.end(), parsed.releases.begin(), parsed.releases.end());
    if (parsed.page >= parsed.pages) {
      m_cache = all;
      return all;
    }
  }
  return fail(ErrorKind::http_status,
              fmt::format("Bodhi releases: more than {} pages, giving up", k_max_pages));
}

} // namespace ferry::clients::fedora::bodhi
