#include "clients/fedora/copr/copr_client.hpp"

#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/encoding.hpp"
#include "infra/util/json.hpp"
#include "infra/util/text.hpp"
#include "infra/util/url.hpp"

#include <algorithm>
#include <thread>

namespace ferry::clients::fedora::copr {

namespace {

namespace http = infra::http;
using forge::Json;
using forge::json_integer;
using forge::json_string;

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

// Copr: {"error": "<text>"} with the status of the exception (fedora-protocols §6.2).
Error copr_error(const forge::RestResponse& response, const std::string& what) {
  std::string reason = json_string(response.body, "error")
                           .value_or(infra::util::shorten_front(
                               response.raw_body.substr(0, response.raw_body.find('\n')), 200));
  ErrorKind kind = response.status == 401 || response.status == 403 ? ErrorKind::auth
                   : response.status == 404                         ? ErrorKind::not_found
                   : response.status == 409                         ? ErrorKind::conflict
                                                                    : ErrorKind::http_status;
  std::string message = "Copr refused " + what + " (HTTP " + std::to_string(response.status) +
                        (reason.empty() ? "" : ": " + reason) + ")";
  if (response.status == 401) {
    message += "; check the `copr_login` and `copr_token` settings (https://copr."
               "fedorainfracloud.org/api shows them)";
  } else if (response.status == 403) {
    message += "; the Copr user needs build permission in the project";
  }
  return Error(kind, std::move(message)).with_http_status(response.status);
}

std::vector<std::string> string_list(const Json& value) {
  std::vector<std::string> items;
  if (value.is_array()) {
    for (const Json& item : value) {
      if (item.is_string()) {
        items.push_back(item.get<std::string>());
      }
    }
  }
  return items;
}

std::optional<long> optional_number(const Json& object, const char* key) {
  return json_integer(object, key);
}

Json options_json(const BuildOptions& options) {
  Json body = Json::object();
  if (!options.chroots.empty()) {
    body["chroots"] = options.chroots;
  }
  if (options.timeout) {
    body["timeout"] = *options.timeout;
  }
  if (options.enable_net) {
    body["enable_net"] = *options.enable_net;
  }
  if (options.bootstrap) {
    body["bootstrap"] = *options.bootstrap;
  }
  if (options.isolation) {
    body["isolation"] = *options.isolation;
  }
  if (options.packit_forge_project) {
    body["packit_forge_project"] = *options.packit_forge_project;
  }
  if (options.project_dirname) {
    body["project_dirname"] = *options.project_dirname;
  }
  body["background"] = options.background;
  return body;
}

Json project_json(const ProjectSpec& spec) {
  Json body = {{"name", spec.name},
               {"chroots", spec.chroots},
               {"description", spec.description},
               {"instructions", spec.instructions},
               {"homepage", spec.homepage ? Json(*spec.homepage) : Json(nullptr)},
               {"contact", spec.contact ? Json(*spec.contact) : Json(nullptr)},
               {"additional_repos", spec.additional_repos},
               {"unlisted_on_hp", spec.unlisted_on_hp},
               {"enable_net", spec.enable_net},
               {"persistent", spec.persistent},
               {"auto_prune", spec.auto_prune},
               {"bootstrap", spec.bootstrap ? Json(*spec.bootstrap) : Json(nullptr)},
               {"follow_fedora_branching", spec.follow_fedora_branching},
               {"module_hotfixes", spec.module_hotfixes},
               {"packit_forge_projects_allowed", spec.packit_forge_projects_allowed}};
  body["delete_after_days"] =
      spec.delete_after_days ? Json(*spec.delete_after_days) : Json(nullptr);
  return body;
}

Result<Project> parse_project(const Json& object) {
  Project project;
  project.id = json_integer(object, "id").value_or(0);
  project.name = json_string(object, "name").value_or("");
  project.owner = json_string(object, "ownername").value_or("");
  project.full_name = json_string(object, "full_name").value_or(project.owner + "/" + project.name);
  if (project.name.empty() || project.owner.empty()) {
    return fail(ErrorKind::http_status, "Copr answered with a project without name or owner");
  }
  const Json& repos = forge::json_object(object, "chroot_repos");
  if (repos.is_object()) {
    for (const auto& [chroot, url] : repos.items()) {
      project.chroots.push_back(chroot);
    }
  }
  return project;
}

BuildChroot parse_chroot(const Json& object) {
  return BuildChroot{json_string(object, "name").value_or(""),
                     json_string(object, "state").value_or(""),
                     json_string(object, "result_url").value_or(""),
                     optional_number(object, "started_on"), optional_number(object, "ended_on")};
}

std::string basic_authorization(const CoprSettings& settings) {
  return "Basic " + infra::util::base64_encode(settings.login + ":" + settings.token);
}

std::string owner_path(const std::string& owner) {
  return owner.starts_with("@") ? "g/" + owner.substr(1) : owner;
}

} // namespace

bool is_terminal_state(std::string_view state) {
  return state == "succeeded" || state == "failed" || state == "canceled" || state == "skipped";
}

bool FinishedBuild::succeeded() const {
  bool chroots_ok = std::all_of(chroots.begin(), chroots.end(), [](const BuildChroot& c) {
    return c.state == "succeeded" || c.state == "skipped";
  });
  return build.state == "succeeded" && chroots_ok;
}

Result<Build> parse_build(const Json& object) {
  Build build;
  build.id = json_integer(object, "id").value_or(0);
  build.state = json_string(object, "state").value_or("");
  if (build.id == 0 || build.state.empty()) {
    return fail(ErrorKind::http_status, "Copr answered with a build without id or state");
  }
  build.owner = json_string(object, "ownername").value_or("");
  build.project = json_string(object, "projectname").value_or("");
  build.project_dirname = json_string(object, "project_dirname").value_or(build.project);
  build.repo_url = json_string(object, "repo_url").value_or("");
  build.chroots = string_list(forge::json_object(object, "chroots"));
  const Json& source = forge::json_object(object, "source_package");
  build.source_package = {json_string(source, "name").value_or(""),
                          json_string(source, "version").value_or(""),
                          json_string(source, "url").value_or("")};
  build.submitter = json_string(object, "submitter").value_or("");
  build.submitted_on = optional_number(object, "submitted_on");
  build.started_on = optional_number(object, "started_on");
  build.ended_on = optional_number(object, "ended_on");
  return build;
}

CoprClient::CoprClient(http::HttpClient& client, CoprSettings settings)
    : m_http(client), m_settings(std::move(settings)),
      m_rest(client, trimmed(m_settings.url) + "/api_3",
             {{"Accept", "application/json"}, {"Authorization", basic_authorization(m_settings)}},
             copr_error) {
  m_settings.url = trimmed(m_settings.url);
  infra::log::logger().register_secret(m_settings.token);
  if (!m_settings.sleep) {
    m_settings.sleep = [](std::chrono::milliseconds d) {
      infra::process::wait_unless_cancelled(d);
    };
  }
}

Result<std::optional<Project>> CoprClient::get_project(const std::string& owner,
                                                       const std::string& name) {
  std::string what = "reading Copr project " + owner + "/" + name;
  FERRY_TRY_ASSIGN(auto response,
                   m_rest.expect(http::Method::get,
                                 "/project?ownername=" + infra::util::percent_encode(owner) +
                                     "&projectname=" + infra::util::percent_encode(name),
                                 {200, 404}, what));
  if (response.status == 404) {
    return std::optional<Project>();
  }
  FERRY_TRY_ASSIGN(auto project, parse_project(response.body));
  return std::optional<Project>(std::move(project));
}

Status CoprClient::add_chroots(const Project& project, const ProjectSpec& spec) {
  std::vector<std::string> chroots = project.chroots;
  for (const std::string& chroot : spec.chroots) {
    if (std::find(chroots.begin(), chroots.end(), chroot) == chroots.end()) {
      chroots.push_back(chroot);
    }
  }
  if (chroots.size() == project.chroots.size()) {
    return {};
  }
  infra::log::info("Copr: adding chroots to {}", project.full_name);
  // Copr: PUT /api_3/project/edit/<owner>/<project> {"chroots": [...]} (the full set)
  Json body = {{"chroots", chroots}};
  FERRY_TRY(m_rest.expect(http::Method::put,
                          "/project/edit/" + infra::util::percent_encode(project.owner) + "/" +
                              infra::util::percent_encode(project.name),
                          {200}, "adding chroots to Copr project " + project.full_name, &body,
                          true));
  return {};
}

Result<Project> CoprClient::ensure_project(const ProjectSpec& spec) {
  FERRY_TRY_ASSIGN(auto existing, get_project(spec.owner, spec.name));
  if (existing) {
    FERRY_TRY(add_chroots(*existing, spec));
    return std::move(*existing);
  }
  // Copr: POST /api_3/project/add/<owner>?exist_ok=True — repeatable, a second add returns the
  // project the first one made.
  Json body = project_json(spec);
  FERRY_TRY_ASSIGN(
      auto response,
      m_rest.expect(http::Method::post,
                    "/project/add/" + infra::util::percent_encode(spec.owner) + "?exist_ok=True",
                    {200}, "creating Copr project " + spec.owner + "/" + spec.name, &body, true));
  FERRY_TRY_ASSIGN(auto project, parse_project(response.body));
  FERRY_TRY(add_chroots(project, spec)); // exist_ok returned an older project
  infra::log::info("Copr: project {} ready", project.full_name);
  return project;
}

Result<std::string> CoprClient::current_user() {
  FERRY_TRY_ASSIGN(auto response, m_rest.expect(http::Method::get, "/auth-check", {200},
                                                "checking the Copr API login"));
  auto name = json_string(response.body, "name");
  if (!name || name->empty()) {
    return fail(ErrorKind::auth, "Copr did not name the user of the API login; check the "
                                 "`copr_login` and `copr_token` settings");
  }
  return *name;
}

Result<std::vector<std::string>> CoprClient::available_chroots() {
  FERRY_TRY_ASSIGN(auto response, m_rest.expect(http::Method::get, "/mock-chroots/list", {200},
                                                "listing Copr chroots"));
  std::vector<std::string> names;
  if (response.body.is_object()) {
    for (const auto& [name, comment] : response.body.items()) {
      names.push_back(name);
    }
  }
  return names;
}

Result<Build> CoprClient::parse_created(const forge::RestResponse& response,
                                        const std::string& what) {
  const Json& items = forge::json_object(response.body, "items"); // URL builds answer a list
  const Json& object = items.is_array() && !items.empty() ? items.front() : response.body;
  FERRY_TRY_ASSIGN(auto build, parse_build(object));
  infra::log::info("Copr: {} is build {} ({})", what, build.id, build_url(build));
  return build;
}

Result<Build> CoprClient::create_build(const std::string& path, const Json& body,
                                       const std::string& what) {
  auto response = m_rest.attempt(http::Method::post, path, 200, what, &body);
  FERRY_TRY(response);
  if (!*response) {
    return fail(ErrorKind::http_status,
                "Copr gave no usable answer to " + what +
                    "; it may have started the build anyway: check the project's builds before "
                    "trying again");
  }
  return parse_created(**response, what);
}

Result<Build> CoprClient::build_from_scm(const std::string& owner, const std::string& project,
                                         const ScmSource& source, const BuildOptions& options) {
  Json body = options_json(options);
  body.update({{"ownername", owner},
               {"projectname", project},
               {"clone_url", source.clone_url},
               {"committish", source.committish},
               {"subdirectory", source.subdirectory},
               {"spec", source.spec},
               {"scm_type", source.scm_type},
               {"source_build_method", source.source_build_method}});
  return create_build("/build/create/scm", body,
                      "the SCM build of " + source.clone_url + " in " + owner + "/" + project);
}

Result<Build> CoprClient::build_from_srpm(const std::string& owner, const std::string& project,
                                          const std::filesystem::path& srpm,
                                          const BuildOptions& options) {
  std::string what = "the build of " + srpm.filename().string() + " in " + owner + "/" + project;
  Json body = options_json(options);
  body.update({{"ownername", owner}, {"projectname", project}});
  // Copr: multipart part `json` (a file named "json") + part `pkgs` (the SRPM)
  http::Request request;
  request.method = http::Method::post;
  request.url = m_settings.url + "/api_3/build/create/upload";
  request.headers = {{"Accept", "application/json"},
                     {"Authorization", basic_authorization(m_settings)}};
  request.multipart = {{"json", forge::json_text(body), std::nullopt, "json", "application/json"},
                       {"pkgs", "", srpm, srpm.filename().string(), "application/x-rpm"}};
  request.timeout = std::chrono::hours(1); // the stall timeout guards the upload
  FERRY_TRY_ASSIGN(auto response, with_context(m_http.send(request), what));
  forge::RestResponse rest{response.status, infra::util::parse_json_or_discarded(response.body),
                           response.body, response.headers, infra::util::redact_url(request.url)};
  if (response.status >= 500) {
    return fail(ErrorKind::http_status,
                "Copr answered " + std::to_string(response.status) + " to " + what +
                    "; it may have started the build anyway: check the project's builds");
  }
  if (response.status != 200) {
    return std::unexpected(copr_error(rest, what));
  }
  return parse_created(rest, what);
}

Result<Build> CoprClient::get_build(long build_id) {
  FERRY_TRY_ASSIGN(auto response,
                   m_rest.expect(http::Method::get, "/build/" + std::to_string(build_id), {200},
                                 "reading Copr build " + std::to_string(build_id)));
  return parse_build(response.body);
}

Result<std::vector<Build>> CoprClient::recent_builds(const std::string& owner,
                                                     const std::string& project, int limit) {
  FERRY_TRY_ASSIGN(
      auto response,
      m_rest.expect(http::Method::get,
                    "/build/list/?ownername=" + infra::util::percent_encode(owner) +
                        "&projectname=" + infra::util::percent_encode(project) +
                        "&limit=" + std::to_string(limit) + "&offset=0&order=id&order_type=DESC",
                    {200}, "listing the builds of Copr project " + owner + "/" + project));
  std::vector<Build> builds;
  FERRY_TRY_ASSIGN(
      const Json* items,
      forge::documented_list(response, "items", "could not tell which Copr builds exist"));
  for (const Json& item : *items) {
    FERRY_TRY_ASSIGN(auto build, parse_build(item));
    builds.push_back(std::move(build));
  }
  std::sort(builds.begin(), builds.end(),
            [](const Build& a, const Build& b) { return a.id > b.id; });
  return builds;
}

Result<BuildSource> CoprClient::build_source(long build_id) {
  FERRY_TRY_ASSIGN(auto response,
                   m_rest.expect(http::Method::get,
                                 "/build/source-build-config/" + std::to_string(build_id) + "/",
                                 {200},
                                 "reading the source of Copr build " + std::to_string(build_id)));
  const Json& source = forge::json_object(response.body, "source_dict");
  return BuildSource{
      json_string(response.body, "source_type").value_or(""),
      json_string(source, "clone_url").value_or(""), json_string(source, "committish").value_or(""),
      json_string(source, "subdirectory").value_or(""), json_string(source, "spec").value_or("")};
}

Result<std::vector<BuildChroot>> CoprClient::build_chroots(long build_id) {
  FERRY_TRY_ASSIGN(auto response,
                   m_rest.expect(http::Method::get,
                                 "/build-chroot/list?build_id=" + std::to_string(build_id), {200},
                                 "reading the chroots of Copr build " + std::to_string(build_id)));
  std::vector<BuildChroot> chroots;
  FERRY_TRY_ASSIGN(const Json* items,
                   forge::documented_list(response, "items",
                                          "could not tell the chroots of Copr build " +
                                              std::to_string(build_id)));
  for (const Json& item : *items) {
    chroots.push_back(parse_chroot(item));
  }
  return chroots;
}

Result<BuildChroot> CoprClient::source_chroot(long build_id) {
  FERRY_TRY_ASSIGN(
      auto response,
      m_rest.expect(http::Method::get, "/build/source-chroot/" + std::to_string(build_id), {200},
                    "reading the SRPM step of Copr build " + std::to_string(build_id)));
  BuildChroot chroot = parse_chroot(response.body);
  chroot.name = "srpm-builds";
  return chroot;
}

Result<FinishedBuild> CoprClient::wait_for_build(
    long build_id,
    const std::function<void(const Build&, const std::vector<BuildChroot>&)>& on_change) {
  auto waited = std::chrono::milliseconds(0);
  auto delay = m_settings.first_poll;
  std::string last_seen;
  while (true) {
    FERRY_TRY_ASSIGN(auto build, get_build(build_id));
    FERRY_TRY_ASSIGN(auto chroots, build_chroots(build_id));
    std::string seen = build.state;
    for (const BuildChroot& chroot : chroots) {
      seen += " " + chroot.name + "=" + chroot.state;
    }
    if (seen != last_seen) {
      infra::log::debug("Copr build {}: {}", build_id, seen);
      if (on_change) {
        on_change(build, chroots);
      }
      last_seen = seen;
    }
    bool done = is_terminal_state(build.state) &&
                std::all_of(chroots.begin(), chroots.end(),
                            [](const BuildChroot& c) { return is_terminal_state(c.state); });
    if (done) {
      return FinishedBuild{std::move(build), std::move(chroots)};
    }
    if (waited >= m_settings.build_timeout) {
      return fail(ErrorKind::timeout, "Copr build " + std::to_string(build_id) + " (" +
                                          build_url(build) + ") did not finish within " +
                                          std::to_string(waited.count() / 1000) + " s");
    }
    m_settings.sleep(delay);
    waited += delay;
    delay = std::min(m_settings.max_poll, delay * 3 / 2);
  }
}

std::string CoprClient::build_url(const Build& build) const {
  return project_url(build.owner, build.project) + "/build/" + std::to_string(build.id) + "/";
}

std::string CoprClient::project_url(const std::string& owner, const std::string& project) const {
  return m_settings.url + "/coprs/" + owner_path(owner) + "/" + project;
}

} // namespace ferry::clients::fedora::copr
