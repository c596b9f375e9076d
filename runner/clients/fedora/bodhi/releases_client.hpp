// Bodhi's list of active releases (`GET /releases/?state=current&state=pending&state=frozen`,
// paginated), the data source of Fedora/EPEL branch aliases. Fetched once per run and cached.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"
#include "model/bodhi_release.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::clients::fedora::bodhi {

inline constexpr std::string_view k_default_bodhi_url = "https://bodhi.fedoraproject.org";

// One page of a `GET /releases/` response body.
struct ReleasesPage {
  std::vector<model::BodhiRelease> releases;
  long page = 1;
  long pages = 1;
};

// Parses a `GET /releases/` body. Fails with ErrorKind::http_status naming the field when the
// body is not JSON or lacks `releases` or a release's string fields.
[[nodiscard]] Result<ReleasesPage> parse_releases_page(std::string_view body);

class ReleasesClient {
public:
  explicit ReleasesClient(infra::http::HttpClient& http,
                          std::string base_url = std::string(k_default_bodhi_url))
      : m_http(http), m_base_url(std::move(base_url)) {}

  // Every current, pending and frozen release, all pages; the first successful answer is
  // kept for the rest of the run. Non-2xx statuses are ErrorKind::http_status errors.
  [[nodiscard]] Result<std::vector<model::BodhiRelease>> active_releases();

private:
  infra::http::HttpClient& m_http;
  std::string m_base_url;
  std::optional<std::vector<model::BodhiRelease>> m_cache;
};

} // namespace ferry::clients::fedora::bodhi
