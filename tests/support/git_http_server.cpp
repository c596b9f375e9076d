#include "support/git_http_server.hpp"

#include "infra/process/process_runner.hpp"
#include "support/spawn_process_runner.hpp"

#include <cstdlib>
#include <stdexcept>

namespace ferry::testing {

namespace {

std::map<std::string, std::string> base_environment() {
  const char* path = std::getenv("PATH");
  return {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
          {"HOME", std::filesystem::temp_directory_path().string()},
          {"GIT_CONFIG_NOSYSTEM", "1"}};
}

bool is_push(const TestRequest& request) {
  return request.query.find("service=git-receive-pack") != std::string::npos ||
         request.path.ends_with("/git-receive-pack");
}

TestResponse unauthorized() {
  TestResponse response;
  response.status = 401;
  response.headers = {{"WWW-Authenticate", "Basic realm=\"git\""}, {"Connection", "close"}};
  // No body: libgit2 1.5 fails to parse the reply to its credential replay ("http parser
  // error: invalid constant string") when the 401 carried one. Servers differ here.
  return response;
}

// Splits CGI output into status, headers and body.
TestResponse parse_cgi_output(const std::string& output) {
  TestResponse response;
  std::size_t split = output.find("\r\n\r\n");
  std::size_t skip = 4;
  if (split == std::string::npos) {
    split = output.find("\n\n");
    skip = 2;
  }
  std::string head = output.substr(0, split);
  response.body = split == std::string::npos ? "" : output.substr(split + skip);
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t end = head.find('\n', pos);
    std::string line = head.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::string value = line.substr(line.find_first_not_of(' ', colon + 1));
      if (name == "Status") {
        response.status = std::stoi(value.substr(0, 3));
      } else {
        response.headers.emplace_back(name, value);
      }
    }
    if (end == std::string::npos) {
      break;
    }
    pos = end + 1;
  }
  return response;
}

} // namespace

GitHttpServer::GitHttpServer(GitServerOptions options) : m_options(std::move(options)) {
  m_server = std::make_unique<HttpTestServer>(
      [this](const TestRequest& request) { return serve_git(m_options, request); });
}

bool is_git_request(const TestRequest& request) {
  return request.path.find(".git/") != std::string::npos;
}

std::string GitHttpServer::repo_url(std::string_view name) const {
  return m_server->url("/" + std::string(name) + ".git");
}

TestResponse serve_git(const GitServerOptions& options, const TestRequest& request) {
  auto credentials = basic_credentials(request);
  bool authenticated =
      credentials && (options.authorize ? options.authorize(credentials->first, credentials->second)
                                        : credentials->first == options.user &&
                                              credentials->second == options.token);
  if (!authenticated && (is_push(request) || !options.anonymous_read)) {
    return unauthorized();
  }
  infra::process::Command command;
  command.argv = {"git", "http-backend"};
  command.env = base_environment();
  command.env["GIT_PROJECT_ROOT"] = options.root.string();
  command.env["GIT_HTTP_EXPORT_ALL"] = "1";
  command.env["REQUEST_METHOD"] = request.method;
  command.env["PATH_INFO"] = request.path;
  command.env["QUERY_STRING"] = request.query;
  command.env["CONTENT_TYPE"] = request.header("Content-Type").value_or("");
  command.env["CONTENT_LENGTH"] = std::to_string(request.body.size());
  command.env["REMOTE_ADDR"] = "127.0.0.1";
  if (authenticated) {
    command.env["REMOTE_USER"] = credentials->first; // enables receive-pack
  }
  if (auto protocol = request.header("Git-Protocol")) {
    command.env["GIT_PROTOCOL"] = *protocol;
  }
  command.stdin_data = request.body;
  command.output_cap = std::size_t{512} << 20;
  command.timeout = std::chrono::milliseconds(60'000);
  auto result = make_spawn_process_runner()->run(command);
  if (!result) {
    return TestResponse{500, {}, result.error().message()};
  }
  return parse_cgi_output(result->out);
}

std::string run_git(const std::filesystem::path& cwd, const std::vector<std::string>& args) {
  infra::process::Command command;
  command.argv = {"git"};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.cwd = cwd;
  command.env = base_environment();
  command.env["GIT_AUTHOR_NAME"] = "Test Author";
  command.env["GIT_AUTHOR_EMAIL"] = "author@example.org";
  command.env["GIT_COMMITTER_NAME"] = "Test Author";
  command.env["GIT_COMMITTER_EMAIL"] = "author@example.org";
  auto result = make_spawn_process_runner()->run(command);
  if (!result || result->exit_code != 0) {
    throw std::runtime_error("git " + (args.empty() ? "" : args.front()) +
                             " failed: " + (result ? result->err : result.error().message()));
  }
  return result->out;
}

} // namespace ferry::testing
