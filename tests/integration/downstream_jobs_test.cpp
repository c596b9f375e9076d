// koji_build and bodhi_update end to end: the real `ferry` binary as the dist-git repository's
// Forgejo Actions step on a push, against Forgejo, a real KDC, the Koji hub, the identity
// provider and Bodhi. A merged pull request: built in Koji once, polled to completion, the NVR
// in the outputs, one Bodhi update for the non-Rawhide branch; again: nothing new. A pull
// request by someone not allowed, or a direct push: skipped with a reason code. A side-tag
// group of two packages: one update from the side tag. Transient errors retried, auth errors
// failing fast and clearly, no secret in any output; the `ferry koji-build` / `ferry
// bodhi-update` commands doing the same from a checkout.
#include "integration/downstream_world.hpp"
#include "support/mask_commands.hpp"
#include "support/skip.hpp"
#include "support/test_hooks.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <sstream>

using namespace ferry::testing;
using nlohmann::json;

namespace {

const char* const k_hello_config = R"(downstream_package_name: hello
jobs:
  - job: koji_build
    trigger: commit
    dist_git_branches: [rawhide, f41]
  - job: bodhi_update
    trigger: commit
    dist_git_branches: [rawhide, f41]
    bodhi_extra_params:
      stable_karma: 2
      autokarma: false
)";

const char* const k_scm_prefix = "git+https://src.fedoraproject.org/rpms/";

std::string describe(const ferry::infra::process::ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

// No token, keytab, session key, OIDC code or token, cookie or CSRF token in what CI shows.
void check_no_secrets(DownstreamWorld& world, const ferry::infra::process::ProcessResult& run) {
  std::vector<std::string> secrets{DownstreamWorld::k_token, world.keytab_base64};
  for (const auto& call : world.koji->calls()) {
    if (call.session_key) {
      secrets.push_back(*call.session_key);
    }
  }
  for (const std::string& secret : world.provider->secrets_issued()) {
    secrets.push_back(secret);
  }
  for (const std::string& secret : world.bodhi->secrets_issued()) {
    secrets.push_back(secret);
  }
  std::string shown = run.out + without_mask_commands(run.err) +
                      DownstreamWorld::read_file(world.dir / "output.txt") +
                      DownstreamWorld::read_file(world.dir / "summary.md");
  for (const std::string& secret : secrets) {
    INFO("secret " << secret.substr(0, 6) << "…");
    CHECK(shown.find(secret) == std::string::npos);
  }
}

json build_task(const DownstreamWorld& world) {
  json tasks = world.koji->tasks();
  REQUIRE(tasks.size() == 1);
  return tasks.begin().value();
}

} // namespace

TEST_CASE("a merged dist-git pull request is built once and shipped in one update, a re-run "
          "adds nothing",
          "[integration][e2e][downstream][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user,
                                               "- Fixes rhbz#2301234");
  world.koji->script_build("hello", "1.3.0", "1.fc41");
  auto env = world.push_env("hello", "f41", commit);

  auto first = world.run_ferry(env);
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);

  // Koji: logged in by GSSAPI with the keytab alone, one build of the pushed commit, watched.
  CHECK(world.koji_calls("sslLogin") >= 1);
  CHECK(world.koji->build_tasks_created() == 1);
  json task = build_task(world);
  CHECK(task["request"][0] == k_scm_prefix + std::string("hello.git#") + commit);
  CHECK(task["request"][1] == "f41-candidate");
  CHECK(task["request"][2]["scratch"] == false);
  CHECK(task["state"] == 2);
  CHECK(world.koji_calls("getTaskInfo") >= 2);
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc41"}));

  // Bodhi: one update, logged in through the IdP with the same Kerberos identity.
  json updates = world.bodhi->updates();
  REQUIRE(updates.size() == 1);
  const json& update = updates[0];
  CHECK(update["builds"][0]["nvr"] == "hello-1.3.0-1.fc41");
  CHECK(update["release"]["name"] == "F41");
  CHECK(update["user"]["name"] == DownstreamWorld::k_user);
  CHECK(update["type"] == "enhancement");
  CHECK(update["stable_karma"] == 2);
  CHECK(update["autokarma"] == false);
  std::string notes = update["notes"];
  CHECK(notes.starts_with("Automatic update for hello-1.3.0-1.fc41.\n\n##### **Changelog for "
                          "hello**\n\n```\n* Sat Nov 22 2025 Ferry Bot"));
  CHECK(notes.find("- Fixes rhbz#2301234") != std::string::npos);
  CHECK(notes.find("Update to 1.2.0") == std::string::npos); // the stable build's entry
  CHECK(update["bugs"][0]["bug_id"] == 2301234);
  CHECK(world.provider->codes_issued() == 1);
  CHECK(world.last_output("updates") == json::array({update["url"]}));
  CHECK(world.last_output("result") == "success");
  std::string summary = DownstreamWorld::read_file(world.dir / "summary.md");
  CHECK(summary.find("| `f41` | success (built) | hello-1.3.0-1.fc41 built in f41-candidate") !=
        std::string::npos);
  CHECK(summary.find("| `f41` | success (update_created) |") != std::string::npos);
  check_no_secrets(world, first);

  auto again = world.run_ferry(env);
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 1);
  CHECK(world.bodhi->update_posts() == 1);
  CHECK(world.bodhi->updates().size() == 1);
  json skipped = world.last_output("skipped");
  CHECK(skipped["koji_build:f41"] == "already_built");
  CHECK(skipped["bodhi_update:f41"] == "update_exists");
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc41"}));
  CHECK(world.last_output("updates") == json::array({update["url"]}));
  check_no_secrets(world, again);
}

TEST_CASE("on Rawhide the build is made and Bodhi is left to make the update",
          "[integration][e2e][downstream][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit =
      world.merge_spec_change("hello", "rawhide", "1.3.0", DownstreamWorld::k_user);
  world.koji->script_build("hello", "1.3.0", "1.fc43");
  auto result = world.run_ferry(world.push_env("hello", "rawhide", commit));
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(build_task(world)["request"][1] == "rawhide");
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc43"}));
  CHECK(world.bodhi->update_posts() == 0);
  CHECK(world.last_output("skipped")["bodhi_update:rawhide"] == "automatic_updates");
  CHECK(world.provider->codes_issued() == 0); // no Bodhi login for nothing
}

TEST_CASE("pushes that Packit's allow lists do not cover are skipped with a reason code",
          "[integration][e2e][downstream][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);

  SECTION("a pull request by someone else (allowed_pr_authors defaults to this runner)") {
    std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", "mallory");
    auto result = world.run_ferry(world.push_env("hello", "f41", commit, DownstreamWorld::k_user));
    INFO(describe(result));
    REQUIRE(result.exit_code == 0);
    CHECK(world.last_output("skipped")["koji_build:f41"] == "pr_author_not_allowed");
    CHECK(world.last_output("result") == "skipped");
    std::string summary = DownstreamWorld::read_file(world.dir / "summary.md");
    CHECK(summary.find("opened by mallory, who is not in allowed_pr_authors (packit;") !=
          std::string::npos);
  }
  SECTION("a direct push (allowed_committers defaults to nobody)") {
    std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", "");
    auto result = world.run_ferry(world.push_env("hello", "f41", commit, "mallory"));
    INFO(describe(result));
    REQUIRE(result.exit_code == 0);
    CHECK(world.last_output("skipped")["koji_build:f41"] == "committer_not_allowed");
  }
  CHECK(world.koji->build_tasks_created() == 0);
  CHECK(world.koji_calls("build") == 0);
  // bodhi_update found no build of the commit
  CHECK(world.last_output("skipped")["bodhi_update:f41"] == "no_build");
  CHECK(world.bodhi->update_posts() == 0);
}

TEST_CASE("a side-tag group of two packages ends in one Bodhi update from the side tag",
          "[integration][e2e][downstream][sidetag][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("world", R"(downstream_package_name: world
jobs:
  - job: koji_build
    trigger: commit
    sidetag_group: hello-stack
    dependents: [hello]
    dist_git_branches: [f41]
)");
  world.add_package("hello", R"(downstream_package_name: hello
jobs:
  - job: koji_build
    trigger: commit
    sidetag_group: hello-stack
    dependencies: [world]
    dist_git_branches: [f41]
  - job: bodhi_update
    trigger: koji_build
    sidetag_group: hello-stack
    dependencies: [world]
    dist_git_branches: [f41]
)");
  std::string hello_commit =
      world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  std::string world_commit =
      world.merge_spec_change("world", "f41", "2.0.0", DownstreamWorld::k_user);

  // hello first: its dependency is not in a side tag yet.
  auto early = world.run_ferry(world.push_env("hello", "f41", hello_commit));
  INFO(describe(early));
  REQUIRE(early.exit_code == 0);
  CHECK(world.last_output("skipped")["koji_build:f41"] == "dependencies_missing");
  CHECK(world.koji->build_tasks_created() == 0);

  world.koji->script_build("world", "2.0.0", "1.fc41");
  auto first = world.run_ferry(world.push_env("world", "f41", world_commit));
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  REQUIRE(world.koji->build_tasks_created() == 1);
  std::string side_tag = build_task(world)["request"][1];
  CHECK(side_tag.starts_with("f41-build-side-"));
  CHECK(world.koji->latest_in(side_tag) == std::vector<std::string>{"world-2.0.0-1.fc41"});

  world.koji->script_build("hello", "1.3.0", "1.fc41");
  auto second = world.run_ferry(world.push_env("hello", "f41", hello_commit));
  INFO(describe(second));
  REQUIRE(second.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 2);
  json tasks = world.koji->tasks();
  for (const auto& [id, task] : tasks.items()) {
    CHECK(task["request"][1] == side_tag); // both packages in the one side tag
  }
  CHECK(world.koji_calls("createSideTag") == 1);
  json updates = world.bodhi->updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0]["from_tag"] == side_tag);
  std::set<std::string> nvrs;
  for (const json& build : updates[0]["builds"]) {
    nvrs.insert(build["nvr"].get<std::string>());
  }
  CHECK(nvrs == std::set<std::string>{"world-2.0.0-1.fc41", "hello-1.3.0-1.fc41"});

  auto again = world.run_ferry(world.push_env("hello", "f41", hello_commit));
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 2);
  CHECK(world.bodhi->updates().size() == 1);
  CHECK(world.last_output("skipped")["bodhi_update:f41"] == "update_unchanged");
}

TEST_CASE("transient server errors are retried: still one build and one update",
          "[integration][e2e][downstream][faults][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  world.koji->script_build("hello", "1.3.0", "1.fc41");
  TestResponse unavailable{503, {{"Content-Type", "text/html"}}, "Service Unavailable"};
  world.koji->inject("POST /kojihub/build", unavailable, 2);
  world.koji->inject("POST /kojihub/getTaskInfo", unavailable, 2);
  world.koji->inject("POST /kojihub/build", TestResponse{502, {}, "Bad Gateway"}, 1, true);
  world.bodhi->inject("POST /updates/", unavailable, 1);
  auto result = world.run_ferry(world.push_env("hello", "f41", commit));
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 1);
  CHECK(world.bodhi->updates().size() == 1);
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc41"}));
}

TEST_CASE("an account Koji does not know fails fast, saying which credentials were refused",
          "[integration][e2e][downstream][faults][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why, false)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  auto result = world.run_ferry(world.push_env("hello", "f41", commit));
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  CHECK(world.koji_calls("sslLogin") == 1); // not retried
  CHECK(world.koji->build_tasks_created() == 0);
  CHECK(world.last_output("result") == "failure");
  std::string summary = DownstreamWorld::read_file(world.dir / "summary.md");
  CHECK(summary.find("| `f41` | failed (auth_failed) | Koji refused the login") !=
        std::string::npos);
  CHECK(summary.find("the Kerberos keytab of alice@FERRY.TEST") != std::string::npos);
  CHECK(summary.find("Unknown user: alice@FERRY.TEST") != std::string::npos);
  check_no_secrets(world, result);
}

TEST_CASE("a failed Koji build is reported once in issue_repository",
          "[integration][e2e][downstream][faults][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why, false)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", std::string("issue_repository: https://forgejo.example/rpms/hello\n") +
                                 k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  auto env = world.push_env("hello", "f41", commit);
  auto result = world.run_ferry(env);
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  auto koji_issues = [&world] {
    std::vector<nlohmann::json> found;
    for (const nlohmann::json& issue : world.forgejo.issues("rpms", "hello")) {
      if (issue["title"] == "[ferry] Fedora Koji build failed to be triggered") {
        found.push_back(issue);
      }
    }
    return found;
  };
  REQUIRE(koji_issues().size() == 1);
  std::string body = koji_issues()[0]["body"].get<std::string>();
  CHECK(body.find("| `f41` | Koji refused the login") != std::string::npos);
  CHECK(body.find("`/ferry koji-build`") != std::string::npos);
  std::size_t issues = world.forgejo.issues("rpms", "hello").size();

  auto again = world.run_ferry(env);
  CHECK(again.exit_code == 1);
  CHECK(koji_issues().size() == 1);
  CHECK(world.forgejo.issues("rpms", "hello").size() == issues); // nothing opened twice
  check_no_secrets(world, again);
}

TEST_CASE("an issue_repository on another forge without its token is named in a warning",
          "[integration][e2e][downstream][faults][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why, false)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", std::string("issue_repository: https://github.com/hello-org/hello\n") +
                                 k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  auto result = world.run_ferry(world.push_env("hello", "f41", commit));
  INFO(describe(result));
  CHECK(result.exit_code == 1); // the build's failure, not the report's
  CHECK(result.err.find("issue_repository https://github.com/hello-org/hello is on another forge "
                        "than this run: set issue_repository_token") != std::string::npos);
  CHECK(world.forgejo.issues("rpms", "hello").empty());
}

TEST_CASE("a run stopped right after submitting the build is finished without a second build",
          "[integration][e2e][downstream][crash][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  world.koji->script_build("hello", "1.3.0", "1.fc41");
  auto env = world.push_env("hello", "f41", commit);
  auto crash_env = crashing_after(env, "submit_build");
  auto crashed = world.run_ferry(crash_env);
  INFO(describe(crashed));
  REQUIRE(crashed.exit_code == 70);
  CHECK(world.koji->build_tasks_created() == 1);

  auto resumed = world.run_ferry(env);
  INFO(describe(resumed));
  REQUIRE(resumed.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 1);
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc41"}));
  CHECK(world.bodhi->updates().size() == 1);
}

TEST_CASE("ferry koji-build and ferry bodhi-update run the same jobs from a dist-git checkout",
          "[integration][e2e][downstream][cli][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", k_hello_config);
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", "mallory");
  world.koji->script_build("hello", "1.3.0", "1.fc41");
  std::filesystem::path checkout = world.dir / "hello";
  run_git(world.dir.path(), {"clone", "-q", "-b", "f41",
                             world.forgejo.git_dir("rpms", "hello").string(), checkout.string()});
  auto env = world.ci_env("hello", checkout, "{}");
  for (const char* ci : {"GITHUB_ACTIONS", "FORGEJO_ACTIONS", "GITHUB_EVENT_NAME",
                         "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE", "GITHUB_OUTPUT"}) {
    env.erase(ci);
  }
  for (const char* input : {"INPUT_KEYTAB", "INPUT_KERBEROS_PRINCIPAL", "INPUT_FAS_USER"}) {
    env[std::string("FERRY_") + (input + 6)] = env[input];
    env.erase(input);
  }

  auto built = world.run_ferry(env, {"koji-build"}, checkout); // a command: no allow list
  INFO(describe(built));
  REQUIRE(built.exit_code == 0);
  CHECK(built.out.find("hello f41: success (built): hello-1.3.0-1.fc41 built in f41-candidate") !=
        std::string::npos);
  CHECK(built.out.find("build: hello-1.3.0-1.fc41\n") != std::string::npos);
  CHECK(build_task(world)["request"][0] == k_scm_prefix + std::string("hello.git#") + commit);

  auto again = world.run_ferry(env, {"koji-build", "--dist-git", checkout.string()});
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("skipped (already_built)") != std::string::npos);
  CHECK(world.koji->build_tasks_created() == 1);

  auto shipped = world.run_ferry(env, {"bodhi-update", "--dist-git-branch", "f41"}, checkout);
  INFO(describe(shipped));
  REQUIRE(shipped.exit_code == 0);
  REQUIRE(world.bodhi->updates().size() == 1);
  CHECK(shipped.out.find("update: " + world.bodhi->updates()[0]["url"].get<std::string>()) !=
        std::string::npos);
  auto twice = world.run_ferry(env, {"create-update"}, checkout);
  INFO(describe(twice));
  REQUIRE(twice.exit_code == 0);
  CHECK(twice.out.find("skipped (update_exists)") != std::string::npos);
  CHECK(world.bodhi->update_posts() == 1);
}

TEST_CASE("/packit koji-build on a dist-git pull request builds the branch's head",
          "[integration][e2e][downstream][command][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", R"(downstream_package_name: hello
jobs:
  - {job: koji_build, trigger: commit, dist_git_branches: [f41]}
)");
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", "mallory");
  world.koji->script_build("hello", "1.3.0", "1.fc41");
  world.forgejo.set_permission("rpms", "hello", DownstreamWorld::k_user, "write");
  auto payload = json::parse(
      DownstreamWorld::source_file("tests/fixtures/events/forgejo/issue_comment_on_pr.json"));
  payload["comment"]["body"] = "/packit koji-build";
  for (json* user : {&payload["comment"]["user"], &payload["sender"]}) {
    (*user)["login"] = DownstreamWorld::k_user;
    (*user)["username"] = DownstreamWorld::k_user;
  }
  payload["repository"]["full_name"] = "rpms/hello";
  payload["repository"]["default_branch"] = "rawhide";
  // the workflow's checkout of the default branch: not the commit to build
  std::filesystem::path workspace = world.dir / "workspace-comment";
  run_git(world.dir.path(),
          {"clone", "-q", world.forgejo.git_dir("rpms", "hello").string(), workspace.string()});
  auto env = world.ci_env("hello", workspace, payload.dump());
  env["GITHUB_EVENT_NAME"] = "issue_comment";

  auto result = world.run_ferry(env);
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(build_task(world)["request"][0] == k_scm_prefix + std::string("hello.git#") + commit);
  CHECK(world.last_output("builds") == json::array({"hello-1.3.0-1.fc41"}));
  CHECK(world.forgejo.reactions("rpms", "hello").size() == 1); // the command was acknowledged
  check_no_secrets(world, result);
}

TEST_CASE("a dry run submits nothing, a scratch build is made once for a commit",
          "[integration][e2e][downstream][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", R"(downstream_package_name: hello
jobs:
  - {job: koji_build, trigger: commit, scratch: true, dist_git_branches: [f41]}
)");
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  auto env = world.push_env("hello", "f41", commit);

  auto dry = world.run_ferry(env, {"--dry-run", "run"});
  INFO(describe(dry));
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out == "would submit a scratch Koji build of " + std::string(k_scm_prefix) +
                       "hello.git#" + commit + " for f41-candidate\n");
  CHECK(world.koji_calls("build") == 0);
  CHECK(world.last_output("skipped")["koji_build:f41"] == "dry_run");

  auto built = world.run_ferry(env);
  INFO(describe(built));
  REQUIRE(built.exit_code == 0);
  json task = build_task(world);
  CHECK(task["request"][2]["scratch"] == true);
  CHECK(world.koji->builds().size() == 1); // only the stable build: scratch builds leave none
  std::string summary = DownstreamWorld::read_file(world.dir / "summary.md");
  CHECK(summary.find("| `f41` | success (scratch_built) |") != std::string::npos);

  auto again = world.run_ferry(env);
  INFO(describe(again));
  REQUIRE(again.exit_code == 0);
  CHECK(world.koji->build_tasks_created() == 1);
  CHECK(world.last_output("skipped")["koji_build:f41"] == "already_built");
}

TEST_CASE("a branch Koji has no target for fails before a task is submitted",
          "[integration][e2e][downstream][kerberos]") {
  DownstreamWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  world.add_package("hello", R"(downstream_package_name: hello
jobs:
  - {job: koji_build, trigger: commit, dist_git_branches: [f41]}
)");
  std::string commit = world.merge_spec_change("hello", "f41", "1.3.0", DownstreamWorld::k_user);
  // The real hub answers getBuildTarget of an unknown name with nil, and build() accepts it.
  world.koji->inject("POST /kojihub/getBuildTarget",
                     TestResponse{200,
                                  {{"Content-Type", "text/xml"}},
                                  "<?xml version='1.0'?><methodResponse><params><param><value>"
                                  "<nil/></value></param></params></methodResponse>"},
                     1);
  auto result = world.run_ferry(world.push_env("hello", "f41", commit));
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  CHECK(world.koji_calls("build") == 0);
  CHECK(world.koji->build_tasks_created() == 0);
  std::string summary = DownstreamWorld::read_file(world.dir / "summary.md");
  CHECK(summary.find("| `f41` | failed (unknown_target) | Koji has no build target "
                     "f41-candidate for dist-git branch f41") != std::string::npos);
}
