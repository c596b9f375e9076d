// propose_downstream from the other forges, end to end with the real binary: a Forgejo release
// (Forgejo Actions) into a Forgejo dist-git, and a GitLab tag pipeline into Pagure dist-git.
#include "fakes/fake_gitlab.hpp"
#include "integration/release_world.hpp"

#include <catch2/catch.hpp>

using namespace ferry::testing;
using nlohmann::json;

namespace {

constexpr const char* k_dist_git_forgejo_token = "forgejo_DistGitCanaryToken000000000000002";
constexpr const char* k_gitlab_token = "glpat-UpstreamCanaryToken000000003";

} // namespace

TEST_CASE("a Forgejo release becomes pull requests on a Forgejo dist-git",
          "[integration][e2e][propose_downstream][forgejo]") {
  ReleaseWorld world("Faster greetings", FakeGitHub::Flavor::forgejo);
  FakeGitHub dist_git(FakeGitHub::Flavor::forgejo);
  dist_git.add_user("ferry-bot", k_dist_git_forgejo_token);
  dist_git.add_repository("rpms", "hello", world.dist_git_files(), "rawhide");
  dist_git.add_branch("rpms", "hello", "f41", "rawhide");

  auto payload =
      json::parse(read_source_file("tests/fixtures/events/forgejo/release_published.json"));
  payload["release"]["tag_name"] = ReleaseWorld::k_tag;
  payload["release"]["body"] = world.release_notes;
  payload["repository"]["full_name"] = "hello-org/hello";
  payload["repository"]["name"] = "hello";
  payload["repository"]["owner"]["login"] = "hello-org";
  auto env = world.ci_env("release", payload.dump());
  env["FORGEJO_ACTIONS"] = "true";
  env["INPUT_DIST_GIT_TOKEN"] = k_dist_git_forgejo_token;
  env["FERRY_DIST_GIT_URL"] =
      ReleaseWorld::without_slash(dist_git.api_url())
          .substr(0, ReleaseWorld::without_slash(dist_git.api_url()).size() -
                         std::string("/api/v1").size());
  env["FERRY_DIST_GIT_KIND"] = "forgejo";

  auto result = world.run_ferry(env);
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.lookaside.uploads() == 1);
  json pulls = dist_git.pulls("rpms", "hello");
  REQUIRE(pulls.size() == 2);
  std::set<std::string> bases;
  for (const json& pull : pulls) {
    bases.insert(pull["base"]["ref"].get<std::string>());
  }
  CHECK(bases == std::set<std::string>{"rawhide", "f41"});
  std::string spec =
      dist_git.file_at("ferry-bot", "hello", "ferry/f41/propose-downstream", "hello.spec");
  CHECK(spec.find("Version:        1.3.0\n") != std::string::npos);
  CHECK(spec.find("- Faster greetings\n") != std::string::npos);
  CHECK(world.github.statuses("hello-org", "hello").size() == 2);

  auto again = world.run_ferry(env);
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(dist_git.pulls("rpms", "hello").size() == 2);
  CHECK(world.lookaside.uploads() == 1);
}

TEST_CASE("a GitLab tag pipeline becomes pull requests on Pagure dist-git",
          "[integration][e2e][propose_downstream][gitlab]") {
  ReleaseWorld world;
  FakeGitLab gitlab;
  gitlab.add_user("ferry-bot", k_gitlab_token);
  gitlab.add_project("hello-org/hello", {{"hello.spec", "Name: hello\n"}});
  gitlab.add_release("hello-org/hello", ReleaseWorld::k_tag, "* Works on GitLab");

  auto env = world.ci_env("unused", "{}");
  for (const char* github_only :
       {"GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE",
        "GITHUB_API_URL", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_REPOSITORY",
        "GITHUB_SERVER_URL", "GITHUB_RUN_ID", "INPUT_TOKEN"}) {
    env.erase(github_only);
  }
  env["GITLAB_CI"] = "true";
  env["CI_PIPELINE_SOURCE"] = "push";
  env["CI_COMMIT_TAG"] = ReleaseWorld::k_tag;
  env["CI_COMMIT_SHA"] = world.upstream_commit();
  env["CI_PROJECT_PATH"] = "hello-org/hello";
  env["CI_PROJECT_URL"] = "https://gitlab.example/hello-org/hello";
  env["CI_PROJECT_DIR"] = world.upstream.string();
  env["CI_DEFAULT_BRANCH"] = "main";
  env["CI_API_V4_URL"] = gitlab.api_url();
  env["CI_JOB_URL"] = "https://gitlab.example/hello-org/hello/-/jobs/7";
  env["GITLAB_USER_LOGIN"] = "maintainer";
  env["FERRY_TOKEN"] = k_gitlab_token;

  auto result = world.run_ferry(env);
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.pagure.pull_requests("hello").size() == 2);
  CHECK(world.fork_file("rawhide", "hello.spec").find("- Works on GitLab\n") != std::string::npos);
  std::string dotenv = ReleaseWorld::read_file(world.upstream / "ferry.env");
  CHECK(dotenv.find("FERRY_RESULT=success\n") != std::string::npos);
  CHECK(dotenv.find("FERRY_PULL_REQUESTS=[\"") != std::string::npos);
  CHECK(dotenv.find(k_gitlab_token) == std::string::npos);
}
