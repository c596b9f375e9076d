// The dist-git API key against the real Pagure: a key without an ACL ferry needs fails with a
// message naming that ACL, and leaves nothing a re-run with a good key cannot reuse.
#include "peers/peer_world.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace ferry::testing;

namespace {

std::vector<std::string> acls_without(const std::string& missing) {
  std::vector<std::string> acls = documented_dist_git_acls();
  acls.erase(std::remove(acls.begin(), acls.end(), missing), acls.end());
  return acls;
}

void key_without(const std::string& version, const std::string& missing,
                 const std::string& message) {
  RealPagure pagure(version);
  PeerReleaseWorld world(pagure, "ferry-bot", acls_without(missing));

  auto refused = world.run_release();
  INFO(describe(refused));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find(message) != std::string::npos);
  CHECK(pagure.open_pull_requests("rpms/hello").empty());
  auto stored = pagure.lookaside_files();

  nlohmann::json seeded =
      pagure.seed({"--token", world.bot + ":" + joined(documented_dist_git_acls())});
  world.dist_git_env["INPUT_DIST_GIT_TOKEN"] = RealPagure::token_of(seeded, world.bot);
  auto fixed = world.run_release();
  INFO(describe(fixed));
  REQUIRE(fixed.exit_code == 0);
  CHECK(pagure.open_pull_requests("rpms/hello").size() == 2);
  if (!stored.empty()) {
    CHECK(pagure.lookaside_files() == stored); // the upload of the failed run is reused
  }
  CHECK(pagure.lookaside_files().size() == 1);
}

} // namespace

TEST_CASE("real Pagure 5.13.3: a dist-git key without `commit` cannot push, and says so",
          "[peers][pagure]") {
  key_without("5.13.3", "commit", "holds the `commit` ACL");
}

TEST_CASE("real Pagure 5.14.1: a dist-git key without `pull_request_create` names it",
          "[peers][pagure]") {
  key_without("5.14.1", "pull_request_create", "Missing ACLs: pull_request_create");
}

TEST_CASE("real Pagure 5.14.1: a key without `pull_request_update` still moves an open PR on",
          "[peers][pagure]") {
  RealPagure pagure("5.14.1");
  PeerReleaseWorld world(pagure, "ferry-bot", acls_without("pull_request_update"));
  auto first = world.run_release();
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  world.publish_release("1.4.0", "* Speaks Esperanto");
  auto newer = world.run_release();
  INFO(describe(newer));
  REQUIRE(newer.exit_code == 0);
  for (const nlohmann::json& pull_request : pagure.open_pull_requests("rpms/hello")) {
    std::string branch = pull_request.at("branch");
    INFO("branch " << branch);
    CHECK(pull_request.at("title") == "Update " + branch + " to upstream release 1.3.0");
    CHECK(world.fork_file(branch, "hello.spec").find("Version:        1.4.0\n") !=
          std::string::npos);
    nlohmann::json full =
        pagure.api("rpms/hello/pull-request/" + std::to_string(pull_request.at("id").get<long>()));
    int notes = 0;
    for (const nlohmann::json& comment : full.at("comments")) {
      notes += comment.at("comment").get<std::string>().find("Missing ACLs: pull_request_update") !=
               std::string::npos;
    }
    CHECK(notes == 1);
  }
}
