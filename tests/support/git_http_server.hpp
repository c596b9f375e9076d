// A real git smart-HTTP server for tests: `git http-backend` (the CGI program that ships with
// git) behind HttpTestServer, serving bare repositories under one root, with HTTP Basic
// authentication checked against one user and token. Pushes need the credentials; so do
// fetches unless `anonymous_read` is set.
#pragma once

#include "support/http_test_server.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace ferry::testing {

struct GitServerOptions {
  std::filesystem::path root; // holds <name>.git bare repositories
  std::string user = "ferry-bot";
  std::string token;
  bool anonymous_read = false;
  // When set, decides instead of user/token (e.g. a fake forge with many users).
  std::function<bool(const std::string& user, const std::string& password)> authorize;
};

// Answers one smart-HTTP request with `git http-backend`, after the authentication check;
// for fakes that serve git and an API on the same host (Pagure).
TestResponse serve_git(const GitServerOptions& options, const TestRequest& request);

// Whether a request path is a git smart-HTTP path (".../x.git/info/refs", ".../git-upload-pack").
bool is_git_request(const TestRequest& request);

class GitHttpServer {
public:
  explicit GitHttpServer(GitServerOptions options);

  // "http://127.0.0.1:<port>/<name>.git"
  std::string repo_url(std::string_view name) const;
  HttpTestServer& http() { return *m_server; }

private:
  GitServerOptions m_options;
  std::unique_ptr<HttpTestServer> m_server;
};

// Runs `git ARGS...` in `cwd` with a fixed identity; throws on failure (test set-up only).
std::string run_git(const std::filesystem::path& cwd, const std::vector<std::string>& args);

} // namespace ferry::testing
