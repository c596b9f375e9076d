#include "peers/real_pagure.hpp"

#include "infra/http/http_client.hpp"
#include "support/git_http_server.hpp"
#include "support/skip.hpp"
#include "support/spawn_process_runner.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace ferry::testing {

namespace {

std::vector<std::string> log_lines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// An access-log line of a request that can change something on the server. (Pagure's
// `POST /api/0/-/whoami` only reads.)
bool is_write(const std::string& line) {
  if (line.find("\"POST /api/0/-/whoami ") != std::string::npos) {
    return false;
  }
  for (const char* method : {"\"POST ", "\"PUT ", "\"PATCH ", "\"DELETE "}) {
    if (line.find(method) != std::string::npos) {
      // git's ref advertisement before a push is a GET; the push itself is this POST
      return line.find("/git-upload-pack") == std::string::npos;
    }
  }
  return false;
}

} // namespace

std::string without_slash(std::string url) {
  while (url.ends_with('/')) {
    url.pop_back();
  }
  return url;
}

std::filesystem::path peers_dir() {
  std::filesystem::path dir = FERRY_PEERS_DIR;
  if (!std::filesystem::exists(dir / "bin" / "peer")) {
    FERRY_PREREQUISITE_MISSING("the real servers: " << (dir / "bin" / "peer").string()
                                                    << " is missing (../shared/peers)");
  }
  return dir;
}

RealPagure::RealPagure(std::string version)
    : m_version(std::move(version)), m_state(m_dir / "peers") {
  m_pagure = run_peer({"start", "pagure", "--version", m_version, "--state", m_state.string()});
  m_lookaside = run_peer({"start", "lookaside", "--state", m_state.string()});
}

RealPagure::~RealPagure() {
  auto runner = make_spawn_process_runner();
  infra::process::Command command;
  command.argv = {(peers_dir() / "bin" / "peer").string(), "stop", "--state", m_state.string()};
  command.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
  command.timeout = std::chrono::seconds(120);
  (void)runner->run(command);
}

nlohmann::json RealPagure::run_peer(const std::vector<std::string>& args) const {
  auto runner = make_spawn_process_runner();
  infra::process::Command command;
  command.argv = {(peers_dir() / "bin" / "peer").string()};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                 {"HOME", (m_dir / "home").string()}};
  if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr) {
    command.env["TMPDIR"] = tmp;
  }
  command.timeout = std::chrono::seconds(900); // a first start installs Debian packages
  auto result = runner->run(command);
  REQUIRE(result);
  INFO("peer " << args.front() << " " << args.at(1) << ": exit " << result->exit_code << "\n"
               << result->err);
  REQUIRE(result->exit_code == 0);
  return nlohmann::json::parse(result->out);
}

std::string RealPagure::base_url() const {
  return without_slash(m_pagure.at("url").get<std::string>());
}

std::string RealPagure::lookaside_url() const {
  return without_slash(m_lookaside.at("download_url").get<std::string>());
}

nlohmann::json RealPagure::seed(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"seed", "pagure", "--state", m_state.string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_peer(all);
}

std::string RealPagure::token_of(const nlohmann::json& seeded, const std::string& user) {
  for (const nlohmann::json& token : seeded.at("tokens")) {
    if (token.at("user") == user) {
      return token.at("token").get<std::string>();
    }
  }
  FAIL("peer seed made no token for " << user);
  return "";
}

nlohmann::json RealPagure::api(const std::string& path) const {
  auto http = infra::http::make_curl_http_client({});
  infra::http::Request request;
  request.url = base_url() + "/api/0/" + path;
  auto response = http->send(request);
  REQUIRE(response);
  INFO("GET " << request.url << ": " << response->status << "\n" << response->body);
  REQUIRE(response->status == 200);
  return nlohmann::json::parse(response->body);
}

std::vector<nlohmann::json> RealPagure::open_pull_requests(const std::string& project) const {
  nlohmann::json answer = api(project + "/pull-requests?status=Open&per_page=100");
  std::vector<nlohmann::json> open(answer.at("requests").begin(), answer.at("requests").end());
  std::sort(open.begin(), open.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a.at("id").get<long>() < b.at("id").get<long>();
  });
  return open;
}

std::filesystem::path RealPagure::git_dir(const std::string& repo) const {
  return std::filesystem::path(m_pagure.at("repos_dir").get<std::string>()) / (repo + ".git");
}

std::string RealPagure::file_at(const std::string& repo, const std::string& branch,
                                const std::string& path) const {
  return run_git(git_dir(repo), {"show", branch + ":" + path});
}

RealPagure::LogMark RealPagure::mark() const {
  return LogMark{log_lines(m_pagure.at("logs").at("access").get<std::string>()).size(),
                 log_lines(m_lookaside.at("logs").at("access").get<std::string>()).size()};
}

std::vector<std::string> RealPagure::writes_since(const LogMark& mark) const {
  std::vector<std::string> writes;
  auto pagure = log_lines(m_pagure.at("logs").at("access").get<std::string>());
  for (std::size_t i = mark.pagure_lines; i < pagure.size(); ++i) {
    if (is_write(pagure[i])) {
      writes.push_back("pagure: " + pagure[i]);
    }
  }
  return writes;
}

std::map<std::string, std::filesystem::file_time_type> RealPagure::lookaside_files() const {
  std::map<std::string, std::filesystem::file_time_type> files;
  std::filesystem::path root = m_lookaside.at("lookaside_dir").get<std::string>();
  if (!std::filesystem::exists(root)) {
    return files;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), root).string()] = entry.last_write_time();
    }
  }
  return files;
}

std::size_t RealPagure::requests_since(const LogMark& mark) const {
  return log_lines(m_pagure.at("logs").at("access").get<std::string>()).size() - mark.pagure_lines +
         log_lines(m_lookaside.at("logs").at("access").get<std::string>()).size() -
         mark.lookaside_lines;
}

} // namespace ferry::testing
