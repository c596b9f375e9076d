// fake-forge: the test fakes as a standalone server program, for tests that run ferry as a
// separate process (end-to-end runs, gitlab-ci-local, the container image).
//
//   fake-forge --kind github|forgejo|gitlab|pagure|lookaside|bodhi|copr|testing-farm|koji
//              --seed SEED.json [--url-file F]
//
// It starts on 127.0.0.1 with a free port, writes its base URL (the API root for forges, the
// download base for the lookaside) to stdout and to --url-file, and serves until SIGTERM or
// SIGINT. The seed is JSON:
//   {"users": [{"name": "ferry-bot", "token": "t"}],
//    "repositories": [{"path": "hello-org/hello", "files": {"hello.spec": "..."},
//                      "default_branch": "main", "releases": [{"tag": "v1", "notes": ""}]}],
//    "permissions": [{"repository": "hello-org/hello", "user": "maintainer", "role": "write"}]}
// (For Pagure a repository path is just the package name, and "branches": ["f41"] adds
// branches made from the default one; for GitLab "role" is an access level number as text,
// and "notes": [{"repository": "hello-org/hello", "kind": "issues", "iid": 3, "author":
// "maintainer", "body": "/ferry propose-downstream", "id": 5001}] adds comments others wrote;
// the lookaside takes "packages": ["hello"], "require_negotiate": true and, for benchmarks,
// "verify_checksums": false.)
// Bodhi (its identity provider at <url>/openidc; without "keytab" it trusts every login as
// "trusted_user"): {"users": [{"name": "packager", "groups": ["packager"], "packages": ["hello"]}],
//  "builds": [{"nvr": "hello-1.1-1.fc41", "release": "F41"}],
//  "side_tags": [{"name": "f41-build-side-1", "owner": "packager", "builds": ["…"]}],
//  "keytab": "/path/http.keytab", "trusted_user": "packager"}
// Copr (API under <url>/api_3): {"users": [{"login": "l", "token": "t", "name": "packager",
//  "groups": ["grp"]}], "failing_chroots": ["epel-9-x86_64"], "step_ms": 60}
// Testing Farm (API under <url>/v0.1): {"api_keys": [{"key": "k", "user": "packager"}],
//  "outcome": "passed", "step_ms": 50}
// Koji:  {"users": [{"name": "packager", "principal": "packager@FEDORAPROJECT.ORG"}],
//   "targets": [{"name": "f41-candidate", "build_tag": "f41-build", "dest_tag":
//   "f41-updates-candidate"}], "tags": ["f41-updates"], "builds": [{"nvr": "hello-1.0-1.fc41",
//   "tag": "f41-updates"}], "scripts": [{"package": "hello", "version": "1.1", "release":
//   "1.fc41"}], "negotiate_keytab": "/path/to/http.keytab"} (it prints its hub URL)
#include "fakes/fake_bodhi.hpp"
#include "fakes/fake_copr.hpp"
#include "fakes/fake_github.hpp"
#include "fakes/fake_gitlab.hpp"
#include "fakes/fake_koji.hpp"
#include "fakes/fake_lookaside.hpp"
#include "fakes/fake_pagure.hpp"
#include "fakes/fake_testing_farm.hpp"
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
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
  for (const json& note : seed.value("notes", json::array())) {
    fake->add_note(note["repository"], note.value("kind", "issues"), note["iid"], note["author"],
                   note["body"], note.value("id", 0L));
  }
  return {fake, fake->api_url()};
}

Running start_pagure(const json& seed) {
  auto fake = std::make_shared<FakePagure>();
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["name"], user["token"]);
  }
  for (const json& repository : seed.value("repositories", json::array())) {
    std::string default_branch = repository.value("default_branch", "rawhide");
    fake->add_package(repository["path"], files_of(repository), default_branch);
    for (const json& branch : repository.value("branches", json::array())) {
      fake->add_branch(repository["path"], branch, default_branch);
    }
  }
  for (const json& grant : seed.value("permissions", json::array())) {
    fake->set_access(grant["repository"], grant["role"], grant["user"]);
  }
  return {fake, fake->base_url()};
}

Running start_lookaside(const json& seed) {
  auto fake = std::make_shared<FakeLookaside>(seed.value("require_negotiate", false));
  fake->set_verify_checksums(seed.value("verify_checksums", true));
  for (const json& package : seed.value("packages", json::array())) {
    fake->add_package(package);
  }
  return {fake, fake->download_base()};
}

std::set<std::string> string_set(const json& list) {
  std::set<std::string> items;
  for (const json& item : list) {
    items.insert(item.get<std::string>());
  }
  return items;
}

// The provider and Bodhi live as long as the returned pointer.
struct BodhiPair {
  FakeOidcProvider provider;
  FakeBodhi bodhi;
  BodhiPair(std::optional<std::string> keytab, std::string user)
      : provider(std::move(keytab), std::move(user)), bodhi(provider) {}
};

Running start_bodhi(const json& seed) {
  std::optional<std::string> keytab;
  if (seed.contains("keytab")) {
    keytab = seed["keytab"].get<std::string>();
  }
  auto fake = std::make_shared<BodhiPair>(keytab, seed.value("trusted_user", "packager"));
  for (const json& user : seed.value("users", json::array())) {
    fake->bodhi.add_user(user["name"], string_set(user.value("groups", json::array())),
                         string_set(user.value("packages", json::array())));
  }
  for (const json& build : seed.value("builds", json::array())) {
    fake->bodhi.add_build(build["nvr"], build["release"]);
  }
  for (const json& tag : seed.value("side_tags", json::array())) {
    std::vector<std::string> builds;
    for (const json& nvr : tag.value("builds", json::array())) {
      builds.push_back(nvr.get<std::string>());
    }
    fake->bodhi.add_side_tag(tag["name"], tag["owner"], builds);
  }
  return {fake, fake->bodhi.url()};
}

Running start_copr(const json& seed) {
  auto fake = std::make_shared<FakeCopr>(std::chrono::milliseconds(seed.value("step_ms", 60)));
  for (const json& user : seed.value("users", json::array())) {
    fake->add_user(user["login"], user["token"], user["name"],
                   string_set(user.value("groups", json::array())));
  }
  for (const json& chroot : seed.value("failing_chroots", json::array())) {
    fake->fail_chroot(chroot);
  }
  return {fake, fake->url()};
}

Running start_testing_farm(const json& seed) {
  auto fake =
      std::make_shared<FakeTestingFarm>(std::chrono::milliseconds(seed.value("step_ms", 50)));
  for (const json& key : seed.value("api_keys", json::array())) {
    fake->add_api_key(key["key"], key["user"]);
  }
  fake->set_outcome(seed.value("outcome", "passed"));
  return {fake, fake->url()};
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
  if (kind == "bodhi") {
    return start_bodhi(seed);
  }
  if (kind == "copr") {
    return start_copr(seed);
  }
  if (kind == "testing-farm") {
    return start_testing_farm(seed);
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
    std::cerr << "usage: fake-forge --kind "
                 "github|forgejo|gitlab|pagure|lookaside|bodhi|copr|testing-farm|koji [--seed "
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
