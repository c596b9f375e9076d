// Builders of the clients job runners need, from ferry's settings and the CI's variables.
#include "cli/run_context.hpp"
#include "cli/wiring.hpp"
#include "clients/forge/forge_registry.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"

#include <fmt/format.h>

#include <fstream>

namespace ferry::cli {

namespace fs = std::filesystem;
namespace forge = clients::forge;
namespace config = core::config;

bool RunContext::dry_run() const {
  return call.global.dry_run || settings.flag("dry_run");
}

forge::RepoRef split_repo(std::string_view full_name) {
  std::size_t slash = full_name.rfind('/');
  if (slash == std::string_view::npos) {
    return {"", std::string(full_name)};
  }
  return {std::string(full_name.substr(0, slash)), std::string(full_name.substr(slash + 1))};
}

fs::path workspace_of(const Settings& settings) {
  for (const char* name : {"GITHUB_WORKSPACE", "CI_PROJECT_DIR"}) {
    if (auto dir = settings.env(name)) {
      return *dir;
    }
  }
  return fs::current_path();
}

std::string run_url(const Settings& settings) {
  if (auto job = settings.env("CI_JOB_URL")) {
    return *job;
  }
  auto server = settings.env("GITHUB_SERVER_URL");
  auto repository = settings.env("GITHUB_REPOSITORY");
  auto run = settings.env("GITHUB_RUN_ID");
  if (server && repository && run) {
    return fmt::format("{}/{}/actions/runs/{}", *server, *repository, *run);
  }
  return "";
}

std::string host_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return "";
  }
  std::string_view rest = url.substr(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

// The upstream forge's client: the forge the CI runs on, its API from the CI's variables.
Result<std::unique_ptr<forge::Forge>> upstream_forge(const RunContext& run) {
  std::optional<forge::ForgeKind> kind;
  std::optional<std::string> api;
  switch (run.event.forge) {
  case model::Forge::github:
    kind = forge::ForgeKind::github;
    api = run.settings.env("GITHUB_API_URL").value_or("https://api.github.com");
    break;
  case model::Forge::forgejo:
    kind = forge::ForgeKind::forgejo;
    api = run.settings.env("GITHUB_API_URL");
    break;
  case model::Forge::gitlab:
    kind = forge::ForgeKind::gitlab;
    api = run.settings.env("CI_API_V4_URL");
    break;
  case model::Forge::local:
    return std::unique_ptr<forge::Forge>();
  }
  if (!api) {
    return fail(ErrorKind::event, "the CI did not say where its forge's API is "
                                  "(GITHUB_API_URL / CI_API_V4_URL)");
  }
  auto token = run.settings.secret("token");
  for (const char* name : {"GITHUB_TOKEN", "FORGEJO_TOKEN", "GITLAB_TOKEN"}) {
    if (!token && run.event.forge != model::Forge::gitlab) {
      token = run.settings.env(name);
    }
    (void)name;
  }
  if (!token) {
    return fail(ErrorKind::config, "no token for the upstream forge: set the `token` input "
                                   "(or FERRY_TOKEN)");
  }
  infra::log::logger().register_secret(*token);
  forge::ForgeSettings forge_settings;
  forge_settings.api_url = *api;
  forge_settings.token = *token;
  return forge::make_forge(*kind, *run.http, forge_settings);
}

std::string kerberos_principal(const Settings& settings) {
  if (auto principal = settings.get("kerberos_principal")) {
    return *principal;
  }
  if (auto user = settings.get("fas_user")) {
    return *user + "@FEDORAPROJECT.ORG";
  }
  return "";
}

Result<bool> use_keytab(const Settings& settings,
                        std::unique_ptr<infra::util::KeytabLogin>& login) {
  if (login) {
    return true;
  }
  auto keytab = settings.secret("keytab");
  if (!keytab) {
    return false;
  }
  auto bytes = infra::util::base64_decode(*keytab);
  if (!bytes) {
    return fail(ErrorKind::config, "the `keytab` setting is not base64 (encode the keytab "
                                   "file with `base64 -w0`)");
  }
  FERRY_TRY_ASSIGN(login, infra::util::KeytabLogin::install(*bytes, kerberos_principal(settings)));
  infra::log::info("Kerberos: using the keytab of {} (no kinit)", login->principal());
  return true;
}

Result<bool> use_keytab(RunContext& run) {
  return use_keytab(run.settings, run.keytab_login);
}

// Lookaside: FERRY_LOOKASIDE_DIR (a directory), else upload.cgi at FERRY_LOOKASIDE_URL or the
// package's dist-git host, authenticated by `fedora_cert` or `keytab` (Kerberos).
Result<LookasideClients> make_lookaside(RunContext& run) {
  namespace lookaside = clients::fedora::lookaside;
  if (auto dir = run.settings.env("FERRY_LOOKASIDE_DIR")) {
    return LookasideClients{nullptr, lookaside::make_directory_lookaside(*dir)};
  }
  HttpAuth auth;
  if (auto cert = run.settings.secret("fedora_cert")) {
    if (cert->find("-----BEGIN") != std::string::npos) {
      auth.client_cert_pem = *cert;
    } else {
      auth.client_cert = *cert;
    }
  } else {
    FERRY_TRY_ASSIGN(auth.negotiate, use_keytab(run));
  }
  lookaside::CgiSettings cgi;
  std::string base =
      run.settings.env("FERRY_LOOKASIDE_URL").value_or("https://src.fedoraproject.org/repo/pkgs");
  cgi.download_base = base;
  cgi.cgi_url = base + "/upload.cgi";
  LookasideClients clients{make_http(auth), nullptr};
  clients.lookaside = lookaside::make_cgi_lookaside(*clients.http, cgi);
  return clients;
}

// The dist-git forge: FERRY_DIST_GIT_URL, else the config's dist_git_base_url.
Result<std::unique_ptr<forge::Forge>> dist_git_forge(const RunContext& run,
                                                     const nlohmann::ordered_json& settings) {
  std::string base = run.settings.env("FERRY_DIST_GIT_URL")
                         .value_or(settings.value("dist_git_base_url",
                                                  std::string("https://src.fedoraproject.org/")));
  while (base.ends_with('/')) {
    base.pop_back();
  }
  std::optional<forge::ForgeKind> kind;
  if (auto named = run.settings.get("dist_git_kind")) {
    kind = forge::forge_kind_from_name(*named);
  } else {
    std::string host = base.substr(base.find("://") + 3);
    kind = forge::forge_kind_for_host(host.substr(0, host.find('/')));
  }
  if (!kind) {
    return fail(
        ErrorKind::config,
        fmt::format("cannot tell which forge serves dist-git at {}: set FERRY_DIST_GIT_KIND "
                    "(pagure or forgejo)",
                    base));
  }
  auto token = run.settings.secret("dist_git_token");
  if (!token) {
    return fail(ErrorKind::config, "no token for dist-git: set the `dist_git_token` input "
                                   "(or FERRY_DIST_GIT_TOKEN)");
  }
  forge::ForgeSettings forge_settings;
  forge_settings.api_url = *kind == forge::ForgeKind::pagure ? base : base + "/api/v1";
  if (auto api = run.settings.env("FERRY_DIST_GIT_API_URL")) {
    forge_settings.api_url = *api;
  }
  forge_settings.token = *token;
  return forge::make_forge(*kind, *run.http, forge_settings);
}

const config::PackageConfig* package_of(const config::Config& loaded, const std::string& name) {
  for (const config::PackageConfig& package : loaded.packages) {
    if (package.name == name) {
      return &package;
    }
  }
  return nullptr;
}

} // namespace ferry::cli
