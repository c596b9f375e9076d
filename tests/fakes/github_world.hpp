// A FakeGitHub (GitHub or Forgejo flavour) with an upstream repository, a release, users with
// various permissions, and ferry's client for it over real HTTP — the set-up the GitHub and
// Forgejo client tests share.
#pragma once

#include "clients/forge/forgejo/forgejo_forge.hpp"
#include "clients/forge/github/github_forge.hpp"
#include "fakes/fake_github.hpp"
#include "fakes/push_branch.hpp"
#include "infra/git/repository.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

namespace ferry::testing {

constexpr const char* k_bot_token = "ghp_FerryBotCanaryToken0000000000000001";

struct GitHubWorld {
  FakeGitHub github;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<clients::forge::Forge> forge;
  std::vector<std::chrono::milliseconds> sleeps;

  explicit GitHubWorld(std::string token = k_bot_token,
                       FakeGitHub::Flavor flavor = FakeGitHub::Flavor::github)
      : github(flavor) {
    github.add_user("ferry-bot", k_bot_token);
    github.add_user("limited-bot", "ghp_limited", {"issues=write"});
    github.add_repository("hello-org", "hello", {{"hello.spec", "Name: hello\nVersion: 1.0\n"}});
    github.add_release("hello-org", "hello", "v1.1", "* fixed a bug");
    github.set_permission("hello-org", "hello", "maintainer", "maintain");
    github.set_permission("hello-org", "hello", "reader", "triage");
    infra::http::ClientOptions options;
    options.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    options.retry.base_delay = std::chrono::milliseconds(1);
    options.total_timeout = std::chrono::milliseconds(5000);
    http = infra::http::make_curl_http_client(options);
    clients::forge::ForgeSettings settings;
    settings.api_url = github.api_url();
    settings.token = std::move(token);
    settings.fork_poll_interval = std::chrono::milliseconds(1);
    settings.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    forge = flavor == FakeGitHub::Flavor::github
                ? clients::forge::github::make_github_forge(*http, settings)
                : clients::forge::forgejo::make_forgejo_forge(*http, settings);
  }

  // Clones the fork, changes the spec, pushes `branch`.
  void push_bot_branch(const clients::forge::RepositoryInfo& fork, const std::string& branch,
                       const std::string& version) {
    push_spec_change(*forge, fork, branch, "Name: hello\nVersion: " + version + "\n");
  }
};

} // namespace ferry::testing
