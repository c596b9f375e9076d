#include "clients/fedora/release_monitoring/release_monitoring_client.hpp"

#include "infra/util/encoding.hpp"
#include "infra/util/json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ferry::clients::fedora::release_monitoring {

namespace {

using infra::util::json_integer;
using infra::util::json_object;
using infra::util::json_string;
using nlohmann::json;

Result<json> parse(const std::string& body, const std::string& what) {
  std::string source = fmt::format("release-monitoring's answer to {}", what);
  FERRY_TRY_ASSIGN(json parsed, infra::util::parse_json(body, source, ErrorKind::http_status));
  if (!parsed.is_object()) {
    return fail(ErrorKind::http_status, source + " is not a JSON object");
  }
  return parsed;
}

std::vector<std::string> strings(const json& list) {
  std::vector<std::string> out;
  if (list.is_array()) {
    for (const json& item : list) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

} // namespace

ReleaseMonitoringClient::ReleaseMonitoringClient(infra::http::HttpClient& http,
                                                 std::string base_url)
    : m_http(http), m_base_url(std::move(base_url)) {
  while (!m_base_url.empty() && m_base_url.back() == '/') {
    m_base_url.pop_back();
  }
}

Result<std::string> ReleaseMonitoringClient::get(const std::string& path_and_query) {
  infra::http::Request request;
  request.url = m_base_url + path_and_query;
  request.headers.emplace_back("Accept", "application/json");
  FERRY_TRY_ASSIGN(infra::http::Response response, m_http.send(request));
  if (response.status == 404) {
    return fail(ErrorKind::not_found,
                fmt::format("release-monitoring: {} not found", path_and_query));
  }
  if (!response.ok()) {
    Error error(ErrorKind::http_status, fmt::format("release-monitoring answered HTTP {} to GET {}",
                                                    response.status, path_and_query));
    error.with_http_status(response.status);
    return std::unexpected(std::move(error));
  }
  return std::move(response.body);
}

Result<ProjectVersions> ReleaseMonitoringClient::versions(long project_id) {
  FERRY_TRY_ASSIGN(std::string body,
                   get(fmt::format("/api/v2/versions/?project_id={}", project_id)));
  FERRY_TRY_ASSIGN(json parsed, parse(body, "versions"));
  ProjectVersions result;
  result.project_id = project_id;
  result.latest_version = json_string(parsed, "latest_version").value_or("");
  result.versions = strings(json_object(parsed, "versions"));
  result.stable_versions = strings(json_object(parsed, "stable_versions"));
  if (result.latest_version.empty() && !result.versions.empty()) {
    result.latest_version = result.versions.front();
  }
  return result;
}

Result<ProjectVersions> ReleaseMonitoringClient::versions_for_package(const std::string& package) {
  using infra::util::percent_encode;
  FERRY_TRY_ASSIGN(
      std::string packages_body,
      get("/api/v2/packages/?name=" + percent_encode(package) + "&distribution=Fedora"));
  FERRY_TRY_ASSIGN(json packages, parse(packages_body, "packages"));
  const json& items = json_object(packages, "items");
  if (!items.is_array() || items.empty() || !items[0].is_object()) {
    return fail(ErrorKind::not_found,
                fmt::format("release-monitoring.org does not map the Fedora package {} to an "
                            "upstream project: add the mapping there, or set upstream_project_url",
                            package));
  }
  std::string project = json_string(items[0], "project").value_or("");
  std::string ecosystem = json_string(items[0], "ecosystem").value_or("");
  if (project.empty()) {
    return fail(ErrorKind::http_status,
                fmt::format("release-monitoring's package entry for {} names no project", package));
  }
  FERRY_TRY_ASSIGN(std::string projects_body,
                   get("/api/v2/projects/?name=" + percent_encode(project) +
                       "&ecosystem=" + percent_encode(ecosystem)));
  FERRY_TRY_ASSIGN(json projects, parse(projects_body, "projects"));
  const json& found = json_object(projects, "items");
  std::optional<long> id =
      found.is_array() && !found.empty() ? json_integer(found[0], "id") : std::nullopt;
  if (!id) {
    return fail(ErrorKind::not_found,
                fmt::format("release-monitoring.org has no project {} ({})", project, ecosystem));
  }
  FERRY_TRY_ASSIGN(ProjectVersions result, versions(*id));
  result.project_name = project;
  return result;
}

} // namespace ferry::clients::fedora::release_monitoring
