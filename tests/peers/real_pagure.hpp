// The real Pagure (5.13.3 or 5.14.1) and dist-git's real upload.cgi on 127.0.0.1, run by
// ../shared/peers/bin/peer under a state directory of this object's own, stopped when it goes
// away. A missing peer folder fails the test (FERRY_PREREQUISITE_MISSING): CI counts no test that
// could not run. What the servers did is read back the way a client sees it (the API, git) and,
// for counting writes, from their access logs.
#pragma once

#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ferry::testing {

class RealPagure {
public:
  // Starts Pagure `version` and the lookaside CGI (whose packages are Pagure's repositories).
  explicit RealPagure(std::string version);
  ~RealPagure();
  RealPagure(const RealPagure&) = delete;
  RealPagure& operator=(const RealPagure&) = delete;

  const std::string& version() const { return m_version; }
  // http://127.0.0.1:PORT, no trailing slash (FERRY_DIST_GIT_URL).
  std::string base_url() const;
  // http://127.0.0.1:PORT/repo/pkgs (FERRY_LOOKASIDE_URL; upload.cgi below it).
  std::string lookaside_url() const;
  const std::filesystem::path& state() const { return m_state; }

  // `peer seed pagure --state S ARGS...`: its JSON answer.
  nlohmann::json seed(const std::vector<std::string>& args);
  // The token `seed` made for `user` (the first one).
  static std::string token_of(const nlohmann::json& seeded, const std::string& user);

  // GET <base>/api/0/<path>, anonymous; the parsed answer (fails the test unless 200).
  nlohmann::json api(const std::string& path) const;
  // Open pull requests of `project` (e.g. "rpms/hello"), oldest first.
  std::vector<nlohmann::json> open_pull_requests(const std::string& project) const;
  // A file at a branch of a repository, read through git (e.g. "forks/ferry-bot/rpms/hello").
  std::string file_at(const std::string& repo, const std::string& branch,
                      const std::string& path) const;
  std::filesystem::path git_dir(const std::string& repo) const;

  // Requests to Pagure that change something (POST/PUT/PATCH/DELETE, git pushes) logged after
  // `mark`. (The lookaside's checks are POSTs too: its writes are seen in lookaside_files().)
  struct LogMark {
    std::size_t pagure_lines = 0;
    std::size_t lookaside_lines = 0;
  };
  LogMark mark() const;
  std::vector<std::string> writes_since(const LogMark& mark) const;
  // The files the lookaside stores (path below its root -> modification time).
  std::map<std::string, std::filesystem::file_time_type> lookaside_files() const;
  // Every request (of any method) both servers logged after `mark`, for the cost figures.
  std::size_t requests_since(const LogMark& mark) const;

private:
  nlohmann::json run_peer(const std::vector<std::string>& args) const;

  std::string m_version;
  TempDir m_dir;
  std::filesystem::path m_state;
  nlohmann::json m_pagure;
  nlohmann::json m_lookaside;
};

// ../shared/peers (FERRY_PEERS_DIR at build time); fails the test when it is not there.
std::filesystem::path peers_dir();

// A URL the peers printed, without its trailing '/' ("http://127.0.0.1:PORT").
std::string without_slash(std::string url);

} // namespace ferry::testing
