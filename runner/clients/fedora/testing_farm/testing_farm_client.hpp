// Testing Farm API v0.1 (fedora-protocols §7): submit a request running tmt plans from a git
// repository on composes and architectures, with Copr or Koji builds installed as artifacts;
// then poll the request with back-off until it is complete (or errored, or canceled) and read
// `result.overall` and the artifacts link. The API key goes in `Authorization: Bearer`.
#pragma once

#include "clients/forge/rest_client.hpp"
#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::clients::fedora::testing_farm {

inline constexpr std::string_view k_default_testing_farm_url = "https://api.testing-farm.io";

struct TestingFarmSettings {
  std::string url = std::string(k_default_testing_farm_url); // the API is <url>/v0.1
  std::string api_key;
  std::chrono::milliseconds first_poll{30'000};
  std::chrono::milliseconds max_poll{120'000};
  std::chrono::milliseconds request_timeout{std::chrono::hours(12)};
  std::function<void(std::chrono::milliseconds)> sleep; // default: std::this_thread::sleep_for
};

struct Artifact {
  std::string id;
  std::string type;                  // fedora-copr-build | fedora-koji-build | repository | …
  std::vector<std::string> packages; // NVRs to install (Copr builds), optional
};
// {"id": "<build id>:<chroot>", "type": "fedora-copr-build"}
Artifact copr_build_artifact(long build_id, const std::string& chroot,
                             std::vector<std::string> packages = {});
// {"id": "<koji task id>", "type": "fedora-koji-build"}
Artifact koji_build_artifact(long task_id);

struct Environment {
  std::string arch = "x86_64";
  std::string compose; // "Fedora-41"
  std::vector<Artifact> artifacts;
  std::map<std::string, std::string> variables;
  std::map<std::string, std::string> secrets;
  std::map<std::string, std::string> tmt_context; // distro, arch, trigger, initiator
  std::optional<std::string> post_install_script;
};

// The compose of a distribution name as Packit maps it: fedora-41 -> Fedora-41,
// fedora-rawhide -> Fedora-Rawhide, centos-stream-9 -> CentOS-Stream-9; other names (EPEL,
// whose compose depends on the ranch) are returned unchanged.
std::string compose_for(std::string_view distro);
// A Copr chroot ("fedora-41-x86_64") as an environment: compose, arch and the tmt context.
Environment environment_for_chroot(std::string_view chroot);

struct TmtSource {
  std::string url; // git repository holding the plans
  std::string ref;
  std::optional<std::string> merge_sha;
  std::optional<std::string> path;        // directory of the fmf tree
  std::optional<std::string> plan_name;   // "name": a plan regex
  std::optional<std::string> plan_filter; // "tag:ci"
};

struct RequestSpec {
  TmtSource test;
  std::vector<Environment> environments;
  std::optional<std::string> webhook_url;
  std::optional<long> pipeline_timeout; // minutes
};

// The JSON body of POST /v0.1/requests (without any API key: it goes in the header).
forge::Json request_json(const RequestSpec& spec);

struct RequestStatus {
  std::string id;
  std::string state;   // new|queued|running|complete|error|cancel-requested|canceled
  std::string overall; // result.overall: passed|failed|error|skipped|unknown ("" before)
  std::string summary; // result.summary
  std::string artifacts_url;
  std::string created;   // "2025-06-10T12:00:00.000000" (UTC)
  bool finished() const; // complete, error or canceled
  bool passed() const;   // complete with passed or skipped
};

[[nodiscard]] Result<RequestStatus> parse_request_status(const forge::Json& object);

class TestingFarmClient {
public:
  TestingFarmClient(infra::http::HttpClient& http, TestingFarmSettings settings);

  // POST /v0.1/requests -> the request id. ErrorKind::auth when the key is refused (401, or
  // 404 as older deployments answer); a 400 names the invalid fields. Not repeated when the
  // answer is lost (that could run the tests twice).
  [[nodiscard]] Result<std::string> submit(const RequestSpec& spec);
  // GET /v0.1/requests/<id>
  [[nodiscard]] Result<RequestStatus> get_request(const std::string& id);
  // Polls with back-off until finished(); `on_change` sees each new state.
  // ErrorKind::timeout after request_timeout.
  [[nodiscard]] Result<RequestStatus>
  wait_for_request(const std::string& id,
                   const std::function<void(const RequestStatus&)>& on_change = {});
  // DELETE /v0.1/requests/<id>; a request that already finished is not an error.
  [[nodiscard]] Status cancel(const std::string& id);

  // <url>/v0.1/requests/<id>
  std::string request_url(const std::string& id) const;

private:
  TestingFarmSettings m_settings;
  forge::RestClient m_rest;
};

} // namespace ferry::clients::fedora::testing_farm
