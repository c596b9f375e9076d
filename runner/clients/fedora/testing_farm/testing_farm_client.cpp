#include "clients/fedora/testing_farm/testing_farm_client.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

namespace ferry::clients::fedora::testing_farm {

namespace {

namespace http = infra::http;
using forge::Json;
using forge::json_string;

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

// Testing Farm errors: {"errors": {...nested...}} for validation, {"message": "..."} elsewhere.
Error testing_farm_error(const forge::RestResponse& response, const std::string& what) {
  std::string reason;
  if (response.body.is_object() && response.body.contains("errors")) {
    reason = response.body["errors"].dump();
  } else {
    reason = json_string(response.body, "message")
                 .value_or(infra::util::shorten_front(
                     response.raw_body.substr(0, response.raw_body.find('\n')), 200));
  }
  bool refused_key = response.status == 401 || response.status == 403;
  ErrorKind kind = refused_key              ? ErrorKind::auth
                   : response.status == 404 ? ErrorKind::not_found
                                            : ErrorKind::http_status;
  std::string message = "Testing Farm refused " + what + " (HTTP " +
                        std::to_string(response.status) + (reason.empty() ? "" : ": " + reason) +
                        ")";
  if (refused_key) {
    message += "; check the `testing_farm_token` setting";
  }
  return Error(kind, std::move(message)).with_http_status(response.status);
}

Json string_map(const std::map<std::string, std::string>& values) {
  Json object = Json::object();
  for (const auto& [key, value] : values) {
    object[key] = value;
  }
  return object;
}

Json environment_json(const Environment& environment) {
  Json artifacts = Json::array();
  for (const Artifact& artifact : environment.artifacts) {
    Json item = {{"id", artifact.id}, {"type", artifact.type}};
    if (!artifact.packages.empty()) {
      item["packages"] = artifact.packages;
    }
    artifacts.push_back(std::move(item));
  }
  Json object = {{"arch", environment.arch},
                 {"os", {{"compose", environment.compose}}},
                 {"artifacts", std::move(artifacts)},
                 {"variables", string_map(environment.variables)},
                 {"secrets", string_map(environment.secrets)},
                 {"tmt", {{"context", string_map(environment.tmt_context)}}}};
  if (environment.post_install_script) {
    object["settings"] = {
        {"provisioning", {{"post_install_script", *environment.post_install_script}}}};
  }
  return object;
}

std::string capitalised(std::string_view word) {
  std::string text(word);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  }
  return text;
}

} // namespace

Artifact copr_build_artifact(long build_id, const std::string& chroot,
                             std::vector<std::string> packages) {
  return Artifact{std::to_string(build_id) + ":" + chroot, "fedora-copr-build",
                  std::move(packages)};
}

Artifact koji_build_artifact(long task_id) {
  return Artifact{std::to_string(task_id), "fedora-koji-build", {}};
}

std::string compose_for(std::string_view distro) {
  if (distro.starts_with("fedora-")) {
    return "Fedora-" + capitalised(distro.substr(7));
  }
  if (distro.starts_with("centos-stream-")) {
    return "CentOS-Stream-" + std::string(distro.substr(14));
  }
  return std::string(distro);
}

Environment environment_for_chroot(std::string_view chroot) {
  Environment environment;
  std::size_t dash = chroot.rfind('-');
  std::string_view distro = dash == std::string_view::npos ? chroot : chroot.substr(0, dash);
  if (dash != std::string_view::npos) {
    environment.arch = std::string(chroot.substr(dash + 1));
  }
  environment.compose = compose_for(distro);
  environment.tmt_context = {{"distro", std::string(distro)}, {"arch", environment.arch}};
  return environment;
}

Json request_json(const RequestSpec& spec) {
  Json tmt = {{"url", spec.test.url}, {"ref", spec.test.ref}};
  if (spec.test.merge_sha) {
    tmt["merge_sha"] = *spec.test.merge_sha;
  }
  if (spec.test.path) {
    tmt["path"] = *spec.test.path;
  }
  if (spec.test.plan_name) {
    tmt["name"] = *spec.test.plan_name;
  }
  if (spec.test.plan_filter) {
    tmt["plan_filter"] = *spec.test.plan_filter;
  }
  Json environments = Json::array();
  for (const Environment& environment : spec.environments) {
    environments.push_back(environment_json(environment));
  }
  Json body = {{"test", {{"tmt", std::move(tmt)}}}, {"environments", std::move(environments)}};
  if (spec.webhook_url) {
    body["notification"] = {{"webhook", {{"url", *spec.webhook_url}}}};
  }
  if (spec.pipeline_timeout) {
    body["settings"] = {{"pipeline", {{"timeout", *spec.pipeline_timeout}}}};
  }
  return body;
}

bool RequestStatus::finished() const {
  return state == "complete" || state == "error" || state == "canceled";
}

bool RequestStatus::passed() const {
  return state == "complete" && (overall == "passed" || overall == "skipped");
}

Result<RequestStatus> parse_request_status(const Json& object) {
  RequestStatus status;
  status.id = json_string(object, "id").value_or("");
  status.state = json_string(object, "state").value_or("");
  if (status.id.empty() || status.state.empty()) {
    return fail(ErrorKind::http_status, "Testing Farm answered with a request without id or state");
  }
  const Json& result = forge::json_object(object, "result");
  status.overall = json_string(result, "overall").value_or("");
  status.summary = json_string(result, "summary").value_or("");
  status.artifacts_url = json_string(forge::json_object(object, "run"), "artifacts").value_or("");
  status.created = json_string(object, "created").value_or("");
  return status;
}

TestingFarmClient::TestingFarmClient(http::HttpClient& client, TestingFarmSettings settings)
    : m_settings(std::move(settings)),
      m_rest(client, trimmed(m_settings.url) + "/v0.1",
             {{"Accept", "application/json"}, {"Authorization", "Bearer " + m_settings.api_key}},
             testing_farm_error) {
  m_settings.url = trimmed(m_settings.url);
  infra::log::logger().register_secret(m_settings.api_key);
  if (!m_settings.sleep) {
    m_settings.sleep = [](std::chrono::milliseconds d) {
      infra::process::wait_unless_cancelled(d);
    };
  }
}

Result<std::string> TestingFarmClient::submit(const RequestSpec& spec) {
  std::string what = "the test request for " + spec.test.url + "@" + spec.test.ref;
  Json body = request_json(spec);
  auto response = m_rest.attempt(http::Method::post, "/requests", 200, what, &body);
  if (!response && response.error().http_status() == 404) { // older deployments: bad key
    Error error(ErrorKind::auth, response.error().message() +
                                     "; Testing Farm answers 404 to an unknown API key: check "
                                     "the `testing_farm_token` setting");
    return std::unexpected(error.with_http_status(404));
  }
  FERRY_TRY(response);
  if (!*response) {
    return fail(ErrorKind::http_status,
                "Testing Farm gave no usable answer to " + what +
                    "; the request may exist anyway, so it is not sent twice");
  }
  auto id = json_string((*response)->body, "id");
  if (!id || id->empty()) {
    return fail(ErrorKind::http_status, "Testing Farm's answer to " + what + " has no id");
  }
  infra::log::info("Testing Farm: request {} submitted", *id);
  return *id;
}

Result<RequestStatus> TestingFarmClient::get_request(const std::string& id) {
  FERRY_TRY_ASSIGN(auto response,
                   m_rest.expect(http::Method::get, "/requests/" + infra::util::percent_encode(id),
                                 {200}, "reading Testing Farm request " + id));
  return parse_request_status(response.body);
}

Result<RequestStatus>
TestingFarmClient::wait_for_request(const std::string& id,
                                    const std::function<void(const RequestStatus&)>& on_change) {
  auto waited = std::chrono::milliseconds(0);
  auto delay = m_settings.first_poll;
  std::string last_state;
  while (true) {
    FERRY_TRY_ASSIGN(auto status, get_request(id));
    if (status.state != last_state) {
      infra::log::debug("Testing Farm request {}: {}", id, status.state);
      if (on_change) {
        on_change(status);
      }
      last_state = status.state;
    }
    if (status.finished()) {
      return status;
    }
    if (waited >= m_settings.request_timeout) {
      return fail(ErrorKind::timeout, "Testing Farm request " + id + " (" + request_url(id) +
                                          ") did not finish within " +
                                          std::to_string(waited.count() / 1000) + " s");
    }
    m_settings.sleep(delay);
    waited += delay;
    delay = std::min(m_settings.max_poll, delay * 3 / 2);
  }
}

Status TestingFarmClient::cancel(const std::string& id) {
  // 200 cancelled, 204 already requested or done, 409 already finished
  FERRY_TRY(m_rest.expect(http::Method::del, "/requests/" + infra::util::percent_encode(id),
                          {200, 204, 409}, "cancelling Testing Farm request " + id, nullptr, true));
  return {};
}

std::string TestingFarmClient::request_url(const std::string& id) const {
  return m_settings.url + "/v0.1/requests/" + id;
}

} // namespace ferry::clients::fedora::testing_farm
