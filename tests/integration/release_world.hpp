// The world an upstream release travels through, for end-to-end tests of the real `ferry`
// binary: an upstream forge (FakeGitHub, GitHub or Forgejo flavour) with the release, a
// dist-git forge with the package on two branches (FakePagure here; the real Pagure in
// tests/peers/peer_world.hpp), the lookaside (upload.cgi),
// Bodhi's releases, a server publishing the release archive (404 until told otherwise), and
// the upstream checkout the CI job has in its workspace. ferry runs as a child process with
// exactly the environment a CI step gets.
#pragma once

#include "fakes/fake_github.hpp"
#include "fakes/fake_lookaside.hpp"
#include "fakes/fake_pagure.hpp"
#include "support/git_http_server.hpp"
#include "support/http_test_server.hpp"
#include "support/spawn_process_runner.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace ferry::testing {

// A child's result for test failure messages.
inline std::string describe(const infra::process::ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

inline std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::filesystem::path(FERRY_SOURCE_DIR) / relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The upstream half of the world: everything but dist-git and the lookaside, which the
// worlds below put behind `dist_git_env` (ferry's fakes here, the real servers in tests/peers).
struct UpstreamRelease {
  static constexpr const char* k_upstream_token = "ghp_UpstreamCanaryToken00000000000000001";
  static constexpr const char* k_version = "1.3.0";
  static constexpr const char* k_tag = "v1.3.0";

  TempDir dir;
  FakeGitHub github;
  std::string version = k_version; // the release being published (publish_release())
  std::string tag = k_tag;
  std::string archive;                 // the bytes of hello-<version>.tar.gz
  std::atomic<int> archive_missing{0}; // answer 404 this many more times
  std::atomic<int> archive_requests{0};
  std::unique_ptr<HttpTestServer> archive_server;
  std::unique_ptr<HttpTestServer> bodhi;
  std::filesystem::path upstream = dir / "workspace";
  std::string release_notes;
  std::vector<std::string> branches{"rawhide", "f41"};
  // FERRY_DIST_GIT_URL, FERRY_LOOKASIDE_URL, INPUT_DIST_GIT_TOKEN, INPUT_FAS_USER, ...
  std::map<std::string, std::string> dist_git_env;

  explicit UpstreamRelease(std::string notes = "* Greets in more languages",
                           FakeGitHub::Flavor flavor = FakeGitHub::Flavor::github)
      : github(flavor), release_notes(std::move(notes)) {
    archive_server = std::make_unique<HttpTestServer>([this](const TestRequest& request) {
      ++archive_requests;
      if (request.path != "/archive/" + archive_name() || archive_missing.fetch_sub(1) > 0) {
        return TestResponse{404, {}, "Not Found"};
      }
      return TestResponse{200, {{"Content-Type", "application/gzip"}}, archive};
    });
    std::string releases = read_source_file("tests/fixtures/bodhi/releases.json");
    bodhi = std::make_unique<HttpTestServer>([releases](const TestRequest& request) {
      if (request.path != "/releases/") {
        return TestResponse{404, {}, "{}"};
      }
      return TestResponse{200, {{"Content-Type", "application/json"}}, releases};
    });
    make_upstream_checkout();
    github.add_user("ferry-bot", k_upstream_token);
    github.add_repository("hello-org", "hello",
                          {{"hello.spec", read_file(upstream / "hello.spec")}});
    github.add_release("hello-org", "hello", k_tag, release_notes);
  }

  static std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::map<std::string, std::string> dist_git_files() const {
    return {{"hello.spec", read_source_file("examples/hello-dist-git/hello.spec")},
            {"sources", read_source_file("examples/hello-dist-git/sources")}};
  }

  std::string packit_yaml() const {
    std::string branch_list;
    for (const std::string& branch : branches) {
      branch_list += "      - " + branch + "\n";
    }
    return "specfile_path: hello.spec\n"
           "upstream_package_name: hello\n"
           "downstream_package_name: hello\n"
           "upstream_tag_template: v{version}\n"
           "copy_upstream_release_description: true\n"
           "sources:\n"
           "  - path: " +
           archive_name() +
           "\n"
           "    url: " +
           archive_server->url("/archive/" + archive_name()) +
           "\n"
           "jobs:\n"
           "  - job: propose_downstream\n"
           "    trigger: release\n"
           "    dist_git_branches:\n" +
           branch_list;
  }

  // The upstream project at its release tag, as actions/checkout leaves it.
  void make_upstream_checkout() {
    std::filesystem::create_directories(upstream);
    for (const char* file : {"hello.spec", "hello.c", "Makefile", "README.md", "LICENSE"}) {
      dir.write(std::string("workspace/") + file,
                read_source_file(std::string("examples/hello/") + file));
    }
    dir.write("workspace/.packit.yaml", packit_yaml());
    run_git(upstream, {"init", "-q", "-b", "main"});
    run_git(upstream, {"add", "-A"});
    run_git(upstream, {"commit", "-q", "-m", "Release " + version});
    tag_and_archive();
  }

  std::string archive_name() const { return "hello-" + version + ".tar.gz"; }

  void tag_and_archive() {
    run_git(upstream, {"tag", tag});
    run_git(upstream, {"archive", "--prefix=hello-" + version + "/", "-o",
                       (dir / archive_name()).string(), "HEAD"});
    archive = read_file(dir / archive_name());
  }

  // A newer upstream release: the spec's Version, a commit, its tag and archive, and the
  // release on the upstream forge. Call it between runs of ferry.
  void publish_release(const std::string& new_version, const std::string& notes) {
    std::string spec = read_file(upstream / "hello.spec");
    std::string old_line = "Version:        " + version + "\n";
    if (auto at = spec.find(old_line); at != std::string::npos) {
      spec.replace(at, old_line.size(), "Version:        " + new_version + "\n");
    }
    version = new_version;
    tag = "v" + new_version;
    release_notes = notes;
    dir.write("workspace/hello.spec", spec);
    dir.write("workspace/.packit.yaml", packit_yaml());
    run_git(upstream, {"commit", "-q", "-am", "Release " + version});
    tag_and_archive();
    github.add_release("hello-org", "hello", tag, release_notes);
  }

  // Replaces the upstream .packit.yaml and moves the release tag onto that commit.
  void set_config(const std::string& config) {
    dir.write("workspace/.packit.yaml", config);
    run_git(upstream, {"commit", "-q", "-am", "config for this test"});
    run_git(upstream, {"tag", "-f", tag});
  }

  // Only these dist-git branches in the config.
  void use_branches(std::vector<std::string> names) {
    branches = std::move(names);
    set_config(packit_yaml());
  }

  std::string upstream_commit() const { return run_git(upstream, {"rev-parse", "HEAD"}); }

  // The GitHub `release: published` payload for the tag, from the recorded fixture.
  std::string release_payload() const {
    auto payload = nlohmann::json::parse(
        read_source_file("tests/fixtures/events/github/release_published.json"));
    payload["release"]["tag_name"] = tag;
    payload["release"]["name"] = version;
    payload["release"]["body"] = release_notes;
    payload["repository"]["full_name"] = "hello-org/hello";
    payload["repository"]["name"] = "hello";
    payload["repository"]["owner"]["login"] = "hello-org";
    payload["repository"]["html_url"] = "https://github.example/hello-org/hello";
    payload["repository"]["clone_url"] = "https://github.example/hello-org/hello.git";
    return payload.dump(2);
  }

  static std::string without_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
      url.pop_back();
    }
    return url;
  }

  // The environment of a GitHub Actions step running `ferry run` for `event_name`.
  std::map<std::string, std::string> ci_env(const std::string& event_name,
                                            const std::string& payload) {
    std::string event_file = (dir / ("event-" + event_name + ".json")).string();
    dir.write("event-" + event_name + ".json", payload);
    std::ofstream(dir / "output.txt", std::ios::app).flush();
    std::ofstream(dir / "summary.md", std::ios::app).flush();
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", (dir / "home").string()},
        {"GITHUB_ACTIONS", "true"},
        {"GITHUB_EVENT_NAME", event_name},
        {"GITHUB_EVENT_PATH", event_file},
        {"GITHUB_WORKSPACE", upstream.string()},
        {"GITHUB_REPOSITORY", "hello-org/hello"},
        {"GITHUB_SERVER_URL", "https://github.example"},
        {"GITHUB_RUN_ID", "4242"},
        {"GITHUB_API_URL", without_slash(github.api_url())},
        {"GITHUB_OUTPUT", (dir / "output.txt").string()},
        {"GITHUB_STEP_SUMMARY", (dir / "summary.md").string()},
        {"INPUT_TOKEN", k_upstream_token},
        {"FERRY_DIST_GIT_KIND", "pagure"},
        {"FERRY_BODHI_URL", without_slash(bodhi->url(""))},
        {"FERRY_ARCHIVE_WAIT", "1,1,1"},
        {"RPM_PACKAGER", "Ferry Bot <ferry-bot@fedoraproject.org>"},
        {"SOURCE_DATE_EPOCH", "1763769600"},
    };
    for (const auto& [name, value] : dist_git_env) {
      env[name] = value;
    }
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
      if (const char* value = std::getenv(name); value != nullptr) {
        env[name] = value;
      }
    }
    return env;
  }

  infra::process::ProcessResult run_ferry(std::map<std::string, std::string> env,
                                          std::vector<std::string> args = {"run"}) {
    auto runner = make_spawn_process_runner();
    infra::process::Command command;
    command.argv = {FERRY_BINARY};
    command.argv.insert(command.argv.end(), args.begin(), args.end());
    command.env = std::move(env);
    command.cwd = upstream;
    command.timeout = std::chrono::milliseconds(120'000);
    auto result = runner->run(command);
    if (!result) {
      return infra::process::ProcessResult{-1, "", result.error().describe()};
    }
    return *result;
  }

  infra::process::ProcessResult run_release() {
    return run_ferry(ci_env("release", release_payload()));
  }
};

// The world with ferry's fakes for dist-git (FakePagure) and the lookaside (FakeLookaside).
struct ReleaseWorld : UpstreamRelease {
  static constexpr const char* k_dist_git_token = "PAGURECANARYTOKEN0000000000000000000000000001";

  FakePagure pagure;
  FakeLookaside lookaside;

  explicit ReleaseWorld(std::string notes = "* Greets in more languages",
                        FakeGitHub::Flavor flavor = FakeGitHub::Flavor::github)
      : UpstreamRelease(std::move(notes), flavor) {
    pagure.add_user("ferry-bot", k_dist_git_token);
    pagure.add_package("hello", dist_git_files(), "rawhide");
    pagure.add_branch("hello", "f41", "rawhide");
    lookaside.add_package("hello");
    dist_git_env = {{"INPUT_DIST_GIT_TOKEN", k_dist_git_token},
                    {"INPUT_FAS_USER", "ferry-bot"},
                    {"FERRY_DIST_GIT_URL", without_slash(pagure.base_url())},
                    {"FERRY_LOOKASIDE_URL", lookaside.download_base()}};
  }

  std::string fork_file(const std::string& branch, const std::string& path) const {
    return pagure.file_at("forks/ferry-bot/rpms/hello", "ferry/" + branch + "/propose-downstream",
                          path);
  }
};

} // namespace ferry::testing
