// Servers that echo the request — credentials and all — in their error bodies (issue 13,
// finding 3). Each case makes one call of a propose_downstream run answer 401, 403 or 500 with
// the request it got, then searches everything the run produced for the canary credentials:
// stdout, stderr, the step summary and outputs, issues, comments, statuses and pull requests
// stored in the fakes, every object pushed to the fakes' repositories, and the run's temp dir.
#include "integration/release_world.hpp"
#include "security/canary.hpp"
#include "support/mask_commands.hpp"

#include <catch2/catch.hpp>

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> canaries() {
  return {{"token (upstream forge)", ReleaseWorld::k_upstream_token},
          {"dist_git_token", ReleaseWorld::k_dist_git_token}};
}

void add(std::vector<std::string>& found, std::vector<std::string> more) {
  found.insert(found.end(), more.begin(), more.end());
}

std::string git_history(const fs::path& repo) {
  if (!fs::exists(repo)) {
    return "";
  }
  return run_git(repo, {"log", "--all", "-p", "--format=%H%n%an <%ae>%n%B"});
}

// Every place the run could have left a canary, scanned.
std::vector<std::string> leaks(const ReleaseWorld& world,
                               const infra::process::ProcessResult& result) {
  auto known = canaries();
  std::vector<std::string> found;
  add(found, canary::find(known, "stdout", result.out));
  add(found, canary::find(known, "stderr", without_mask_commands(result.err)));
  add(found, canary::find_in_files(known, world.dir.path()));
  add(found,
      canary::find(known, "GitHub issues", world.github.issues("hello-org", "hello").dump()));
  for (const auto& issue : world.github.issues("hello-org", "hello")) {
    add(found,
        canary::find(
            known, "GitHub issue comments",
            world.github.comments("hello-org", "hello", issue["number"].get<long>()).dump()));
  }
  add(found,
      canary::find(known, "GitHub statuses", world.github.statuses("hello-org", "hello").dump()));
  add(found, canary::find(known, "GitHub pulls", world.github.pulls("hello-org", "hello").dump()));
  add(found, canary::find(known, "Pagure PRs", world.pagure.pull_requests("hello").dump()));
  add(found, canary::find(known, "Pagure issues", world.pagure.issues("hello").dump()));
  add(found, canary::find(known, "Pagure flags", world.pagure.flags("hello").dump()));
  add(found, canary::find(known, "dist-git fork",
                          git_history(world.pagure.git_dir("forks/ferry-bot/rpms/hello"))));
  add(found, canary::find(known, "dist-git", git_history(world.pagure.git_dir("rpms/hello"))));
  return found;
}

struct EchoCase {
  const char* server;
  const char* route;
};

void inject_echo(ReleaseWorld& world, const EchoCase& where, int status) {
  TestResponse echo = echoing_error(status);
  std::string server = where.server;
  if (server == "pagure") {
    world.pagure.inject(where.route, echo, 100);
  } else if (server == "github") {
    world.github.inject(where.route, echo, 100);
  } else {
    world.lookaside.inject(where.route, echo, 100);
  }
}

} // namespace

TEST_CASE("the scanner finds a canary in each form it can leak in", "[security][redaction]") {
  std::map<std::string, std::string> known = {{"t", "CanaryValue0123456789"}};
  for (std::size_t offset = 0; offset < 3; ++offset) {
    std::string blob = canary::base64(std::string(offset, 'u') + "CanaryValue0123456789" + "zz");
    CHECK(!canary::find(known, "b64", "Basic " + blob).empty());
  }
  CHECK(!canary::find(known, "split", "Canary\nValue0123456789").empty());
  CHECK(!canary::find(known, "url", canary::url_encoded("CanaryValue0123456789")).empty());
  CHECK(canary::find(known, "masked", "token ***").empty());
}

TEST_CASE("credentials echoed in a server's error body reach no text the run publishes",
          "[security][redaction]") {
  auto where = GENERATE(EchoCase{"pagure", "POST /api/0/rpms/hello/pull-request/new"},
                        EchoCase{"pagure", "POST /api/0/fork"},
                        EchoCase{"pagure", "GET /api/0/rpms/hello/pull-requests"},
                        EchoCase{"lookaside", "POST /repo/pkgs/upload.cgi"},
                        EchoCase{"github", "POST /repos/hello-org/hello/statuses"});
  int status = GENERATE(401, 403, 500);
  DYNAMIC_SECTION(where.server << " " << where.route << " answers " << status) {
    ReleaseWorld world;
    world.use_branches({"rawhide"});
    inject_echo(world, where, status);
    auto env = world.ci_env("release", world.release_payload());
    fs::create_directories(world.dir / "tmp");
    env["TMPDIR"] = (world.dir / "tmp").string();
    auto result = world.run_ferry(env);
    INFO(describe(result));
    CHECK((result.exit_code == 0 || result.exit_code == 1));
    std::vector<std::string> found = leaks(world, result);
    for (const std::string& leak : found) {
      UNSCOPED_INFO("leaked: " << leak);
    }
    CHECK(found.empty());
  }
}

} // namespace ferry::testing
