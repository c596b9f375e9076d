// `ferry koji-build` and `ferry create-update` against the real Koji hub 1.35.3 and the real
// Bodhi 8.1.1 (../shared/peers, bin/peer-koji): a client-certificate login over real TLS and a
// Kerberos login through mod_auth_gssapi; the task driven FREE → OPEN → CLOSED by the peer's
// builder through the hub's host API; the NVR found on a rerun (no second task); a certificate
// the hub's CA did not sign refused once, not retried, and later branches not attempted; a
// branch without a build target failing before a task is submitted; the hub in maintenance; one
// Bodhi update from the build, not a second on a rerun. Dist-git is a git smart-HTTP server on
// loopback, which the builder reads the spec from.
#include "peers/real_koji.hpp"
#include "peers/real_pagure.hpp"
#include "support/git_http_server.hpp"
#include "support/spawn_process_runner.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>

using namespace ferry::testing;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

std::string describe(const Run& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" +
         run.err;
}

// A dist-git repository rpms/hello with branches of the example spec, served read-only over
// smart HTTP on loopback, and a checkout of it (what `ferry koji-build` runs in).
struct DistGit {
  TempDir dir;
  std::unique_ptr<GitHttpServer> server;
  std::filesystem::path bare = dir / "srv" / "rpms" / "hello.git";
  std::filesystem::path checkout = dir / "hello";

  explicit DistGit(const std::vector<std::string>& branches) {
    GitServerOptions options;
    options.root = dir / "srv";
    options.anonymous_read = true;
    std::filesystem::create_directories(bare);
    run_git(bare, {"init", "-q", "--bare"});
    std::filesystem::path work = dir / "work";
    run_git(dir.path(), {"init", "-q", work.string()});
    dir.write("work/hello.spec", read_file(std::filesystem::path(FERRY_SOURCE_DIR) /
                                           "examples/hello-dist-git/hello.spec"));
    run_git(work, {"add", "hello.spec"});
    run_git(work, {"commit", "-q", "-m", "hello 1.2.0"});
    for (const std::string& branch : branches) {
      run_git(work, {"push", "-q", bare.string(), "HEAD:refs/heads/" + branch});
    }
    run_git(dir.path(), {"clone", "-q", bare.string(), checkout.string()});
    server = std::make_unique<GitHttpServer>(options);
  }

  // A new Release on `branch`, pushed and fetched into the checkout; returns the commit.
  std::string bump_release(const std::string& branch, int release) {
    std::filesystem::path work = dir / ("bump-" + branch);
    std::filesystem::remove_all(work);
    run_git(dir.path(), {"clone", "-q", "-b", branch, bare.string(), work.string()});
    std::string spec = read_file(work / "hello.spec");
    std::size_t at = spec.find("Release:");
    REQUIRE(at != std::string::npos);
    std::size_t value = spec.find_first_not_of(' ', at + 8);
    spec.replace(value, spec.find('%', value) - value, std::to_string(release));
    std::ofstream(work / "hello.spec", std::ios::trunc) << spec;
    run_git(work, {"commit", "-q", "-a", "-m", "rebuild"});
    run_git(work, {"push", "-q", "origin", branch});
    run_git(checkout, {"fetch", "-q", "origin"});
    return run_git(work, {"rev-parse", "HEAD"});
  }

  std::string base_url() const {
    std::string url = server->repo_url("rpms/hello");
    return url.substr(0, url.find("/rpms/hello.git"));
  }
};

// ferry's environment outside CI: the hub, its CA, the KDC, Bodhi and its IdP, dist-git.
std::map<std::string, std::string> ferry_env(const RealKoji& koji, const DistGit& dist_git,
                                             const std::filesystem::path& home) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", home.string()},
      {"SSL_CERT_FILE", koji.ca_cert()},        {"KRB5_CONFIG", koji.krb5_conf()},
      {"FERRY_KOJI_URL", koji.hub_url()},       {"FERRY_DIST_GIT_URL", dist_git.base_url()},
      {"FERRY_KOJI_POLL_INTERVAL", "0.5"},      {"FERRY_FAS_USER", "alice"},
      {"FERRY_BODHI_URL", koji.bodhi_url()},    {"FERRY_OIDC_URL", koji.oidc_url()},
  };
  for (const char* variable : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(variable); value != nullptr) {
      env[variable] = value;
    }
  }
  return env;
}

std::map<std::string, std::string> with_cert(std::map<std::string, std::string> env,
                                             const std::string& pem) {
  env["FERRY_FEDORA_CERT"] = pem;
  return env;
}

std::map<std::string, std::string> with_keytab(std::map<std::string, std::string> env,
                                               const RealKoji& koji) {
  env["FERRY_KEYTAB"] = koji.user_keytab_base64();
  env["FERRY_KERBEROS_PRINCIPAL"] = koji.user_principal();
  return env;
}

Run run_ferry(const std::map<std::string, std::string>& env, const std::filesystem::path& checkout,
              std::vector<std::string> args) {
  auto runner = make_spawn_process_runner();
  ferry::infra::process::Command command;
  command.argv = {FERRY_BINARY};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.env = env;
  command.cwd = checkout;
  command.timeout = std::chrono::minutes(5);
  auto started = std::chrono::steady_clock::now();
  auto result = runner->run(command);
  Run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!result) {
    run.err = result.error().describe();
    return run;
  }
  run.exit_code = result->exit_code;
  run.out = result->out;
  run.err = result->err;
  return run;
}

// A certificate and key for CN=alice that the hub's CA never signed.
std::string self_signed_pem(const TempDir& dir) {
  std::string key = (dir / "stranger.key").string();
  std::string cert = (dir / "stranger.crt").string();
  auto runner = make_spawn_process_runner();
  ferry::infra::process::Command command;
  command.argv = {"openssl", "req",  "-x509", "-newkey", "rsa:2048",  "-nodes", "-keyout",
                  key,       "-out", cert,    "-subj",   "/CN=alice", "-days",  "2"};
  command.env = {{"PATH", "/usr/bin:/bin"}};
  auto result = runner->run(command);
  REQUIRE(result);
  REQUIRE(result->exit_code == 0);
  return read_file(cert) + read_file(key);
}

bool has_line(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("ferry koji-build and create-update against the real Koji hub and Bodhi",
          "[peers][koji][bodhi]") {
  RealKoji koji({"f43", "f42"});
  koji.start_bodhi();
  koji.start_builder();
  DistGit dist_git({"f43", "f42", "f41"});
  TempDir home;
  auto env = ferry_env(koji, dist_git, home.path());
  auto cert_env = with_cert(env, koji.user_pem());

  // A client certificate over real TLS: one task, FREE → OPEN → CLOSED by the builder.
  Run built = run_ferry(cert_env, dist_git.checkout, {"koji-build", "--dist-git-branch", "f43"});
  INFO(describe(built));
  REQUIRE(built.exit_code == 0);
  CHECK(
      has_line(built.out, "hello f43: success (built): hello-1.2.0-1.fc43 built in f43-candidate"));
  auto tasks = koji.build_tasks();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].at("state") == 2);                                        // CLOSED
  CHECK(koji.call({"getBuild", "'hello-1.2.0-1.fc43'"}).at("state") == 1); // COMPLETE
  WARN("real hub: first build " << built.seconds << " s");

  // The same commit again: the NVR is found, nothing is submitted.
  Run again = run_ferry(cert_env, dist_git.checkout, {"koji-build", "--dist-git-branch", "f43"});
  INFO(describe(again));
  CHECK(again.exit_code == 0);
  CHECK(has_line(again.out, "skipped (already_built)"));
  CHECK(koji.build_tasks().size() == 1);

  // Kerberos through mod_auth_gssapi, from the keytab (no kinit).
  Run kerberos = run_ferry(with_keytab(env, koji), dist_git.checkout,
                           {"koji-build", "--dist-git-branch", "f42"});
  INFO(describe(kerberos));
  CHECK(kerberos.exit_code == 0);
  CHECK(has_line(kerberos.out, "hello f42: success (built): hello-1.2.0-1.fc42"));
  CHECK(koji.build_tasks().size() == 2);

  // A certificate the hub's CA did not sign: refused in the TLS handshake, said once, not
  // retried; the second branch is not attempted.
  dist_git.bump_release("f43", 2);
  dist_git.bump_release("f42", 2);
  Run stranger = run_ferry(with_cert(env, self_signed_pem(home)), dist_git.checkout,
                           {"koji-build", "--dist-git-branch", "f43", "--dist-git-branch", "f42"});
  INFO(describe(stranger));
  CHECK(stranger.exit_code == 1);
  CHECK(has_line(stranger.out + stranger.err, "refused the client certificate"));
  CHECK(has_line(stranger.out, "hello f43: failed (auth_failed)"));
  CHECK(has_line(stranger.out, "hello f42: failed (not_attempted)"));
  CHECK_FALSE(has_line(stranger.err, "retrying in"));
  CHECK(koji.build_tasks().size() == 2);

  // No build target for the branch: told before a task is submitted.
  Run no_target =
      run_ferry(cert_env, dist_git.checkout, {"koji-build", "--dist-git-branch", "f41"});
  INFO(describe(no_target));
  CHECK(no_target.exit_code == 1);
  CHECK(has_line(no_target.out, "hello f41: failed (unknown_target): Koji has no build target "
                                "f41-candidate for dist-git branch f41"));
  CHECK(koji.build_tasks().size() == 2);

  // The hub in maintenance (ServerOffline): a clear failure, nothing submitted; then it builds.
  koji.set_maintenance(true);
  Run offline = run_ferry(cert_env, dist_git.checkout, {"koji-build", "--dist-git-branch", "f43"});
  koji.set_maintenance(false);
  INFO(describe(offline));
  CHECK(offline.exit_code == 1);
  CHECK(has_line(offline.out + offline.err, "Koji is down for maintenance"));
  CHECK(koji.build_tasks().size() == 2);
  Run rebuilt = run_ferry(cert_env, dist_git.checkout, {"koji-build", "--dist-git-branch", "f43"});
  INFO(describe(rebuilt));
  CHECK(rebuilt.exit_code == 0);
  CHECK(has_line(rebuilt.out, "hello-1.2.0-2.fc43 built in f43-candidate"));
  CHECK(koji.build_tasks().size() == 3);

  // One Bodhi update from the build, logged in through the IdP with the keytab; not twice.
  Run update = run_ferry(with_keytab(env, koji), dist_git.checkout,
                         {"create-update", "--dist-git-branch", "f43"});
  INFO(describe(update));
  CHECK(update.exit_code == 0);
  CHECK(has_line(update.out, "update: "));
  CHECK(koji.bodhi_updates("hello-1.2.0-2.fc43").size() == 1);
  Run update_again = run_ferry(with_keytab(env, koji), dist_git.checkout,
                               {"create-update", "--dist-git-branch", "f43"});
  INFO(describe(update_again));
  CHECK(update_again.exit_code == 0);
  CHECK(has_line(update_again.out, "skipped (update_exists)"));
  CHECK(koji.bodhi_updates("hello-1.2.0-2.fc43").size() == 1);
}
