// The world a merged dist-git pull request travels through, for end-to-end tests of the real
// `ferry` binary as the dist-git repository's own Forgejo Actions step: Forgejo (FakeGitHub in
// its Forgejo flavour) holding rpms/<package> with its .packit.yaml and spec on rawhide and f41,
// a real MIT Kerberos KDC, the Koji hub (FakeKoji, sslLogin by HTTP Negotiate against the KDC),
// Fedora's identity provider and Bodhi (FakeOidcProvider, FakeBodhi — which asks the fake hub
// about builds and side tags, as Bodhi asks Koji). ferry gets its Kerberos identity only from
// the `keytab` setting (no kinit, no credential cache) and runs with exactly a CI step's
// environment.
#pragma once

#include "fakes/fake_bodhi.hpp"
#include "fakes/fake_github.hpp"
#include "fakes/fake_koji.hpp"
#include "fakes/fake_oidc_provider.hpp"
#include "infra/util/encoding.hpp"
#include "support/git_http_server.hpp"
#include "support/kerberos_realm.hpp"
#include "support/spawn_process_runner.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ferry::testing {

struct DownstreamWorld {
  static constexpr const char* k_token = "FORGEJOCANARYTOKEN00000000000000000000001";
  static constexpr const char* k_other_token = "FORGEJOCANARYTOKEN00000000000000000000002";
  static constexpr const char* k_user = "alice"; // the runner: Forgejo, Koji, Bodhi account

  std::unique_ptr<KerberosRealm> realm;
  TempDir dir;
  FakeGitHub forgejo{FakeGitHub::Flavor::forgejo};
  std::unique_ptr<FakeKoji> koji;
  std::unique_ptr<FakeOidcProvider> provider;
  std::unique_ptr<FakeBodhi> bodhi;
  nlohmann::json releases; // tests/fixtures/bodhi/releases.json
  std::string keytab_base64;

  static std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static std::string source_file(const std::string& relative) {
    return read_file(std::filesystem::path(FERRY_SOURCE_DIR) / relative);
  }

  static std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.pop_back();
    }
    return text;
  }

  // Starts the KDC and the services; false (with `why`) when the KDC cannot run here.
  bool start(std::string& why, bool koji_knows_user = true) {
    realm = KerberosRealm::start(why);
    if (!realm) {
      return false;
    }
    keytab_base64 = infra::util::base64_encode(read_file(realm->user_keytab()));
    FakeKoji::Options options;
    options.negotiate_keytab = realm->service_keytab();
    koji = std::make_unique<FakeKoji>(options);
    if (koji_knows_user) {
      koji->add_user(k_user, std::string(k_user) + "@" + KerberosRealm::k_realm);
    }
    koji->add_target("rawhide", "f43-build", "f43-updates-candidate");
    koji->add_target("f41-candidate", "f41-build", "f41-updates-candidate");
    koji->add_build("hello-1.2.0-1.fc41", "f41-updates", k_user); // the latest stable build
    provider = std::make_unique<FakeOidcProvider>(realm->service_keytab(), "nobody");
    bodhi = std::make_unique<FakeBodhi>(*provider);
    bodhi->add_user(k_user, {"packager"}, {"hello", "world"});
    releases = nlohmann::json::parse(source_file("tests/fixtures/bodhi/releases.json"))["releases"];
    bodhi->use_koji({[this](const std::string& nvr) { return release_of_build(nvr); },
                     [this](const std::string& tag) { return side_tag(tag); }});
    forgejo.add_user(k_user, k_token);
    forgejo.add_user("mallory", k_other_token);
    return true;
  }

  // The Bodhi release a Koji tag belongs to: side tags by their base, else by the tag's name.
  std::optional<std::string> release_of_tag(std::string tag) const {
    if (auto side = koji->side_tag(tag)) {
      tag = side->second;
    }
    for (const char* suffix : {"-updates-candidate", "-updates", "-build"}) {
      if (tag.ends_with(suffix)) {
        tag.resize(tag.size() - std::string(suffix).size());
        break;
      }
    }
    for (const auto& release : releases) {
      if (release.value("dist_tag", "") == tag && release.value("id_prefix", "") == "FEDORA") {
        return release["name"].get<std::string>();
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> release_of_build(const std::string& nvr) const {
    for (const std::string& tag : koji->tags_of(nvr)) {
      if (auto release = release_of_tag(tag)) {
        return release;
      }
    }
    return std::nullopt;
  }

  std::optional<std::pair<std::string, std::vector<std::string>>>
  side_tag(const std::string& tag) const {
    auto side = koji->side_tag(tag);
    if (!side) {
      return std::nullopt;
    }
    return std::pair<std::string, std::vector<std::string>>(side->first, koji->latest_in(tag));
  }

  static std::string spec(const std::string& name, const std::string& version,
                          const std::string& extra_changelog = "") {
    std::string text = source_file("examples/hello-dist-git/hello.spec");
    auto replace = [&text](const std::string& from, const std::string& to) {
      text.replace(text.find(from), from.size(), to);
    };
    replace("Name:           hello", "Name:           " + name);
    replace("Version:        1.2.0", "Version:        " + version);
    if (version != "1.2.0") {
      replace("%changelog\n",
              "%changelog\n* Sat Nov 22 2025 Ferry Bot <alice@fedoraproject.org> - " + version +
                  "-1\n- Update to " + version + "\n" +
                  (extra_changelog.empty() ? "" : extra_changelog + "\n") + "\n");
    }
    return text;
  }

  // rpms/<name> on Forgejo: the config and the spec at 1.2.0 on rawhide and f41.
  void add_package(const std::string& name, const std::string& packit_yaml) {
    forgejo.add_repository("rpms", name,
                           {{name + ".spec", spec(name, "1.2.0")},
                            {"sources", "SHA512 (hello-1.2.0.tar.gz) = 00\n"},
                            {".packit.yaml", packit_yaml}},
                           "rawhide");
    run_git(forgejo.git_dir("rpms", name), {"branch", "f41", "rawhide"});
  }

  // Puts a commit changing the spec to `version` on `branch` of rpms/<name>, as merging a pull
  // request by `author` does (none: a direct push); returns the commit.
  std::string merge_spec_change(const std::string& name, const std::string& branch,
                                const std::string& version, const std::string& author,
                                const std::string& extra_changelog = "") {
    std::filesystem::path work = dir / ("merge-" + name + "-" + branch + "-" + version);
    run_git(dir.path(),
            {"clone", "-q", "-b", branch, forgejo.git_dir("rpms", name).string(), work.string()});
    std::ofstream(work / (name + ".spec"), std::ios::trunc) << spec(name, version, extra_changelog);
    run_git(work, {"commit", "-q", "-a", "-m", "Update to " + version});
    run_git(work, {"push", "-q", "origin", branch});
    std::string commit = trimmed(run_git(work, {"rev-parse", "HEAD"}));
    if (!author.empty()) {
      forgejo.add_merged_pull_request("rpms", name, author, branch, commit);
    }
    return commit;
  }

  // The workspace actions/checkout leaves: the repository at the pushed commit.
  std::filesystem::path checkout(const std::string& name, const std::string& commit) {
    std::filesystem::path workspace = dir / ("workspace-" + name + "-" + commit.substr(0, 8));
    if (!std::filesystem::exists(workspace)) {
      run_git(dir.path(),
              {"clone", "-q", forgejo.git_dir("rpms", name).string(), workspace.string()});
      run_git(workspace, {"checkout", "-q", commit});
    }
    return workspace;
  }

  // Forgejo's push payload (the recorded one, adapted) for `commit` on `branch`.
  static std::string push_payload(const std::string& name, const std::string& branch,
                                  const std::string& commit, const std::string& pusher,
                                  const std::vector<std::string>& modified) {
    auto payload = nlohmann::json::parse(source_file("tests/fixtures/events/forgejo/push.json"));
    payload["ref"] = "refs/heads/" + branch;
    payload["after"] = commit;
    for (auto* entry : {&payload["commits"][0], &payload["head_commit"]}) {
      (*entry)["id"] = commit;
      (*entry)["message"] = "Merge pull request\n";
      (*entry)["added"] = nlohmann::json::array();
      (*entry)["removed"] = nlohmann::json::array();
      (*entry)["modified"] = modified;
    }
    payload["total_commits"] = 1;
    payload["repository"]["name"] = name;
    payload["repository"]["full_name"] = "rpms/" + name;
    payload["repository"]["owner"]["login"] = "rpms";
    payload["repository"]["owner"]["username"] = "rpms";
    payload["repository"]["html_url"] = "https://forgejo.example/rpms/" + name;
    payload["repository"]["clone_url"] = "https://forgejo.example/rpms/" + name + ".git";
    payload["repository"]["default_branch"] = "rawhide";
    for (const char* who : {"pusher", "sender"}) {
      payload[who]["login"] = pusher;
      payload[who]["username"] = pusher;
    }
    return payload.dump(2);
  }

  static std::string without_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
      url.pop_back();
    }
    return url;
  }

  // The environment of a Forgejo Actions step running ferry in rpms/<name>.
  std::map<std::string, std::string> ci_env(const std::string& name,
                                            const std::filesystem::path& workspace,
                                            const std::string& payload) {
    std::string event_file = (dir / ("event-" + name + ".json")).string();
    std::ofstream(event_file, std::ios::trunc) << payload;
    std::ofstream(dir / "output.txt", std::ios::app).flush();
    std::ofstream(dir / "summary.md", std::ios::app).flush();
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", (dir / "home").string()},
        {"GITHUB_ACTIONS", "true"},
        {"FORGEJO_ACTIONS", "true"},
        {"GITHUB_EVENT_NAME", "push"},
        {"GITHUB_EVENT_PATH", event_file},
        {"GITHUB_WORKSPACE", workspace.string()},
        {"GITHUB_REPOSITORY", "rpms/" + name},
        {"GITHUB_SERVER_URL", "https://forgejo.example"},
        {"GITHUB_RUN_ID", "77"},
        {"GITHUB_API_URL", without_slash(forgejo.api_url())},
        {"GITHUB_OUTPUT", (dir / "output.txt").string()},
        {"GITHUB_STEP_SUMMARY", (dir / "summary.md").string()},
        {"INPUT_TOKEN", k_token},
        {"INPUT_FAS_USER", k_user},
        {"INPUT_KEYTAB", keytab_base64},
        {"INPUT_KERBEROS_PRINCIPAL", std::string(k_user) + "@" + KerberosRealm::k_realm},
        {"KRB5_CONFIG", realm->krb5_conf()},
        {"FERRY_KOJI_URL", koji->hub_url("localhost")}, // the service principal is HTTP/localhost
        {"FERRY_BODHI_URL", bodhi->url()},
        {"FERRY_OIDC_URL", bodhi->url() + "/openidc"},
        {"FERRY_KOJI_POLL_INTERVAL", "0.02"},
    };
    for (const char* variable : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
      if (const char* value = std::getenv(variable); value != nullptr) {
        env[variable] = value;
      }
    }
    return env;
  }

  // The CI step for a push of `commit` to `branch` of rpms/<name>.
  std::map<std::string, std::string> push_env(const std::string& name, const std::string& branch,
                                              const std::string& commit,
                                              const std::string& pusher = k_user) {
    return ci_env(name, checkout(name, commit),
                  push_payload(name, branch, commit, pusher, {name + ".spec"}));
  }

  infra::process::ProcessResult run_ferry(const std::map<std::string, std::string>& env,
                                          std::vector<std::string> args = {"run"},
                                          const std::filesystem::path& cwd = {}) {
    auto runner = make_spawn_process_runner();
    infra::process::Command command;
    command.argv = {FERRY_BINARY};
    command.argv.insert(command.argv.end(), args.begin(), args.end());
    command.env = env;
    command.cwd = cwd.empty() ? dir.path() : cwd;
    command.timeout = std::chrono::milliseconds(120'000);
    auto result = runner->run(command);
    if (!result) {
      return infra::process::ProcessResult{-1, "", result.error().describe()};
    }
    return *result;
  }

  // The outputs of the last run (GITHUB_OUTPUT holds every run's; the last value wins).
  nlohmann::json last_output(const std::string& key) const {
    std::string text = read_file(dir / "output.txt");
    std::size_t at = text.rfind("\n" + key + "<<");
    if (at == std::string::npos && text.starts_with(key + "<<")) {
      at = 0;
    } else if (at != std::string::npos) {
      ++at;
    } else {
      return nullptr;
    }
    std::size_t delimiter_start = at + key.size() + 2;
    std::size_t line_end = text.find('\n', delimiter_start);
    std::string delimiter = text.substr(delimiter_start, line_end - delimiter_start);
    std::size_t end = text.find("\n" + delimiter, line_end);
    std::string value = text.substr(line_end + 1, end - line_end - 1);
    return nlohmann::json::parse(value, nullptr, false).is_discarded()
               ? nlohmann::json(value)
               : nlohmann::json::parse(value);
  }

  std::size_t koji_calls(const std::string& method) const {
    std::size_t count = 0;
    for (const auto& call : koji->calls()) {
      count += call.method == method ? 1U : 0U;
    }
    return count;
  }
};

} // namespace ferry::testing
