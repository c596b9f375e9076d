// release-monitoring.org (Anitya) API v2, read-only and unauthenticated (fedora-protocols §8.2):
// which upstream project a Fedora package maps to, and that project's newest version.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::clients::fedora::release_monitoring {

inline constexpr std::string_view k_default_url = "https://release-monitoring.org";

struct ProjectVersions {
  long project_id = 0;
  std::string project_name;
  std::string latest_version;
  std::vector<std::string> versions;        // newest first, as Anitya orders them
  std::vector<std::string> stable_versions; // without pre-releases
};

class ReleaseMonitoringClient {
public:
  ReleaseMonitoringClient(infra::http::HttpClient& http, std::string base_url);

  // The Anitya project of a Fedora package (packages/?name=&distribution=Fedora, then
  // projects/?name=&ecosystem=) with its versions (versions/?project_id=). ErrorKind::not_found
  // when the package is not mapped, naming what to do.
  [[nodiscard]] Result<ProjectVersions> versions_for_package(const std::string& package);

  // The versions of a project by id.
  [[nodiscard]] Result<ProjectVersions> versions(long project_id);

private:
  [[nodiscard]] Result<std::string> get(const std::string& path_and_query);

  infra::http::HttpClient& m_http;
  std::string m_base_url;
};

} // namespace ferry::clients::fedora::release_monitoring
