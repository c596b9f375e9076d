// The world an upstream pull request is built and tested in, for end-to-end tests of the real
// `ferry` binary: the upstream forge (FakeGitHub) with pull request #7 from `alice`, Copr
// (FakeCopr) and Testing Farm (FakeTestingFarm) with states advancing on a timer, Bodhi's
// recorded releases for the target aliases, and the checkout of the default branch the CI job
// has in its workspace. ferry runs as a child process with the environment of a GitHub Actions
// step, its polls shortened to milliseconds.
#pragma once

#include "fakes/fake_copr.hpp"
#include "fakes/fake_github.hpp"
#include "fakes/fake_testing_farm.hpp"
#include "integration/release_world.hpp"
#include "support/http_test_server.hpp"
#include "support/spawn_process_runner.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>

namespace ferry::testing {

struct UpstreamWorld {
  static constexpr const char* k_upstream_token = "ghp_UpstreamCanaryToken00000000000000002";
  static constexpr const char* k_copr_login = "coprloginCANARY000000000000001";
  static constexpr const char* k_copr_token = "coprtokenCANARY0000000000000000000001";
  static constexpr const char* k_tf_key = "tfkeyCANARY00000000000000000000001";
  static constexpr long k_pr = 7;

  TempDir dir;
  FakeGitHub github;
  FakeCopr copr{std::chrono::milliseconds(40)};
  FakeTestingFarm testing_farm{std::chrono::milliseconds(30)};
  std::unique_ptr<HttpTestServer> bodhi;
  std::filesystem::path upstream = dir / "workspace";
  std::string head; // the pull request's head commit
  long next_comment_id = 9001;

  explicit UpstreamWorld(const std::string& jobs = default_jobs()) {
    std::string releases = read_source_file("tests/fixtures/bodhi/releases.json");
    bodhi = std::make_unique<HttpTestServer>([releases](const TestRequest& request) {
      if (request.path != "/releases/") {
        return TestResponse{404, {}, "{}"};
      }
      return TestResponse{200, {{"Content-Type", "application/json"}}, releases};
    });
    std::map<std::string, std::string> files;
    for (const char* file : {"hello.spec", "hello.c", "Makefile", "README.md", "LICENSE"}) {
      files[file] = read_source_file(std::string("examples/hello/") + file);
    }
    files[".packit.yaml"] = packit_yaml(jobs);
    std::filesystem::create_directories(upstream);
    for (const auto& [name, content] : files) {
      dir.write("workspace/" + name, content);
    }
    run_git(upstream, {"init", "-q", "-b", "main"});
    run_git(upstream, {"add", "-A"});
    run_git(upstream, {"-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "Init"});

    github.add_user("ferry-bot", k_upstream_token);
    github.add_repository("hello-org", "hello", files);
    head = github.add_pull_request("hello-org", "hello", k_pr, "alice", "greet-more",
                                   {{"hello.c", files["hello.c"] + "/* more greetings */\n"}});
    github.set_permission("hello-org", "hello", "alice", "write");
    github.set_permission("hello-org", "hello", "mallory", "read");
    copr.add_user(k_copr_login, k_copr_token, "ferry-bot");
    testing_farm.add_api_key(k_tf_key, "ferry-bot");
  }

  static std::string default_jobs() {
    return "  - job: copr_build\n"
           "    trigger: pull_request\n"
           "    targets: [fedora-stable]\n"
           "  - job: tests\n"
           "    trigger: pull_request\n"
           "    targets: [fedora-stable]\n";
  }

  static std::string packit_yaml(const std::string& jobs) {
    return "specfile_path: hello.spec\n"
           "upstream_package_name: hello\n"
           "downstream_package_name: hello\n"
           "jobs:\n" +
           jobs;
  }

  static std::string now_iso() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
  }

  // A GitHub `issue_comment: created` payload for a new comment on the pull request.
  std::string comment_payload(const std::string& body, const std::string& user = "alice") {
    auto payload = nlohmann::json::parse(
        read_source_file("tests/fixtures/events/github/issue_comment_on_pr.json"));
    payload["issue"]["number"] = k_pr;
    payload["issue"]["pull_request"]["url"] =
        "https://api.github.com/repos/hello-org/hello/pulls/" + std::to_string(k_pr);
    payload["comment"]["id"] = next_comment_id++;
    payload["comment"]["body"] = body;
    payload["comment"]["user"]["login"] = user;
    payload["comment"]["created_at"] = now_iso();
    payload["sender"]["login"] = user;
    payload["repository"]["full_name"] = "hello-org/hello";
    payload["repository"]["name"] = "hello";
    payload["repository"]["owner"] = {{"login", "hello-org"}};
    payload["repository"]["html_url"] = "https://github.com/hello-org/hello";
    payload["repository"]["clone_url"] = github.clone_url("hello-org", "hello");
    return payload.dump(2);
  }

  // A GitHub `pull_request: opened` payload for the pull request.
  std::string pull_request_payload() const {
    auto payload = nlohmann::json::parse(
        read_source_file("tests/fixtures/events/github/pull_request_opened.json"));
    payload["number"] = k_pr;
    payload["pull_request"]["number"] = k_pr;
    payload["pull_request"]["head"]["ref"] = "greet-more";
    payload["pull_request"]["head"]["sha"] = head;
    payload["pull_request"]["user"]["login"] = "alice";
    payload["sender"]["login"] = "alice";
    payload["repository"]["full_name"] = "hello-org/hello";
    payload["repository"]["html_url"] = "https://github.com/hello-org/hello";
    payload["repository"]["clone_url"] = github.clone_url("hello-org", "hello");
    return payload.dump(2);
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
        {"GITHUB_SHA", run_git(upstream, {"rev-parse", "HEAD"}).substr(0, 40)},
        {"GITHUB_SERVER_URL", "https://github.com"},
        {"GITHUB_RUN_ID", "4343"},
        {"GITHUB_API_URL", ReleaseWorld::without_slash(github.api_url())},
        {"GITHUB_OUTPUT", (dir / "output.txt").string()},
        {"GITHUB_STEP_SUMMARY", (dir / "summary.md").string()},
        {"INPUT_TOKEN", k_upstream_token},
        {"INPUT_COPR_LOGIN", k_copr_login},
        {"INPUT_COPR_TOKEN", k_copr_token},
        {"INPUT_COPR_USERNAME", "ferry-bot"},
        {"INPUT_TESTING_FARM_TOKEN", k_tf_key},
        {"FERRY_COPR_URL", copr.url()},
        {"FERRY_TESTING_FARM_URL", testing_farm.url()},
        {"FERRY_BODHI_URL", ReleaseWorld::without_slash(bodhi->url(""))},
        {"FERRY_POLL_INTERVAL", "0.02"},
    };
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

  infra::process::ProcessResult comment(const std::string& body,
                                        const std::string& user = "alice") {
    return run_ferry(ci_env("issue_comment", comment_payload(body, user)));
  }

  // The newest check run of each name on the pull request's head.
  std::map<std::string, nlohmann::json> checks() const {
    std::map<std::string, nlohmann::json> latest;
    for (const nlohmann::json& run : github.check_runs("hello-org", "hello")) {
      if (run["head_sha"] == head) {
        latest[run["name"].get<std::string>()] = run;
      }
    }
    return latest;
  }

  std::string outputs() const { return ReleaseWorld::read_file(dir / "output.txt"); }
  std::string summary() const { return ReleaseWorld::read_file(dir / "summary.md"); }
};

} // namespace ferry::testing
