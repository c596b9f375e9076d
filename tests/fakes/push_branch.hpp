// The git half of a test story: clone a fork through a forge's remote (with its token), put a
// spec change on `branch` and push it — what propose_downstream does before opening its PR.
#pragma once

#include "clients/forge/forge.hpp"
#include "infra/git/repository.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace ferry::testing {

inline void push_spec_change(const clients::forge::Forge& forge,
                             const clients::forge::RepositoryInfo& fork, const std::string& branch,
                             const std::string& spec_text) {
  TempDir work;
  auto repo = infra::git::Repository::clone(forge.git_remote(fork), work / "clone");
  INFO((repo ? "" : repo.error().describe()));
  REQUIRE(repo);
  REQUIRE(repo->switch_to_new_branch(branch, "HEAD"));
  std::ofstream(work / "clone" / "hello.spec") << spec_text;
  infra::git::Signature bot{"Ferry Bot", "ferry@example.org", std::nullopt};
  REQUIRE(repo->commit_all("Update hello.spec", bot, bot));
  auto pushed = repo->push(forge.git_remote(fork), "refs/heads/" + branch, "refs/heads/" + branch,
                           infra::git::PushLease{std::nullopt});
  INFO((pushed ? "" : pushed.error().describe()));
  REQUIRE(pushed);
}

} // namespace ferry::testing
