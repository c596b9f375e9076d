#include "fakes/fake_testing_farm.hpp"

#include "fakes/fake_http.hpp"
#include "fakes/fake_oidc_provider.hpp"

#include <ctime>
#include <set>

namespace ferry::testing {

using nlohmann::json;

namespace {

const std::set<std::string> k_arches = {"x86_64", "aarch64", "ppc64le", "s390x"};
const std::set<std::string> k_composes = {"Fedora-40",      "Fedora-41",       "Fedora-42",
                                          "Fedora-Rawhide", "CentOS-Stream-9", "CentOS-Stream-10"};
const std::set<std::string> k_artifact_types = {
    "fedora-koji-build", "fedora-copr-build", "redhat-brew-build", "repository", "repository-file"};
// Testing Farm's timestamps: UTC, microseconds, no zone ("2025-06-10T12:00:00.000000").
std::string timestamp(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()) %
                std::chrono::seconds(1);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06ld", static_cast<long>(micros.count()));
  return std::string(text) + fraction;
}

std::string uuid() {
  std::string hex = random_hex(32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

TestResponse validation(const json& errors) {
  return json_response(400, {{"errors", errors}, {"message", "Request is not valid"}});
}

// The errors of a submitted body, nested as Testing Farm reports them; null when valid.
json body_errors(const json& body) {
  if (!body.is_object()) {
    return {{"body", "Invalid JSON"}};
  }
  const json test = body.value("test", json::object());
  const json tmt = test.contains("tmt") ? test["tmt"] : test.value("fmf", json());
  if (!tmt.is_object() || !tmt.contains("url") || !tmt["url"].is_string()) {
    return {{"test", {{"tmt", {{"url", "Missing data for required field."}}}}}};
  }
  const json environments = body.value("environments", json());
  if (!environments.is_array() || environments.empty()) {
    return {{"environments", "Missing data for required field."}};
  }
  for (std::size_t i = 0; i < environments.size(); ++i) {
    const json& environment = environments[i];
    std::string index = std::to_string(i);
    std::string arch = environment.value("arch", "");
    if (k_arches.count(arch) == 0) {
      return {{"environments", {{index, {{"arch", "'" + arch + "' is not supported"}}}}}};
    }
    std::string compose = environment.value("os", json::object()).value("compose", "");
    if (k_composes.count(compose) == 0) {
      return {{"environments", {{index, {{"os", {{"compose", "Unknown compose " + compose}}}}}}}};
    }
    for (const json& artifact : environment.value("artifacts", json::array())) {
      if (k_artifact_types.count(artifact.value("type", "")) == 0 ||
          !artifact.value("id", json()).is_string()) {
        return {{"environments", {{index, {{"artifacts", "Invalid artifact"}}}}}};
      }
    }
  }
  return nullptr;
}

} // namespace

FakeTestingFarm::FakeTestingFarm(std::chrono::milliseconds step) : m_step(step) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

void FakeTestingFarm::add_api_key(const std::string& key, const std::string& user) {
  std::lock_guard lock(m_mutex);
  m_keys[key] = user;
}

void FakeTestingFarm::set_outcome(std::string overall) {
  std::lock_guard lock(m_mutex);
  m_outcome = std::move(overall);
}

void FakeTestingFarm::set_outcome_for(const std::string& compose, std::string overall) {
  std::lock_guard lock(m_mutex);
  m_compose_outcomes[compose] = std::move(overall);
}

void FakeTestingFarm::inject(const std::string& route_prefix, TestResponse response, int count,
                             bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

std::map<std::string, json> FakeTestingFarm::submitted() const {
  std::lock_guard lock(m_mutex);
  std::map<std::string, json> bodies;
  for (const auto& [id, request] : m_requests) {
    bodies[id] = request.body;
  }
  return bodies;
}

TestResponse FakeTestingFarm::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] { return answer(request); });
}

TestResponse FakeTestingFarm::answer(const TestRequest& request) {
  auto parts = split_path(request.path);
  if (parts.empty() || parts[0] != "v0.1") {
    return json_response(404, {{"message", "Not found"}});
  }
  if (request.method == "GET" && parts.size() == 2 && parts[1] == "about") {
    return json_response(200, {{"version", "fake"}, {"release_notes", ""}});
  }
  if (request.method == "GET" && parts.size() == 3 && parts[1] == "composes") {
    json composes = json::array();
    for (const std::string& name : k_composes) {
      composes.push_back({{"name", name}});
    }
    return json_response(200, {{"composes", composes}});
  }
  if (parts.size() >= 2 && parts[1] == "requests") {
    if (request.method == "POST" && parts.size() == 2) {
      return submit(request);
    }
    auto found = parts.size() == 3 ? m_requests.find(parts[2]) : m_requests.end();
    if (found == m_requests.end()) {
      return json_response(404, {{"message", "No such entity"}});
    }
    if (request.method == "GET") {
      return json_response(200, request_json(parts[2], found->second));
    }
    if (request.method == "DELETE") {
      return cancel(request, parts[2]);
    }
  }
  return json_response(404, {{"message", "Not found"}});
}

// Testing Farm: POST /v0.1/requests, Authorization: Bearer <api key>
TestResponse FakeTestingFarm::submit(const TestRequest& request) {
  auto user = m_keys.find(authorization_token(request));
  if (user == m_keys.end()) {
    return json_response(401,
                         {{"code", 401}, {"message", "Not authorized to perform this action"}});
  }
  json body = json::parse(request.body, nullptr, false);
  if (json errors = body_errors(body); !errors.is_null()) {
    return validation(errors);
  }
  std::string id = uuid();
  std::string outcome = m_outcome;
  for (const json& environment : body["environments"]) {
    std::string compose = environment.value("os", json::object()).value("compose", "");
    if (auto special = m_compose_outcomes.find(compose); special != m_compose_outcomes.end()) {
      outcome = special->second;
    }
  }
  m_requests[id] = Request{body,    user->second,
                           outcome, std::chrono::steady_clock::now(),
                           false,   timestamp(std::chrono::system_clock::now())};
  json answer = {{"id", id},
                 {"created", m_requests[id].created_at},
                 {"updated", m_requests[id].created_at},
                 {"user_id", user->second},
                 {"test", body["test"]},
                 {"environments", body["environments"]},
                 {"notification", body.value("notification", json())},
                 {"settings", body.value("settings", json())}};
  return json_response(200, answer);
}

TestResponse FakeTestingFarm::cancel(const TestRequest& request, const std::string& id) {
  auto user = m_keys.find(authorization_token(request));
  if (user == m_keys.end()) {
    return json_response(401,
                         {{"code", 401}, {"message", "Not authorized to perform this action"}});
  }
  Request& found = m_requests[id];
  std::string state = state_of(found);
  if (state == "complete" || state == "error") {
    return json_response(409, {{"message", "Request already finished"}});
  }
  if (found.cancel_requested) {
    return TestResponse{204, {}, ""};
  }
  found.cancel_requested = true;
  return json_response(200, {{"message", "cancellation requested"}});
}

std::string FakeTestingFarm::state_of(const Request& request) const {
  auto elapsed = std::chrono::steady_clock::now() - request.created;
  if (request.cancel_requested) {
    return elapsed < m_step * 3 ? "cancel-requested" : "canceled";
  }
  if (elapsed < m_step) {
    return "new";
  }
  if (elapsed < m_step * 2) {
    return "queued";
  }
  if (elapsed < m_step * 3) {
    return "running";
  }
  return request.outcome == "infrastructure" ? "error" : "complete";
}

json FakeTestingFarm::request_json(const std::string& id, const Request& request) const {
  std::string state = state_of(request);
  json result = nullptr;
  if (state == "complete") {
    result = {{"overall", request.outcome}, {"summary", nullptr}, {"xunit", nullptr}};
  } else if (state == "error") {
    result = {{"overall", "error"}, {"summary", "Guest provisioning failed"}, {"xunit", nullptr}};
  }
  json test = request.body["test"];
  json shown_test = {{"fmf", test.contains("tmt") ? test["tmt"] : test.value("fmf", json())}};
  json run = nullptr;
  if (state != "new" && state != "queued") {
    run = {
        {"console", nullptr}, {"stages", json::array()}, {"artifacts", url() + "/artifacts/" + id}};
  }
  return {{"id", id},
          {"user_id", request.user},
          {"state", state},
          {"created", request.created_at},
          {"updated", request.created_at},
          {"test", shown_test},
          {"environments_requested", request.body["environments"]},
          {"notes", json::array()},
          {"result", result},
          {"run", run},
          {"settings", request.body.value("settings", json())}};
}

} // namespace ferry::testing
