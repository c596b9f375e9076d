// Copr API v3 (fedora-protocols §6): HTTP Basic auth with the API login and token, projects
// (read; create with exist_ok; chroots added to an existing project), builds from SCM (Copr
// makes the SRPM) or from an uploaded SRPM (multipart, streamed from disk), build and
// per-chroot states polled with back-off until every chroot is finished, and the web URLs
// jobs report. Chroot names are taken as given ("fedora-41-x86_64"); mapping Packit `targets`
// aliases to chroots is the caller's business.
#pragma once

#include "clients/forge/rest_client.hpp"
#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::clients::fedora::copr {

inline constexpr std::string_view k_default_copr_url = "https://copr.fedorainfracloud.org";

struct CoprSettings {
  std::string url = std::string(k_default_copr_url); // the frontend; the API is <url>/api_3
  std::string login;                                 // API login (not the user name)
  std::string token;
  // Waiting for builds: the first poll after `first_poll`, then each wait ×1.5 up to
  // `max_poll`, for at most `build_timeout` in all.
  std::chrono::milliseconds first_poll{10'000};
  std::chrono::milliseconds max_poll{60'000};
  std::chrono::milliseconds build_timeout{std::chrono::hours(6)};
  std::function<void(std::chrono::milliseconds)> sleep; // default: std::this_thread::sleep_for
};

// What a project should look like (POST /api_3/project/add/<owner>).
struct ProjectSpec {
  std::string owner; // a user, or "@group"
  std::string name;
  std::vector<std::string> chroots;
  std::string description;
  std::string instructions;
  std::optional<std::string> homepage;
  std::optional<std::string> contact;
  std::vector<std::string> additional_repos;
  bool unlisted_on_hp = true;
  bool enable_net = false;
  bool persistent = false;
  bool auto_prune = true;
  bool follow_fedora_branching = true;
  bool module_hotfixes = false;
  std::optional<long> delete_after_days = 60; // nullopt: kept (preserve_project)
  std::optional<std::string> bootstrap;       // default|on|off|image
  std::vector<std::string> packit_forge_projects_allowed;
};

struct Project {
  long id = 0;
  std::string owner;
  std::string name;
  std::string full_name;            // "owner/name"
  std::vector<std::string> chroots; // the keys of chroot_repos
};

// Build options merged into every create call.
struct BuildOptions {
  std::vector<std::string> chroots; // subset of the project's; empty: all
  std::optional<long> timeout;      // seconds
  std::optional<bool> enable_net;
  std::optional<std::string> bootstrap;
  std::optional<std::string> isolation;
  std::optional<std::string> packit_forge_project; // "github.com/o/r", for allow-listing
  std::optional<std::string> project_dirname;      // "project:pr:12"
  bool background = false;
};

struct ScmSource {
  std::string clone_url;
  std::string committish; // branch, tag or commit
  std::string subdirectory;
  std::string spec; // path of the spec file in the checkout
  std::string scm_type = "git";
  std::string source_build_method = "rpkg"; // rpkg|tito|tito_test|make_srpm
};

struct SourcePackage {
  std::string name;
  std::string version;
  std::string url;
};

struct Build {
  long id = 0;
  std::string state; // importing|pending|starting|running|succeeded|failed|canceled|skipped|…
  std::string owner;
  std::string project;
  std::string project_dirname;
  std::string repo_url;
  std::vector<std::string> chroots;
  SourcePackage source_package;
  std::string submitter;
  std::optional<long> submitted_on, started_on, ended_on;
};

struct BuildChroot {
  std::string name;
  std::string state;
  std::string result_url; // the chroot's result directory (logs, RPMs)
  std::optional<long> started_on, ended_on;
};

// How a build was made (GET /api_3/build/source-build-config/<id>/): for SCM builds the clone
// URL and committish, which is how a build of one commit is found again.
struct BuildSource {
  std::string source_type; // scm | upload | link | distgit | custom | …
  std::string clone_url;
  std::string committish;
  std::string subdirectory;
  std::string spec;
};

// A build once every chroot reached a terminal state.
struct FinishedBuild {
  Build build;
  std::vector<BuildChroot> chroots;
  bool succeeded() const; // every chroot succeeded (or was skipped because it already had)
};

// succeeded, failed, canceled, skipped.
bool is_terminal_state(std::string_view state);

class CoprClient {
public:
  CoprClient(infra::http::HttpClient& http, CoprSettings settings);

  // GET /api_3/project; nullopt when it does not exist.
  [[nodiscard]] Result<std::optional<Project>> get_project(const std::string& owner,
                                                           const std::string& name);
  // The project, created (exist_ok=True) when missing; chroots the spec names but an existing
  // project lacks are added to it. ErrorKind::auth when the token may not.
  [[nodiscard]] Result<Project> ensure_project(const ProjectSpec& spec);
  // GET /api_3/auth-check: the user name the API login belongs to.
  [[nodiscard]] Result<std::string> current_user();
  // GET /api_3/mock-chroots/list: the chroot names Copr offers.
  [[nodiscard]] Result<std::vector<std::string>> available_chroots();

  // POST /api_3/build/create/scm. Not repeated when the answer is lost (that could build
  // twice): such a failure says to look at the project's builds.
  [[nodiscard]] Result<Build> build_from_scm(const std::string& owner, const std::string& project,
                                             const ScmSource& source, const BuildOptions& options);
  // POST /api_3/build/create/upload, the SRPM streamed from `srpm`.
  [[nodiscard]] Result<Build> build_from_srpm(const std::string& owner, const std::string& project,
                                              const std::filesystem::path& srpm,
                                              const BuildOptions& options);

  [[nodiscard]] Result<Build> get_build(long build_id);
  // GET /api_3/build/list/?ownername=&projectname=&limit=&order=id&order_type=DESC: the
  // project's newest `limit` builds, newest first.
  [[nodiscard]] Result<std::vector<Build>> recent_builds(const std::string& owner,
                                                         const std::string& project, int limit);
  // GET /api_3/build/source-build-config/<id>/
  [[nodiscard]] Result<BuildSource> build_source(long build_id);
  // GET /api_3/build-chroot/list?build_id=
  [[nodiscard]] Result<std::vector<BuildChroot>> build_chroots(long build_id);
  // GET /api_3/build/source-chroot/<id>: the SRPM step.
  [[nodiscard]] Result<BuildChroot> source_chroot(long build_id);

  // Polls until the build and all its chroots are terminal (back-off per CoprSettings);
  // `on_change` sees each state change. ErrorKind::timeout after build_timeout.
  [[nodiscard]] Result<FinishedBuild> wait_for_build(
      long build_id,
      const std::function<void(const Build&, const std::vector<BuildChroot>&)>& on_change = {});

  // https://copr.fedorainfracloud.org/coprs/<owner>/<project>/build/<id>/ (groups: g/<name>)
  std::string build_url(const Build& build) const;
  std::string project_url(const std::string& owner, const std::string& project) const;

private:
  [[nodiscard]] Result<Build> create_build(const std::string& path, const forge::Json& body,
                                           const std::string& what);
  [[nodiscard]] Result<Build> parse_created(const forge::RestResponse& response,
                                            const std::string& what);
  [[nodiscard]] Status add_chroots(const Project& project, const ProjectSpec& spec);

  infra::http::HttpClient& m_http;
  CoprSettings m_settings;
  forge::RestClient m_rest;
};

// JSON of a Copr Build object.
[[nodiscard]] Result<Build> parse_build(const forge::Json& object);

} // namespace ferry::clients::fedora::copr
