// Hostile documents (issue 13, findings 7, 8 and 11): JSON and YAML nested deep enough to
// exhaust the stack, nulls where an API answer has a value, and list answers that are not the
// documented list. Each case runs the real binary and checks its exit code, its message and
// what it did (or did not do) to the fakes.
#include "integration/pull_world.hpp"
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace ferry::testing {
namespace {

constexpr int k_deep = 100'000; // the finding's event: 100 000 nested objects (600 KB)

std::string nested_objects(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) {
    text += R"({"a":)";
  }
  return text + "1" + std::string(static_cast<std::size_t>(depth), '}');
}

// Deep arrays in a GitLab note payload, small enough for one environment variable (128 KiB).
std::string nested_note_payload(int depth) {
  return R"({"object_kind":"note","x":)" + std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']') + "}";
}

std::map<std::string, std::string> gitlab_env(ReleaseWorld& world, const std::string& payload) {
  std::map<std::string, std::string> env = world.ci_env("release", "{}");
  env.erase("GITHUB_ACTIONS");
  env.erase("GITHUB_EVENT_NAME");
  env.erase("GITHUB_EVENT_PATH");
  env["GITLAB_CI"] = "true";
  env["CI_PIPELINE_SOURCE"] = "trigger";
  env["CI_PROJECT_PATH"] = "hello-org/hello";
  env["CI_PROJECT_DIR"] = world.upstream.string();
  env["TRIGGER_PAYLOAD"] = payload;
  return env;
}

void check_refused_as_too_deep(const infra::process::ProcessResult& result,
                               const std::string& source) {
  INFO(describe(result).substr(0, 4000));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("nests JSON more than 128 levels deep") != std::string::npos);
  CHECK(result.err.find(source) != std::string::npos);
  CHECK(result.err.find("internal error") == std::string::npos);
}

} // namespace

TEST_CASE("a deeply nested event is refused with exit 2, never a crash", "[security][documents]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  std::string payload = nested_objects(k_deep);
  for (const char* command : {"plan", "run"}) {
    DYNAMIC_SECTION("GitHub event file, ferry " << command) {
      auto env = world.ci_env("release", payload);
      check_refused_as_too_deep(world.run_ferry(env, {command}), "event-release.json");
      CHECK(world.pagure.pull_requests("hello").empty());
    }
    DYNAMIC_SECTION("GitLab TRIGGER_PAYLOAD file, ferry " << command) {
      std::string file = world.dir.write("trigger-payload.json", payload).string();
      check_refused_as_too_deep(world.run_ferry(gitlab_env(world, file), {command}),
                                "trigger-payload.json");
    }
    DYNAMIC_SECTION("GitLab TRIGGER_PAYLOAD inline, ferry " << command) {
      auto result = world.run_ferry(gitlab_env(world, nested_note_payload(60'000)), {command});
      check_refused_as_too_deep(result, "TRIGGER_PAYLOAD");
    }
  }
}

TEST_CASE("an event nested just within the limit is still read", "[security][documents]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  nlohmann::json payload = nlohmann::json::parse(world.release_payload());
  nlohmann::json extra = 1;
  for (int i = 0; i < 120; ++i) {
    extra = nlohmann::json::array({extra});
  }
  payload["release"]["extra"] = extra;
  auto result = world.run_ferry(
      world.ci_env("release", payload.dump()),
      {"plan", "--releases-file",
       (std::filesystem::path(FERRY_SOURCE_DIR) / "tests/fixtures/bodhi/releases.json").string()});
  INFO(describe(result));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("propose_downstream") != std::string::npos);
}

TEST_CASE("a deeply nested .packit.yaml is refused with exit 2 and a clear message",
          "[security][documents]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  auto check_refused = [&world](const std::string& deep) {
    std::string config = world.packit_yaml();
    config.insert(config.find("jobs:\n"), "notes: " + deep + "\n");
    world.set_config(config);
    auto result = world.run_release();
    INFO(describe(result).substr(0, 4000));
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(".packit.yaml") != std::string::npos);
    CHECK(result.err.find("nested more than 64 levels deep") != std::string::npos);
    CHECK(world.pagure.pull_requests("hello").empty());
  };
  SECTION("flow sequences") {
    check_refused(std::string(k_deep, '[') + std::string(k_deep, ']'));
  }
  SECTION("flow mappings") {
    std::string deep;
    for (int i = 0; i < k_deep; ++i) {
      deep += "{a: ";
    }
    check_refused(deep + "1" + std::string(k_deep, '}'));
  }
  SECTION("block mappings") {
    std::string deep;
    for (int i = 0; i < 1000; ++i) {
      deep += "\n" + std::string(static_cast<std::size_t>(i) + 1, ' ') + "a:";
    }
    check_refused(deep + " 1");
  }
}

TEST_CASE("a null in release-monitoring's answer is a clear job failure, not an internal error",
          "[security][documents]") {
  PullWorld world("");
  world.versions_answer = R"({"latest_version": null, "versions": null,
                              "stable_versions": [null]})";
  auto result = world.run();
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("internal error") == std::string::npos);
  CHECK(result.err.find("release-monitoring.org knows no version") != std::string::npos);
  std::string summary = ReleaseWorld::read_file(world.dir / "summary.md");
  CHECK(summary.find("pull_from_upstream") != std::string::npos);
  CHECK(world.forgejo.pulls("rpms", "hello").empty());
}

TEST_CASE("a PR list that is not a PR list never leads to a second pull request",
          "[security][documents]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  auto first = world.run_release();
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  REQUIRE(world.pagure.pull_requests("hello").size() == 1);

  for (const char* body : {"<html>maintenance</html>", "{}", R"({"requests":"x"})", "[]",
                           R"({"requests":[1,2]})", ""}) {
    DYNAMIC_SECTION("the list answers 200 with '" << body << "'") {
      world.pagure.inject("GET /api/0/rpms/hello/pull-requests",
                          TestResponse{200, {{"Content-Type", "application/json"}}, body}, 50);
      auto again = world.run_release();
      INFO(describe(again));
      CHECK(again.exit_code == 1);
      CHECK(again.err.find("could not tell whether a pull request exists") != std::string::npos);
      CHECK(again.err.find("/pull-requests") != std::string::npos);
      CHECK(world.pagure.pull_requests("hello").size() == 1);
      CHECK(again.err.find("internal error") == std::string::npos);
    }
  }
}

} // namespace ferry::testing
