// libgit2 through ferry's Repository against a real git smart-HTTP server (git http-backend)
// with token authentication: clone, commit, push, read back, lease checks, auth failures.
#include "infra/git/repository.hpp"
#include "support/git_http_server.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ferry::infra::git;
using namespace ferry::testing;

namespace {

constexpr const char* k_token = "glpat-Test-Token-0123456789";

// A bare "rpms/hello" repository with one commit on main, served over smart HTTP.
struct DistGitServer {
  TempDir dir;
  std::filesystem::path root = dir / "srv";
  GitHttpServer server{GitServerOptions{root, "ferry-bot", k_token, false, {}}};

  DistGitServer() {
    std::filesystem::create_directories(root);
    auto seed = dir / "seed";
    std::filesystem::create_directories(seed);
    run_git(seed, {"init", "-q", "-b", "main"});
    dir.write("seed/hello.spec", "Name: hello\nVersion: 1.0\n");
    dir.write("seed/sources", "");
    run_git(seed, {"add", "."});
    run_git(seed, {"commit", "-q", "-m", "initial"});
    run_git(root, {"clone", "-q", "--bare", seed.string(), "hello.git"});
  }
  Remote remote(std::string token = k_token) const {
    return Remote{server.repo_url("hello"), Credentials{"ferry-bot", std::move(token)}};
  }
  std::string bare_file(const std::string& ref, const std::string& path) const {
    return run_git(root / "hello.git", {"show", ref + ":" + path});
  }
};

Signature bot() {
  return Signature{"Ferry Bot", "ferry@example.org",
                   std::chrono::system_clock::from_time_t(1'700'000'000)};
}

void write(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST_CASE("clone, commit and push over smart HTTP land the commit on the server",
          "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(dist_git.remote(), work / "hello");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  CHECK(repo->current_branch() == "main");
  write(work / "hello" / "hello.spec", "Name: hello\nVersion: 1.1\n");
  write(work / "hello" / "new-file.txt", "added\n");
  std::filesystem::remove(work / "hello" / "sources");
  auto commit = repo->commit_all("Update to 1.1\n\nUpstream-Tag: v1.1\n", bot(), bot());
  REQUIRE(commit);
  CHECK(commit->size() == 40);

  REQUIRE(repo->push(dist_git.remote(), "refs/heads/main", "refs/heads/main"));
  CHECK(dist_git.bare_file("main", "hello.spec") == "Name: hello\nVersion: 1.1\n");
  CHECK(run_git(dist_git.root / "hello.git", {"log", "-1", "--format=%an <%ae>%n%B", "main"}) ==
        "Ferry Bot <ferry@example.org>\nUpdate to 1.1\n\nUpstream-Tag: v1.1\n\n");

  auto changed = repo->changed_paths("HEAD~1", "HEAD");
  REQUIRE(changed);
  std::sort(changed->begin(), changed->end());
  CHECK(*changed == std::vector<std::string>{"hello.spec", "new-file.txt", "sources"});
  CHECK(repo->read_file("HEAD", "hello.spec")->value() == "Name: hello\nVersion: 1.1\n");
  CHECK_FALSE(repo->read_file("HEAD", "sources")->has_value());
  CHECK(repo->read_file("HEAD~1", "sources")->value().empty());
}

TEST_CASE("a bot branch is pushed, re-pushed under a lease, and refused when it moved",
          "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(dist_git.remote(), work / "hello");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  std::string bot_branch = "refs/heads/ferry/f42/propose-downstream";

  REQUIRE(repo->switch_to_new_branch("ferry/f42/propose-downstream", "main"));
  write(work / "hello" / "hello.spec", "Name: hello\nVersion: 2.0\n");
  auto first = repo->commit_all("2.0", bot(), bot());
  REQUIRE(first);
  // The branch must not exist yet: lease on "absent".
  REQUIRE(repo->push(dist_git.remote(), bot_branch, bot_branch, PushLease{""}));
  CHECK(repo->remote_ref(dist_git.remote(), bot_branch)->value() == *first);

  // Rewrite the branch (new release): forced, allowed because the remote is where we left it.
  REQUIRE(repo->switch_to_new_branch("ferry/f42/propose-downstream", "main"));
  write(work / "hello" / "hello.spec", "Name: hello\nVersion: 2.1\n");
  auto second = repo->commit_all("2.1", bot(), bot());
  REQUIRE(second);
  REQUIRE(repo->push(dist_git.remote(), bot_branch, bot_branch, PushLease{*first}));
  CHECK(dist_git.bare_file("ferry/f42/propose-downstream", "hello.spec") ==
        "Name: hello\nVersion: 2.1\n");

  // A maintainer's stale expectation: nothing is pushed.
  auto refused = repo->push(dist_git.remote(), bot_branch, bot_branch, PushLease{*first});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ferry::ErrorKind::conflict);
  CHECK(repo->remote_ref(dist_git.remote(), bot_branch)->value() == *second);
}

TEST_CASE("a plain push that is not a fast-forward is refused", "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(dist_git.remote(), work / "hello");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  REQUIRE(repo->switch_to_new_branch("side", "main"));
  write(work / "hello" / "hello.spec", "diverged\n");
  REQUIRE(repo->commit_all("side", bot(), bot()));
  REQUIRE(repo->push(dist_git.remote(), "refs/heads/side", "refs/heads/main"));
  REQUIRE(repo->switch_to_new_branch("other", "origin/main"));
  write(work / "hello" / "hello.spec", "other\n");
  REQUIRE(repo->commit_all("other", bot(), bot()));
  auto pushed = repo->push(dist_git.remote(), "refs/heads/other", "refs/heads/main");
  REQUIRE_FALSE(pushed);
  CHECK(pushed.error().kind() == ferry::ErrorKind::conflict);
  CHECK(dist_git.bare_file("main", "hello.spec") == "diverged\n");
}

TEST_CASE("a wrong token fails with an auth error that does not contain it", "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(dist_git.remote("wrong-token-value-123"), work / "hello");
  REQUIRE_FALSE(repo);
  CHECK(repo.error().kind() == ferry::ErrorKind::auth);
  CHECK(repo.error().describe().find("wrong-token-value-123") == std::string::npos);
  // Only one attempt with the bad credentials, no loop of replays.
  CHECK(dist_git.server.http().request_count() <= 3);
}

TEST_CASE("nothing to commit is reported as such", "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(dist_git.remote(), work / "hello");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  auto commit = repo->commit_all("nothing", bot(), bot());
  REQUIRE_FALSE(commit);
  CHECK(commit.error().kind() == ferry::ErrorKind::conflict);
}

TEST_CASE("a local path works as a remote, with fetch into remote-tracking refs",
          "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(Remote{(dist_git.root / "hello.git").string(), std::nullopt},
                                work / "local");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  REQUIRE(repo->fetch(dist_git.remote(), {"+refs/heads/*:refs/remotes/server/*"}));
  CHECK(repo->resolve("refs/remotes/server/main").value() == repo->resolve("HEAD").value());
  auto missing = repo->resolve("no-such-branch");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ferry::ErrorKind::not_found);
}

TEST_CASE("history, commit details and tags are read back", "[integration][git]") {
  DistGitServer dist_git;
  TempDir work;
  auto repo = Repository::clone(Remote{(dist_git.root / "hello.git").string(), std::nullopt},
                                work / "local");
  REQUIRE(repo);
  std::string base = repo->resolve("HEAD").value();
  write(work / "local/hello.spec", "Name: hello\nVersion: 2.0\n");
  auto first = repo->commit_all("Update to 2.0\n\nUpstream-Tag: v2.0\n", bot(), bot());
  REQUIRE(first);
  write(work / "local/extra", "x\n");
  auto second =
      repo->commit_all("Maintainer fix\n", Signature{"Ann", "ann@example.org", {}}, bot());
  REQUIRE(second);

  auto history = repo->log(base, "HEAD");
  REQUIRE(history);
  REQUIRE(history->size() == 2);
  CHECK(history->at(0).id == *second);
  CHECK(history->at(0).author_email == "ann@example.org");
  CHECK(history->at(1).message == "Update to 2.0\n\nUpstream-Tag: v2.0\n");
  CHECK(history->at(1).parents == std::vector<std::string>{base});
  CHECK(repo->log("HEAD", "HEAD")->empty());

  auto info = repo->commit_info(*first);
  REQUIRE(info);
  CHECK(info->author_name == "Ferry Bot");
  CHECK(info->tree.size() == 40);
  CHECK(info->tree != repo->commit_info(*second)->tree);

  run_git(work / "local", {"tag", "v2.0", *first});
  run_git(work / "local", {"tag", "-a", "-m", "annotated", "v2.1", *second});
  auto tags = repo->tags();
  REQUIRE(tags);
  REQUIRE(tags->size() == 2);
  CHECK(tags->at(0).name == "v2.0");
  CHECK(tags->at(0).commit == *first);
  CHECK(tags->at(1).commit == *second); // annotated tag peeled to its commit
}
