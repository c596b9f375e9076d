// propose_downstream against the real Pagure (both versions) and the real upload.cgi: a first
// release to two branches, the same release again (nothing written), a newer release while the
// pull requests are open (the same pull requests, carrying the new version and saying so).
#include "peers/peer_world.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

using namespace ferry::testing;
using nlohmann::json;

namespace {

std::map<std::string, json> by_branch(const std::vector<json>& pull_requests) {
  std::map<std::string, json> found;
  for (const json& pull_request : pull_requests) {
    found[pull_request.at("branch").get<std::string>()] = pull_request;
  }
  return found;
}

// One run of ferry, timed, with what it cost on the servers (printed for the issue's figures).
struct Run {
  ferry::infra::process::ProcessResult result;
  std::vector<std::string> writes;
};

Run timed_release(PeerReleaseWorld& world, const std::string& what) {
  auto mark = world.pagure.mark();
  auto started = std::chrono::steady_clock::now();
  auto result = world.run_release();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "cost: Pagure " << world.pagure.version() << ", " << what << ": "
            << world.pagure.requests_since(mark) << " requests to Pagure and the lookaside ("
            << world.pagure.writes_since(mark).size() << " writes), " << seconds << " s for "
            << world.branches.size() << " branches" << std::endl;
  return Run{result, world.pagure.writes_since(mark)};
}

// The comments `author` wrote on a pull request on the real server (not the notifications
// Pagure adds in the name of who pushed or edited: "1 new commit added", metadata updates).
std::vector<std::string> comments_on(const RealPagure& pagure, long id, const std::string& author) {
  std::vector<std::string> texts;
  json pull_request = pagure.api("rpms/hello/pull-request/" + std::to_string(id));
  for (const json& comment : pull_request.at("comments")) {
    if (comment.at("user").at("name") == author && !comment.value("notification", false)) {
      texts.push_back(comment.at("comment").get<std::string>());
    }
  }
  return texts;
}

void release_story(const std::string& version) {
  RealPagure pagure(version);
  PeerReleaseWorld world(pagure);

  Run first = timed_release(world, "first release");
  INFO(describe(first.result));
  REQUIRE(first.result.exit_code == 0);
  auto opened = by_branch(pagure.open_pull_requests("rpms/hello"));
  REQUIRE(opened.size() == 2);
  for (const std::string branch : {"rawhide", "f41"}) {
    INFO("branch " << branch);
    CHECK(opened[branch].at("title") == "Update " + branch + " to upstream release 1.3.0");
    CHECK(world.fork_file(branch, "hello.spec").find("Version:        1.3.0\n") !=
          std::string::npos);
    CHECK(opened[branch].at("commit_stop").get<std::string>() + "\n" ==
          run_git(pagure.git_dir(world.fork()), {"rev-parse", world.bot_branch(branch)}));
  }
  auto stored = pagure.lookaside_files();
  CHECK(stored.size() == 1);
  CHECK(stored.begin()->first.find("hello-1.3.0.tar.gz") != std::string::npos);

  Run again = timed_release(world, "the same release again");
  INFO(describe(again.result));
  REQUIRE(again.result.exit_code == 0);
  CHECK(again.writes == std::vector<std::string>{});
  CHECK(pagure.lookaside_files() == stored);
  CHECK(pagure.open_pull_requests("rpms/hello").size() == 2);

  world.publish_release("1.4.0", "* Speaks Esperanto");
  Run newer = timed_release(world, "a newer release while the pull requests are open");
  INFO(describe(newer.result));
  REQUIRE(newer.result.exit_code == 0);
  auto updated = by_branch(pagure.open_pull_requests("rpms/hello"));
  REQUIRE(updated.size() == 2);
  for (const std::string branch : {"rawhide", "f41"}) {
    INFO("branch " << branch);
    CHECK(updated[branch].at("id") == opened[branch].at("id"));
    CHECK(world.fork_file(branch, "hello.spec").find("Version:        1.4.0\n") !=
          std::string::npos);
    auto notes = comments_on(pagure, updated[branch].at("id"), world.bot);
    if (version == "5.13.3") {
      // Only members may update a PR there: the PR keeps its title and body, a comment says
      // which version it now carries.
      CHECK(updated[branch].at("title") == "Update " + branch + " to upstream release 1.3.0");
      REQUIRE(notes.size() == 1);
      CHECK(notes.front().find("now carries version **1.4.0** (upstream tag v1.4.0)") !=
            std::string::npos);
    } else {
      CHECK(updated[branch].at("title") == "Update " + branch + " to upstream release 1.4.0");
      CHECK(updated[branch].at("initial_comment").get<std::string>().find("v1.4.0") !=
            std::string::npos);
      CHECK(notes.empty());
    }
  }
  CHECK(world.github.issues("hello-org", "hello").empty());

  Run newer_again = timed_release(world, "the newer release again");
  INFO(describe(newer_again.result));
  REQUIRE(newer_again.result.exit_code == 0);
  for (const auto& [branch, pull_request] : updated) {
    INFO("branch " << branch);
    CHECK(comments_on(pagure, pull_request.at("id"), world.bot).size() ==
          (version == "5.13.3" ? 1U : 0U));
  }
  if (version != "5.13.3") {
    CHECK(newer_again.writes == std::vector<std::string>{});
  }
}

} // namespace

TEST_CASE("real Pagure 5.13.3: a release, the same again, a newer one while the PRs are open",
          "[peers][pagure]") {
  release_story("5.13.3");
}

TEST_CASE("real Pagure 5.14.1: a release, the same again, a newer one while the PRs are open",
          "[peers][pagure]") {
  release_story("5.14.1");
}
