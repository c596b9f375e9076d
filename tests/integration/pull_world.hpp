// The world of a pull_from_upstream run: the dist-git repository on Forgejo (the job runs in
// it, config from dist-git), release-monitoring.org's API v2 (fake), a download server for the
// archives, the lookaside and Bodhi's releases; ferry runs as a scheduled Forgejo Actions job.
#pragma once

#include "integration/release_world.hpp"

namespace ferry::testing {

inline constexpr const char* k_pull_world_token = "forgejo_DistGitCanaryToken000000000000001";

struct PullWorld {
  TempDir dir;
  FakeGitHub forgejo{FakeGitHub::Flavor::forgejo};
  FakeLookaside lookaside;
  std::map<std::string, std::string> archives; // served by name
  std::unique_ptr<HttpTestServer> downloads;
  std::unique_ptr<HttpTestServer> monitoring;
  std::unique_ptr<HttpTestServer> bodhi;
  std::filesystem::path workspace = dir / "workspace";
  std::atomic<int> monitoring_requests{0};
  // release-monitoring's answer to /api/v2/versions/?project_id=4242
  std::string versions_answer = R"({"latest_version": "1.4.0", "versions": ["1.4.0", "1.3.0"],
                                    "stable_versions": ["1.4.0", "1.3.0"]})";

  explicit PullWorld(const std::string& config_extra) {
    downloads = std::make_unique<HttpTestServer>([this](const TestRequest& request) {
      auto found = archives.find(request.path.substr(1));
      return found == archives.end() ? TestResponse{404, {}, "Not Found"}
                                     : TestResponse{200, {}, found->second};
    });
    monitoring = std::make_unique<HttpTestServer>([this](const TestRequest& request) {
      ++monitoring_requests;
      if (request.path == "/api/v2/packages/" &&
          request.query == "name=hello&distribution=Fedora") {
        return TestResponse{200,
                            {{"Content-Type", "application/json"}},
                            R"({"items": [{"distribution": "Fedora", "name": "hello",
                                "project": "hello", "ecosystem": "https://hello.example",
                                "version": "1.4.0", "stable_version": "1.4.0"}],
                                "page": 1, "items_per_page": 25, "total_items": 1})"};
      }
      if (request.path == "/api/v2/projects/" &&
          request.query == "name=hello&ecosystem=https%3A%2F%2Fhello.example") {
        return TestResponse{200,
                            {{"Content-Type", "application/json"}},
                            R"({"items": [{"id": 4242, "name": "hello", "version": "1.4.0"}],
                                "page": 1, "items_per_page": 25, "total_items": 1})"};
      }
      if (request.path == "/api/v2/versions/" && request.query == "project_id=4242") {
        return TestResponse{200, {{"Content-Type", "application/json"}}, versions_answer};
      }
      return TestResponse{404, {}, R"({"output": "notok", "error": "No such project"})"};
    });
    std::string releases = read_source_file("tests/fixtures/bodhi/releases.json");
    bodhi = std::make_unique<HttpTestServer>([releases](const TestRequest&) {
      return TestResponse{200, {{"Content-Type", "application/json"}}, releases};
    });
    archives["hello-1.4.0.tar.gz"] = "pretend this is hello 1.4.0\n";
    archives["hello-1.3.5.tar.gz"] = "pretend this is hello 1.3.5\n";

    std::string spec = read_source_file("examples/hello-dist-git/hello.spec");
    std::string from = "%global forgeurl https://github.com/ferry-bot/hello";
    spec.replace(spec.find(from), from.size(), "%global forgeurl " + downloads->url("/"));
    std::string source = "Source0:        %{url}/archive/v%{version}/%{name}-%{version}.tar.gz";
    spec.replace(spec.find(source), source.size(),
                 "Source0:        %{url}%{name}-%{version}.tar.gz");
    std::string config = "downstream_package_name: hello\n" + config_extra +
                         "jobs:\n"
                         "  - job: pull_from_upstream\n"
                         "    trigger: release\n"
                         "    dist_git_branches: [rawhide]\n";
    std::map<std::string, std::string> files = {
        {"hello.spec", spec},
        {"sources", read_source_file("examples/hello-dist-git/sources")},
        {".packit.yaml", config}};
    forgejo.add_user("ferry-bot", k_pull_world_token);
    forgejo.add_repository("rpms", "hello", files, "rawhide");
    lookaside.add_package("hello");
    std::filesystem::create_directories(workspace);
    for (const auto& [name, content] : files) {
      dir.write("workspace/" + name, content);
    }
  }

  ferry::infra::process::ProcessResult run() {
    dir.write("event.json", R"({"schedule": "17 3 * * *"})");
    std::ofstream(dir / "summary.md", std::ios::app).flush();
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", (dir / "home").string()},
        {"FORGEJO_ACTIONS", "true"},
        {"GITHUB_ACTIONS", "true"},
        {"GITHUB_EVENT_NAME", "schedule"},
        {"GITHUB_EVENT_PATH", (dir / "event.json").string()},
        {"GITHUB_WORKSPACE", workspace.string()},
        {"GITHUB_REPOSITORY", "rpms/hello"},
        {"GITHUB_API_URL", forgejo.api_url()},
        {"GITHUB_OUTPUT", (dir / "output.txt").string()},
        {"GITHUB_STEP_SUMMARY", (dir / "summary.md").string()},
        {"INPUT_TOKEN", k_pull_world_token},
        {"FERRY_LOOKASIDE_URL", lookaside.download_base()},
        {"FERRY_BODHI_URL", ReleaseWorld::without_slash(bodhi->url(""))},
        {"FERRY_RELEASE_MONITORING_URL", ReleaseWorld::without_slash(monitoring->url(""))},
        {"FERRY_ARCHIVE_WAIT", "1"},
        {"RPM_PACKAGER", "Ferry Bot <ferry-bot@fedoraproject.org>"},
        {"SOURCE_DATE_EPOCH", "1763769600"},
    };
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
      if (const char* value = std::getenv(name); value != nullptr) {
        env[name] = value;
      }
    }
    auto runner = make_spawn_process_runner();
    ferry::infra::process::Command command;
    command.argv = {FERRY_BINARY, "run"};
    command.env = env;
    command.cwd = workspace;
    command.timeout = std::chrono::milliseconds(120'000);
    auto result = runner->run(command);
    return result ? *result
                  : ferry::infra::process::ProcessResult{-1, "", result.error().describe()};
  }

  std::string bot_file(const std::string& path) const {
    return forgejo.file_at("ferry-bot", "hello", "ferry/rawhide/pull-from-upstream", path);
  }
};

} // namespace ferry::testing
