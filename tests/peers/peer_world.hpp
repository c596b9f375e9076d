// An upstream release (ferry's fake GitHub, as in tests/integration) travelling to the real
// Pagure dist-git and the real upload.cgi: the package rpms/hello on rawhide and f41, made by
// its packager, and a bot user whose API key holds `acls`.
#pragma once

#include "integration/release_world.hpp"
#include "peers/real_pagure.hpp"

#include <string>
#include <vector>

namespace ferry::testing {

// The ACLs ferry's docs ask for on a dist-git API key (docs/ci-setup.md).
inline const std::vector<std::string>& documented_dist_git_acls() {
  static const std::vector<std::string> acls = {"fork_project", "pull_request_create",
                                                "pull_request_update", "pull_request_comment",
                                                "commit"};
  return acls;
}

inline std::string joined(const std::vector<std::string>& items, const char* separator = ",") {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : separator) + item;
  }
  return text;
}

struct PeerReleaseWorld : UpstreamRelease {
  RealPagure& pagure;
  std::string bot;
  std::string token;

  explicit PeerReleaseWorld(RealPagure& real, std::string bot_user = "ferry-bot",
                            const std::vector<std::string>& acls = documented_dist_git_acls())
      : pagure(real), bot(std::move(bot_user)) {
    dir.write("dist-git/hello.spec", read_source_file("examples/hello-dist-git/hello.spec"));
    dir.write("dist-git/sources", read_source_file("examples/hello-dist-git/sources"));
    nlohmann::json seeded = pagure.seed(
        {"--project", "rpms/hello", "--owner", "packager", "--branch", "rawhide", "--branch", "f41",
         "--file", "hello.spec=" + (dir / "dist-git/hello.spec").string(), "--file",
         "sources=" + (dir / "dist-git/sources").string(), "--token", bot + ":" + joined(acls)});
    token = RealPagure::token_of(seeded, bot);
    dist_git_env = {{"INPUT_DIST_GIT_TOKEN", token},
                    {"INPUT_FAS_USER", bot},
                    {"FERRY_DIST_GIT_URL", pagure.base_url()},
                    {"FERRY_LOOKASIDE_URL", pagure.lookaside_url()}};
  }

  std::string fork() const { return "forks/" + bot + "/rpms/hello"; }
  static std::string bot_branch(const std::string& branch) {
    return "ferry/" + branch + "/propose-downstream";
  }
  std::string fork_file(const std::string& branch, const std::string& path) const {
    return pagure.file_at(fork(), bot_branch(branch), path);
  }
};

} // namespace ferry::testing
