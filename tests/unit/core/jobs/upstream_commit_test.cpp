// Check names, Packit's default Copr project names, the timestamps of comments and services,
// and the titles of copr_build and tests checks.
#include "core/jobs/copr_build.hpp"
#include "core/jobs/tests_job.hpp"
#include "core/jobs/upstream_commit.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::jobs;

namespace {

UpstreamCommit pull_request_commit() {
  UpstreamCommit commit;
  commit.repo = {"hello-org", "hello"};
  commit.forge_host = "github.com";
  commit.trigger = "pull_request";
  commit.pr_number = 7;
  commit.branch = "main";
  return commit;
}

} // namespace

TEST_CASE("check names follow Packit's pattern", "[unit][jobs][upstream]") {
  UpstreamCommit commit = pull_request_commit();
  CHECK(check_name("rpm-build", commit, "fedora-41-x86_64") == "rpm-build:fedora-41-x86_64");
  CHECK(check_name("testing-farm", commit, "fedora-rawhide-x86_64", "smoke") ==
        "testing-farm:fedora-rawhide-x86_64:smoke");
  commit.trigger = "commit";
  commit.pr_number.reset();
  CHECK(check_name("rpm-build", commit, "fedora-41-x86_64") == "rpm-build:main:fedora-41-x86_64");
  commit.trigger = "release";
  commit.tag = "v1:2";
  CHECK(check_name("rpm-build", commit, "epel-9-x86_64") == "rpm-build:v1-2:epel-9-x86_64");
}

TEST_CASE("default Copr projects are named as Packit names them", "[unit][jobs][upstream]") {
  UpstreamCommit commit = pull_request_commit();
  CHECK(default_copr_project(commit) == "hello-org-hello-7");
  commit.trigger = "commit";
  commit.pr_number.reset();
  CHECK(default_copr_project(commit) == "hello-org-hello-main");
  commit.trigger = "release";
  CHECK(default_copr_project(commit) == "hello-org-hello-releases");
  commit = pull_request_commit();
  commit.on_github = false;
  commit.forge_host = "gitlab.com";
  commit.repo = {"group/sub", "hello"};
  CHECK(default_copr_project(commit) == "gitlab.com-group-sub-hello-7");
}

TEST_CASE("timestamps of forges and services are read as UTC", "[unit][jobs][upstream]") {
  CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp("2025-06-10T12:00:00Z") == 1749556800);
  CHECK(parse_timestamp("2025-06-10T12:00:00.123456") == 1749556800);
  CHECK(parse_timestamp("2025-06-10T14:00:00+02:00") == 1749556800);
  CHECK(parse_timestamp("2025-06-10T11:30:00-0030") == 1749556800);
  CHECK(parse_timestamp("2025-06-10 12:00:00 UTC") == 1749556800);
  CHECK_FALSE(parse_timestamp(""));
  CHECK_FALSE(parse_timestamp("yesterday"));
  CHECK_FALSE(parse_timestamp("2025-13-10T12:00:00Z"));
  CHECK_FALSE(parse_timestamp("2025-06-10T12:00:00 CEST"));
}

TEST_CASE("the last path segment of a URL", "[unit][jobs][upstream]") {
  CHECK(last_path_segment("https://copr.example/coprs/o/p/build/8000001/") == "8000001");
  CHECK(last_path_segment("https://artifacts.testing-farm.io/abc-def") == "abc-def");
  CHECK(last_path_segment("plain") == "plain");
}

TEST_CASE("check titles follow the Copr and Testing Farm states", "[unit][jobs][upstream]") {
  CHECK(copr_state_title("importing", "waiting") == "SRPM build is in progress...");
  CHECK(copr_state_title("pending", "pending") ==
        "SRPM build succeeded. Waiting for RPM build to start...");
  CHECK(copr_state_title("running", "running") == "RPM build is in progress...");
  CHECK(copr_state_title("succeeded", "succeeded") == "RPMs were built successfully.");
  CHECK(copr_state_title("failed", "failed") == "RPMs failed to be built.");

  ferry::clients::fedora::testing_farm::RequestStatus status;
  status.state = "queued";
  CHECK(tests_state_title(status) == "Tests have been submitted ...");
  status.state = "running";
  CHECK(tests_state_title(status) == "Tests are running ...");
  status.state = "complete";
  status.overall = "passed";
  CHECK(tests_state_title(status) == "Tests passed ...");
  status.overall = "failed";
  CHECK(tests_state_title(status) == "Tests failed ...");
  status.state = "error";
  status.summary = "Guest provisioning failed";
  CHECK(tests_state_title(status) == "Testing Farm could not run the tests: Guest provisioning "
                                     "failed");
}
