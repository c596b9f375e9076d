// fake-forge: the test fakes as a standalone server program, for tests that run ferry as a
// separate process (end-to-end runs, gitlab-ci-local, the container image).
//
//   fake-forge --kind github|forgejo|gitlab|pagure|lookaside|koji --seed SEED.json [--url-file F]
//
// It starts on 127.0.0.1 with a free port, writes its base URL (the API root for forges, the
// download base for the lookaside) to stdout and to --url-file, and serves until SIGTERM or
// SIGINT. The seed is JSON:
//   {"users": [{"name": "ferry-bot", "token": "t"}],
//    "repositories": [{"path": "hello-org/hello", "files": {"hello.spec": "..."},
//                      "default_branch": "main", "releases": [{"tag": "v1", "notes": ""}]}],
//    "permissions": [{"repository": "hello-org/hello", "user": "maintainer", "role": "write"}]}
// (For Pagure a repository path is just the package name; for GitLab "role" is an access
// level number as text; the lookaside takes "packages": ["hello"]; Koji takes
//  {"users": [{"name": "packager", "principal": "packager@FEDORAPROJECT.ORG"}],
//   "targets": [{"name": "f41-candidate", "build_tag": "f41-build", "dest_tag":
//   "f41-updates-candidate"}], "tags": ["f41-updates"], "builds": [{"nvr": "hello-1.0-1.fc41",
//   "tag": "f41-updates"}], "scripts": [{"package": "hello", "version": "1.1", "release":
//   "1.fc41"}], "negotiate_keytab": "/path/to/http.keytab"}
// and prints its hub URL.)
#include "fakes/fake_github.hpp"
#include "fakes/fake_gitlab.hpp"
#include "fakes/fake_koji.hpp"
#include "fakes/fake_lookaside.hpp"
#include "fakes/fake_pagure.hpp"
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

using nlohmann::json;
using namespace ferry::testing;

namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int) {
  g_stop = 1;
}

std::map<std::string, std::string> files_of(const json& repository) {
  std::map<std::string, std::string> files;
  const json listed = repository.value("files", json::object()); // items() must not outlive it
  for (const auto& [name, content] : listed.items()) {
    files[name] = content.get<std::string>();
  }
  return files;
}

std::pair<std::string, std::string> split(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// Keeps the fake alive and knows its URL.
struct Running {
  std::shared_ptr<void> fake;
  std::string url;
};

Running start_github(const json& seed, FakeGitHub::Flavor flavor) {
  auto fake = std::make_shared<FakeGitHub>(flavor);
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["name"], user["token"]);
  }
  for (const json& repository : seed.value("repositories", json::array())) {
    auto [owner, name] = split(repository["path"]);
    fake->add_repository(owner, name, files_of(repository),
                         repository.value("default_branch", "main"));
    for (const json& release : repository.value("releases", json::array())) {
      fake->add_release(owner, name, release["tag"], release.value("notes", ""));
    }
  }
  for (const json& grant : seed.value("permissions", json::array())) {
    auto [owner, name] = split(grant["repository"]);
    fake->set_permission(owner, name, grant["user"], grant["role"]);
  }
  return {fake, fake->api_url()};
}

Running start_gitlab(const json& seed) {
  auto fake = std::make_shared<FakeGitLab>();
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["name"], user["token"]);
  }
  for (const json& repository : seed.value("repositories", json::array())) {
    fake->add_project(repository["path"], files_of(repository),
                      repository.value("default_branch", "main"));
    for (const json& release : repository.value("releases", json::array())) {
      fake->add_release(repository["path"], release["tag"], release.value("notes", ""));
    }
  }
  for (const json& grant : seed.value("permissions", json::array())) {
    fake->set_member(grant["repository"], grant["user"],
                     std::stoi(grant["role"].get<std::string>()));
  }
  return {fake, fake->api_url()};
}

Running start_pagure(const json& seed) {
  auto fake = std::make_shared<FakePagure>();
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["name"], user["token"]);
  }
  for (const json& repository : seed.value("repositories", json::array())) {
    fake->add_package(repository["path"], files_of(repository),
                      repository.value("default_branch", "rawhide"));
  }
  for (const json& grant : seed.value("permissions", json::array())) {
    fake->set_access(grant["repository"], grant["role"], grant["user"]);
  }
  return {fake, fake->base_url()};
}

Running start_lookaside(const json& seed) {
  auto fake = std::make_shared<FakeLookaside>(seed.value("require_negotiate", false));
  for (const json& package : seed.value("packages", json::array())) {
    fake->add_package(package);
  }
  return {fake, fake->download_base()};
}

Running start_koji(const json& seed) {
  FakeKoji::Options options;
  if (seed.contains("negotiate_keytab")) {
    options.negotiate_keytab = seed["negotiate_keytab"].get<std::string>();
  }
  auto fake = std::make_shared<FakeKoji>(options);
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["name"], user.value("principal", ""));
  }
  for (const json& tag : seed.value("tags", json::array())) {
    fake->add_tag(tag);
  }
  for (const json& target : seed.value("targets", json::array())) {
    fake->add_target(target["name"], target["build_tag"], target["dest_tag"]);
  }
  for (const json& build : seed.value("builds", json::array())) {
    fake->add_build(build["nvr"], build["tag"], build.value("owner", ""));
  }
  for (const json& script : seed.value("scripts", json::array())) {
    if (script.contains("failure")) {
      fake->fail_next_build(script["package"], script["failure"]);
    } else {
      fake->script_build(script["package"], script["version"], script["release"]);
    }
  }
  return {fake, fake->hub_url(seed.value("host", "127.0.0.1"))};
}

Running start(const std::string& kind, const json& seed) {
  if (kind == "github") {
    return start_github(seed, FakeGitHub::Flavor::github);
  }
  if (kind == "forgejo") {
    return start_github(seed, FakeGitHub::Flavor::forgejo);
  }
  if (kind == "gitlab") {
    return start_gitlab(seed);
  }
  if (kind == "pagure") {
    return start_pagure(seed);
  }
  if (kind == "lookaside") {
    return start_lookaside(seed);
  }
  if (kind == "koji") {
    return start_koji(seed);
  }
  throw std::runtime_error("unknown --kind " + kind);
}

} // namespace

int main(int argc, char** argv) {
  std::string kind;
  std::string seed_path;
  std::string url_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    (flag == "--kind"       ? kind
     : flag == "--seed"     ? seed_path
     : flag == "--url-file" ? url_file
                            : kind) = argv[i + 1];
  }
  if (kind.empty()) {
    std::cerr << "usage: fake-forge --kind github|forgejo|gitlab|pagure|lookaside|koji [--seed "
                 "SEED.json] [--url-file F]\n";
    return 2;
  }
  try {
    json seed = json::object();
    if (!seed_path.empty()) {
      std::ifstream in(seed_path);
      seed = json::parse(in);
    }
    ferry::infra::http::HttpLibraryGuard http_guard;
    ferry::infra::git::GitLibraryGuard git_guard;
    Running running = start(kind, seed);
    std::cout << running.url << std::endl;
    if (!url_file.empty()) {
      std::ofstream(url_file) << running.url << "\n";
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    while (g_stop == 0) {
      ::pause();
    }
  } catch (const std::exception& e) {
    std::cerr << "fake-forge: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
