// The Koji client's pure parts and its reactions to single answers, with a scripted
// HttpClient: SCM URLs, branch targets, web URLs, HTTP errors, unexpected values, and the wait
// for a task that never finishes (the scripted hub answers the same state forever).
#include "clients/fedora/koji/koji_client.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::fedora::koji;
using ferry::testing::FakeHttpClient;

namespace {

std::string response_xml(const xmlrpc::Value& value) {
  return xmlrpc::encode_response(xmlrpc::Reply(value)).value();
}

KojiSettings quick_settings() {
  KojiSettings settings;
  settings.hub_url = "https://koji.example.test/kojihub";
  settings.sleep = [](std::chrono::milliseconds) {};
  return settings;
}

} // namespace

TEST_CASE("dist-git SCM URLs name a full commit", "[unit][koji]") {
  std::string sha = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
  CHECK(dist_git_scm_url("https://src.fedoraproject.org/", "python-foo", sha).value() ==
        "git+https://src.fedoraproject.org/rpms/python-foo.git#" + sha);
  auto short_sha = dist_git_scm_url("https://src.fedoraproject.org", "foo", "4f1c2d3");
  REQUIRE_FALSE(short_sha);
  CHECK(short_sha.error().kind() == ErrorKind::config);
  CHECK(short_sha.error().message().find("full 40-character commit") != std::string::npos);
  CHECK_FALSE(dist_git_scm_url("https://src.fedoraproject.org", "a/b", sha));
  CHECK_FALSE(dist_git_scm_url("ssh://pkgs.fedoraproject.org", "foo", sha));
}

TEST_CASE("branches map to packit's build targets", "[unit][koji]") {
  CHECK(build_target_for_branch("rawhide") == "rawhide");
  CHECK(build_target_for_branch("main") == "rawhide");
  CHECK(build_target_for_branch("f41") == "f41-candidate");
  CHECK(build_target_for_branch("epel9") == "epel9-candidate");
}

TEST_CASE("task states and their names follow koji.TASK_STATES", "[unit][koji]") {
  CHECK(static_cast<int>(TaskState::failed) == 5);
  CHECK(to_string(TaskState::assigned) == "ASSIGNED");
  CHECK(is_finished(TaskState::closed));
  CHECK(is_finished(TaskState::canceled));
  CHECK(is_finished(TaskState::failed));
  CHECK_FALSE(is_finished(TaskState::open));
  CHECK(to_string(BuildState::complete) == "COMPLETE");
}

TEST_CASE("task URLs point at the web UI next to the hub", "[unit][koji]") {
  FakeHttpClient http;
  KojiClient client(http, quick_settings());
  CHECK(client.task_url(124577301) == "https://koji.example.test/koji/taskinfo?taskID=124577301");
}

TEST_CASE("an anonymous read is one POST of text/xml to the hub", "[unit][koji]") {
  FakeHttpClient http;
  http.on("POST /kojihub", 200, response_xml(xmlrpc::Value()));
  KojiClient client(http, quick_settings());
  auto task = client.task(7);
  REQUIRE(task);
  CHECK_FALSE(task->has_value());
  REQUIRE(http.requests().size() == 1);
  const auto& request = http.requests()[0];
  CHECK(infra::http::find_header(request.headers, "Content-Type") == "text/xml");
  CHECK_FALSE(infra::http::find_header(request.headers, "Koji-Session-Id"));
  CHECK(request.body.find("<methodName>getTaskInfo</methodName>") != std::string::npos);
  CHECK(http.unexpected().empty());
}

TEST_CASE("HTTP errors and odd answers become errors naming the call", "[unit][koji]") {
  FakeHttpClient http;
  KojiClient client(http, quick_settings());
  SECTION("a proxy error page") {
    http.on("POST /kojihub", 502, "<html>Bad Gateway</html>");
    auto result = client.build_info("foo-1-1.fc41");
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::http_status);
    CHECK(result.error().message().find("Koji getBuild answered HTTP 502") == 0);
  }
  SECTION("a build that is not a struct") {
    http.on("POST /kojihub", 200, response_xml(xmlrpc::Value("surprise")));
    auto result = client.build_info("foo-1-1.fc41");
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("Koji getBuild answered with an unexpected value") == 0);
  }
  SECTION("a list of builds where one lacks its nvr") {
    http.on("POST /kojihub", 200,
            response_xml(xmlrpc::Array{xmlrpc::Struct{{"build_id", 1}, {"state", 1}}}));
    auto result = client.builds_of_task(3);
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("listBuilds") != std::string::npos);
  }
  SECTION("an unknown method fault") {
    http.on("POST /kojihub", 200,
            xmlrpc::encode_response(xmlrpc::Fault{1000, "Invalid method: nope"}).value());
    auto result = client.call("nope");
    REQUIRE_FALSE(result);
    CHECK(result.error().message() == "Koji nope failed: Invalid method: nope (GenericError 1000)");
  }
}

TEST_CASE("a task that never finishes times out with its URL", "[unit][koji]") {
  FakeHttpClient http;
  http.on("POST /kojihub", 200,
          response_xml(xmlrpc::Struct{{"id", 5}, {"state", 1}, {"method", "build"}}));
  KojiSettings settings = quick_settings();
  std::chrono::milliseconds slept{0};
  settings.sleep = [&](std::chrono::milliseconds delay) { slept += delay; };
  settings.poll = PollPolicy{std::chrono::milliseconds(100), std::chrono::milliseconds(400), 2.0,
                             std::chrono::milliseconds(2000)};
  KojiClient client(http, settings);
  auto result = client.wait_for_task(5);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::timeout);
  CHECK(result.error().message().find("Koji task 5 is still OPEN") == 0);
  CHECK(result.error().message().find("taskinfo?taskID=5") != std::string::npos);
  // 100 + 200 + 400 + 400 ... until 2000 ms: the back-off grows, then stays capped.
  CHECK(slept >= std::chrono::milliseconds(2000));
  CHECK(slept < std::chrono::milliseconds(2400));
  CHECK(http.requests().size() == 8);
}
