// The Koji client against FakeKoji over real HTTP (libcurl), logging in with HTTP Negotiate
// through a real MIT KDC started by the test — from the credential cache, and from a keytab
// alone (KRB5_CLIENT_KTNAME, no kinit): a build submitted once and watched to completion, its
// NVR read back; call numbers in sequence; transient 503s retried; a lost answer to `build`
// resolved without a second task; auth refusals failing fast and clearly; the session key
// never logged; failed tasks, side tags, expired sessions and multicall.
#include "clients/fedora/koji/koji_client.hpp"
#include "fakes/fake_koji.hpp"
#include "infra/http/http_client.hpp"
#include "infra/util/keytab.hpp"
#include "support/kerberos_realm.hpp"
#include "support/log_capture.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace ferry;
using namespace ferry::clients::fedora::koji;
using namespace ferry::testing;

namespace {

constexpr const char* k_commit = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";

std::string scm_url(const std::string& package = "python-foo") {
  return dist_git_scm_url("https://src.fedoraproject.org", package, k_commit).value();
}

// A KDC, a fake hub that trusts it, a Fedora-like target and a curl client doing Negotiate.
struct KojiWorld {
  std::unique_ptr<KerberosRealm> realm;
  std::unique_ptr<FakeKoji> hub;
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<KojiClient> client;

  bool start(std::string& why, bool negotiate = true) {
    realm = KerberosRealm::start(why);
    if (!realm) {
      return false;
    }
    FakeKoji::Options options;
    options.negotiate_keytab = realm->service_keytab();
    hub = std::make_unique<FakeKoji>(options);
    hub->add_user("alice", "alice@FERRY.TEST");
    hub->add_target("f41-candidate", "f41-build", "f41-updates-candidate");
    hub->script_build("python-foo", "1.2.3", "1.fc41");
    infra::http::ClientOptions http_options;
    http_options.negotiate = negotiate;
    http_options.retry.base_delay = std::chrono::milliseconds(1);
    http_options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(http_options);
    client = std::make_unique<KojiClient>(*http, settings());
    return true;
  }

  KojiSettings settings() const {
    KojiSettings settings;
    settings.hub_url = hub->hub_url("localhost"); // the service principal is HTTP/localhost
    settings.credentials = "the Kerberos ticket of alice@FERRY.TEST";
    settings.poll = PollPolicy{std::chrono::milliseconds(10), std::chrono::milliseconds(40), 2.0,
                               std::chrono::milliseconds(10'000)};
    return settings;
  }
};

std::size_t count_calls(const FakeKoji& hub, const std::string& method) {
  auto calls = hub.calls();
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(),
                    [&](const FakeKoji::Call& call) { return call.method == method; }));
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("a build is submitted once, watched to completion and its NVR read back",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  ScopedLogCapture log(infra::log::Level::debug);

  auto outcome = world.client->build_and_wait(scm_url(), "f41-candidate");
  REQUIRE(outcome);
  CHECK(world.client->user_name() == "alice");
  REQUIRE(outcome->build);
  CHECK(outcome->build->nvr == "python-foo-1.2.3-1.fc41");
  CHECK(outcome->build->state == BuildState::complete);
  CHECK(outcome->build->task_id == outcome->task_id);
  CHECK(outcome->build->source == scm_url());
  CHECK(outcome->task_url ==
        world.hub->hub_url("localhost").substr(0, world.hub->hub_url("localhost").size() - 8) +
            "/koji/taskinfo?taskID=" + std::to_string(outcome->task_id));
  CHECK(world.hub->build_tasks_created() == 1);
  CHECK(count_calls(*world.hub, "getTaskInfo") >= 2); // FREE/OPEN first, then CLOSED

  // The task was sent as Koji's CLI sends it.
  auto task = world.hub->tasks()[std::to_string(outcome->task_id)];
  CHECK(task["request"] ==
        nlohmann::json::array(
            {scm_url(), "f41-candidate", {{"scratch", false}, {"skip_tag", false}}}));
  CHECK(task["owner"] == 1001); // alice, the first user of the hub

  // Read back through the other lookups.
  auto latest = world.client->latest_builds("f41-updates-candidate", "python-foo");
  REQUIRE(latest);
  REQUIRE(latest->size() == 1);
  CHECK(latest->front().nvr == "python-foo-1.2.3-1.fc41");
  auto info = world.client->build_info("python-foo-1.2.3-1.fc41");
  REQUIRE(info);
  REQUIRE(info->has_value());
  CHECK((*info)->id == outcome->build->id);
  CHECK_FALSE(world.client->build_info("python-foo-9-9.fc41")->has_value());

  // Every call of the session carried the next number, in both headers.
  std::int64_t expected = 0;
  std::string session_key;
  for (const FakeKoji::Call& call : world.hub->calls()) {
    INFO(call.method);
    if (call.method == "sslLogin") {
      CHECK(call.path == "/kojihub/ssllogin");
      CHECK_FALSE(call.callnum);
      continue;
    }
    REQUIRE(call.callnum);
    CHECK(*call.callnum == expected++);
    CHECK(call.session_callnum_header == std::to_string(*call.callnum));
    CHECK_FALSE(call.fault_code);
    session_key = call.session_key.value_or("");
  }
  REQUIRE(session_key.size() > 10);
  // The session key never reaches the log, even at debug level.
  CHECK(log.text().find(session_key) == std::string::npos);
  CHECK(log.text().find("koji: getTaskInfo (session call") != std::string::npos);
  CHECK(log.text().find("built python-foo-1.2.3-1.fc41") != std::string::npos);
}

TEST_CASE("a keytab alone logs in: no kinit, no credential cache",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  std::string keytab = read_bytes(world.realm->user_keytab());
  auto principals = infra::util::keytab_principals(keytab);
  REQUIRE(principals);
  CHECK(*principals == std::vector<std::string>{"alice@FERRY.TEST"});

  auto wrong = infra::util::KeytabLogin::install(keytab, "bob@FERRY.TEST");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().kind() == ErrorKind::config);
  CHECK(wrong.error().message() ==
        "the keytab holds no key of bob@FERRY.TEST (it holds alice@FERRY.TEST): set "
        "kerberos_principal to one of those");
  CHECK_FALSE(infra::util::KeytabLogin::install("not a keytab", ""));

  std::string realm_cache = std::getenv("KRB5CCNAME");
  {
    auto login = infra::util::KeytabLogin::install(keytab, "alice@FERRY.TEST");
    REQUIRE(login);
    CHECK(std::string(std::getenv("KRB5CCNAME")).starts_with("MEMORY:"));
    // Held in memory only, reached through this process's fds.
    CHECK((*login)->keytab_path().string().starts_with("/proc/self/fd/"));
    REQUIRE(world.client->login());
    CHECK(world.client->user_name() == "alice");
    auto task = world.client->submit_build(scm_url(), "f41-candidate");
    REQUIRE(task);
  }
  CHECK(std::string(std::getenv("KRB5CCNAME")) == realm_cache); // restored
  CHECK(std::getenv("KRB5_CLIENT_KTNAME") == nullptr);
}

TEST_CASE("transient 503s are retried, reads and writes alike", "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  TestResponse unavailable{503, {{"Content-Type", "text/html"}}, "Service Unavailable"};
  world.hub->inject("POST /kojihub/build", unavailable, 2);
  world.hub->inject("POST /kojihub/getTaskInfo", unavailable, 3);
  auto outcome = world.client->build_and_wait(scm_url(), "f41-candidate");
  REQUIRE(outcome);
  REQUIRE(outcome->build);
  CHECK(outcome->build->nvr == "python-foo-1.2.3-1.fc41");
  CHECK(world.hub->build_tasks_created() == 1);
}

TEST_CASE("a build whose answer was lost is found, not submitted again",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  SECTION("a gateway error after the hub created the task") {
    world.hub->inject("POST /kojihub/build", TestResponse{502, {}, "Bad Gateway"}, 1, true);
    CHECK(world.hub->build_tasks_created() == 0);
  }
  SECTION("a connection dropped after the hub created the task") {
    TestResponse dropped;
    dropped.fault = Fault::drop;
    world.hub->inject("POST /kojihub/build", dropped, 1, true);
    CHECK(world.hub->build_tasks_created() == 0);
  }
  auto outcome = world.client->build_and_wait(scm_url(), "f41-candidate");
  REQUIRE(outcome);
  CHECK(world.hub->build_tasks_created() == 1);
  REQUIRE(outcome->build);
  CHECK(outcome->build->nvr == "python-foo-1.2.3-1.fc41");
  // The repeat carried the same call number and the hub refused to run it twice.
  auto calls = world.hub->calls();
  auto retried = std::find_if(calls.begin(), calls.end(), [](const FakeKoji::Call& call) {
    return call.method == "build" && call.fault_code == 1009;
  });
  CHECK(retried != calls.end());
  CHECK(count_calls(*world.hub, "listTasks") == 1);
}

TEST_CASE("auth refusals fail fast with a clear message", "[integration][koji][kerberos]") {
  SECTION("a principal the hub does not know") {
    std::string why;
    auto realm = KerberosRealm::start(why);
    if (!realm) {
      FERRY_PREREQUISITE_MISSING(why);
    }
    FakeKoji::Options options;
    options.negotiate_keytab = realm->service_keytab();
    FakeKoji hub(options);
    infra::http::ClientOptions http_options;
    http_options.negotiate = true;
    auto http = infra::http::make_curl_http_client(http_options);
    KojiSettings settings;
    settings.hub_url = hub.hub_url("localhost");
    settings.credentials = "the Kerberos ticket of alice@FERRY.TEST";
    KojiClient client(*http, settings);
    auto task = client.submit_build(scm_url(), "f41-candidate");
    REQUIRE_FALSE(task);
    CHECK(task.error().kind() == ErrorKind::auth);
    CHECK(task.error().message() ==
          "Koji refused the login at " + settings.hub_url +
              "/ssllogin with the Kerberos ticket of alice@FERRY.TEST: Unknown user: "
              "alice@FERRY.TEST (AuthError 1002); the user must exist in Koji (a Fedora account "
              "that has logged in to Koji once)");
    CHECK(count_calls(hub, "sslLogin") == 1);
    CHECK(hub.build_tasks_created() == 0);
  }
  SECTION("no Kerberos ticket offered: the hub's 401 is not retried") {
    KojiWorld world;
    std::string why;
    if (!world.start(why, false)) {
      FERRY_PREREQUISITE_MISSING(why);
    }
    auto login = world.client->login();
    REQUIRE_FALSE(login);
    CHECK(login.error().kind() == ErrorKind::auth);
    CHECK(login.error().message().find("Koji sslLogin answered HTTP 401") == 0);
    CHECK(login.error().message().find("did not accept the Kerberos ticket of alice") !=
          std::string::npos);
    CHECK(world.hub->calls().empty());
  }
  SECTION("sslLogin at the hub URL itself, without a client certificate") {
    FakeKoji hub;
    auto http = infra::http::make_curl_http_client({});
    auto reply = KojiClient(*http, KojiSettings{hub.hub_url(), "nothing", {}, {}}).call("sslLogin");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().kind() == ErrorKind::auth);
    CHECK(reply.error().message().find("could not verify client: None (AuthError 1002)") !=
          std::string::npos);
  }
  SECTION("a write the session user may not do") {
    KojiWorld world;
    std::string why;
    if (!world.start(why)) {
      FERRY_PREREQUISITE_MISSING(why);
    }
    REQUIRE(world.client->login());
    world.hub->inject("POST /kojihub/build",
                      FakeKoji::fault_response(1004, "policy violation (build_from_scm)"), 1);
    auto task = world.client->submit_build(scm_url(), "f41-candidate");
    REQUIRE_FALSE(task);
    CHECK(task.error().kind() == ErrorKind::refused);
    CHECK(task.error().message().find("Koji build failed: policy violation (build_from_scm) "
                                      "(ActionNotAllowed 1004)") == 0);
    CHECK(task.error().message().find("Koji's policy or permissions do not let alice") !=
          std::string::npos);
    CHECK(task.error().message().find("keytab") == std::string::npos);
    CHECK(world.hub->build_tasks_created() == 0);
  }
}

TEST_CASE("the fake hub enforces call numbers like the real one", "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  REQUIRE(world.client->submit_build(scm_url(), "f41-candidate")); // callnum 0 and 1, a write
  auto calls = world.hub->calls();
  const FakeKoji::Call& last = calls.back();
  REQUIRE(last.method == "build");
  auto send = [&](std::int64_t callnum, const std::string& method) {
    infra::http::Request request;
    request.method = infra::http::Method::post;
    request.url = world.hub->hub_url();
    request.body = xmlrpc::encode_call(method, {}).value();
    request.headers = {{"Koji-Session-Id", std::to_string(*last.session_id)},
                       {"Koji-Session-Key", *last.session_key},
                       {"Koji-Callnum", std::to_string(callnum)}};
    auto response = infra::http::make_curl_http_client({})->send(request);
    REQUIRE(response);
    return xmlrpc::decode_response(response->body, "test").value();
  };
  CHECK(std::get<xmlrpc::Fault>(send(*last.callnum, "hello")).code == 1009);     // a repeat
  CHECK(std::get<xmlrpc::Fault>(send(*last.callnum - 1, "hello")).code == 1008); // backwards
  CHECK(std::get<xmlrpc::Value>(send(*last.callnum + 5, "hello")) == xmlrpc::Value("Hello World"));
  // Reads do not store their number: the same number may come again.
  CHECK(std::get<xmlrpc::Value>(send(*last.callnum + 5, "hello")) == xmlrpc::Value("Hello World"));
}

TEST_CASE("a failed build task reports the builder's reason and its URL",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  SECTION("the build fails") {
    world.hub->fail_next_build("python-foo", "BuildError: error building package (arch x86_64), "
                                             "mock exited with status 1");
    auto outcome = world.client->build_and_wait(scm_url(), "f41-candidate");
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::process);
    CHECK(outcome.error().message().find("failed: BuildError: error building package") !=
          std::string::npos);
    CHECK(outcome.error().message().find("/koji/taskinfo?taskID=") != std::string::npos);
    auto builds = world.hub->builds();
    REQUIRE(builds.size() == 1);
    CHECK(builds[0]["state"] == 3); // FAILED
  }
  SECTION("an unknown target is accepted by the call and fails in the task") {
    auto outcome = world.client->build_and_wait(scm_url(), "f99");
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().message().find("Koji build task") == 0);
    CHECK(outcome.error().message().find("for f99 failed: unknown build target: f99") !=
          std::string::npos);
  }
}

TEST_CASE("side tags are created from the target's build tag and built into",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  auto target = world.client->build_target("f41-candidate");
  REQUIRE(target);
  REQUIRE(target->has_value());
  CHECK((*target)->build_tag_name == "f41-build");
  CHECK((*target)->dest_tag_name == "f41-updates-candidate");
  CHECK_FALSE(world.client->build_target("f99-candidate")->has_value());

  auto side_tag = world.client->create_side_tag((*target)->build_tag_name);
  REQUIRE(side_tag);
  CHECK(side_tag->name == "f41-build-side-" + std::to_string(side_tag->id));
  auto listed = world.client->side_tags("f41-build", "alice");
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().name == side_tag->name);
  CHECK(world.client->side_tags("f41-build", "bob")->empty());

  auto outcome = world.client->build_and_wait(scm_url(), side_tag->name);
  REQUIRE(outcome);
  auto tagged = world.client->tagged_builds(side_tag->name, "python-foo", true, false);
  REQUIRE(tagged);
  REQUIRE(tagged->size() == 1);
  CHECK(tagged->front().nvr == "python-foo-1.2.3-1.fc41");
  auto missing = world.client->tagged_builds("f99-build", "python-foo", true, false);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() ==
        "Koji listTagged failed: No such tagInfo: 'f99-build' (GenericError 1000)");
}

TEST_CASE("an expired session is replaced and the call goes through",
          "[integration][koji][kerberos]") {
  KojiWorld world;
  std::string why;
  if (!world.start(why)) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  REQUIRE(world.client->login());
  world.hub->expire_sessions();
  auto task = world.client->submit_build(scm_url(), "f41-candidate");
  REQUIRE(task);
  CHECK(count_calls(*world.hub, "sslLogin") == 2);
  CHECK(world.hub->build_tasks_created() == 1);
}

TEST_CASE("multicall answers each call in order, faults included", "[integration][koji]") {
  FakeKoji hub;
  hub.add_build("python-foo-1.0-1.fc41", "f41-updates");
  auto http = infra::http::make_curl_http_client({});
  KojiSettings settings;
  settings.hub_url = hub.hub_url();
  KojiClient client(*http, settings);
  auto replies = client.multicall(
      {{"hello", {}}, {"getBuild", xmlrpc::Array{"python-foo-1.0-1.fc41"}}, {"nope", {}}});
  REQUIRE(replies);
  REQUIRE(replies->size() == 3);
  CHECK(std::get<xmlrpc::Value>((*replies)[0]) == xmlrpc::Value("Hello World"));
  CHECK(std::get<xmlrpc::Value>((*replies)[1]).string_member("nvr") == "python-foo-1.0-1.fc41");
  CHECK(std::get<xmlrpc::Fault>((*replies)[2]) == xmlrpc::Fault{1000, "Invalid method: nope"});
  CHECK(client.call("getKojiVersion").value() == xmlrpc::Value("1.35.3"));
  auto latest = client.latest_builds("f41-updates", "python-foo");
  REQUIRE(latest);
  REQUIRE(latest->size() == 1);
  CHECK(latest->front().version == "1.0");
  CHECK(latest->front().release == "1.fc41");
}
