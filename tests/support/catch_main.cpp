// The Catch2 main for every test binary: sets up libcurl and libgit2 as ferry's main does.
#define CATCH_CONFIG_RUNNER
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"

#include <catch2/catch.hpp>

#include <csignal>

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  ferry::infra::http::HttpLibraryGuard http_guard;
  ferry::infra::git::GitLibraryGuard git_guard;
  return Catch::Session().run(argc, argv);
}
