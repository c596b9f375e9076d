// The Bodhi OIDC login's parsing, the update form, the session's cookie and CSRF handling and
// the updates client's decisions, against FakeHttpClient; Update parsing against the real
// Bodhi answer recorded in the shared corpus.
#include "clients/fedora/bodhi/oidc_login.hpp"
#include "clients/fedora/bodhi/updates_client.hpp"
#include "support/fake_http_client.hpp"
#include "support/skip.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ferry;
using namespace ferry::clients::fedora::bodhi;
using ferry::testing::FakeHttpClient;

namespace {

infra::http::Response answer(long status, std::string body, infra::http::Headers headers = {}) {
  infra::http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

const std::string k_update =
    R"({"alias":"FEDORA-2025-0123456789","status":"pending","request":"testing",)"
    R"("type":"enhancement","release":{"name":"F41"},"user":{"name":"packager"},)"
    R"("from_tag":null,"builds":[{"nvr":"hello-1.1-1.fc41"}]})";

void log_in(FakeHttpClient& http) {
  http.on("GET /oidc/login-token",
          answer(202, "", {{"Set-Cookie", "auth_tkt=ticket-abcdef; Path=/"}}));
  http.on("GET /csrf", answer(200, R"({"csrf_token":"csrf-111111"})",
                              {{"Set-Cookie", "session=sess-222222; Path=/; HttpOnly"}}));
}

BodhiSession session(FakeHttpClient& http) {
  return BodhiSession(http, "https://bodhi.example.org/",
                      []() -> Result<std::string> { return std::string("access-token-0123"); });
}

} // namespace

TEST_CASE("the OIDC code is read from the page title and checked against the state",
          "[clients][bodhi]") {
  auto code = code_from_title("<html><head><title>\n code=abc123&state=s7 \n</title>", "s7");
  REQUIRE(code);
  CHECK(*code == "abc123");
  CHECK(code_from_title("<title>code=abc123&state=other</title>", "s7").error().kind() ==
        ErrorKind::auth);
  CHECK_FALSE(code_from_title("<title>Log In</title>", "s7"));
  CHECK_FALSE(code_from_title("no title at all", "s7"));
}

TEST_CASE("the discovery document gives the endpoints and the redirect", "[clients][bodhi]") {
  auto oob = parse_discovery(R"({"authorization_endpoint":"https://id/a","token_endpoint":)"
                             R"("https://id/t","response_modes_supported":["query","oob"]})");
  REQUIRE(oob);
  CHECK(oob->redirect_uri == "urn:ietf:wg:oauth:2.0:oob");
  auto local = parse_discovery(R"({"authorization_endpoint":"a","token_endpoint":"t"})");
  REQUIRE(local);
  CHECK(local->redirect_uri == "http://localhost:45678/auth");
  CHECK_FALSE(parse_discovery(R"({"authorization_endpoint":"a"})"));

  std::filesystem::path recorded(FERRY_SOURCE_DIR "/../shared/corpus/recorded/id.fedoraproject.org/"
                                                  "0001-GET-openidc-.well-known-openid-"
                                                  "configuration.json");
  if (!std::filesystem::exists(recorded)) {
    FERRY_PREREQUISITE_MISSING("shared corpus absent: " << recorded);
  }
  std::ifstream in(recorded);
  auto exchange = nlohmann::json::parse(in);
  auto real = parse_discovery(exchange["response_body"].dump());
  REQUIRE(real);
  CHECK(real->token_endpoint == "https://id.fedoraproject.org/openidc/Token");
  CHECK(real->redirect_uri == "urn:ietf:wg:oauth:2.0:oob");
}

TEST_CASE("the update form sends lists as Bodhi reads them and lets Packit's keys win",
          "[clients][bodhi]") {
  UpdateForm form;
  form.builds = {"a-1-1.fc41", "b-2-1.fc41"};
  form.notes = "notes";
  form.bugs = {"2301234", "2301235"};
  form.extra = {{"stable_karma", "2"}, {"notes", "overridden?"}, {"csrf_token", "x"}};
  Form fields = to_form(form);
  Form expected = {{"builds", "a-1-1.fc41"}, {"builds", "b-2-1.fc41"},    {"notes", "notes"},
                   {"type", "enhancement"},  {"bugs", "2301234,2301235"}, {"stable_karma", "2"}};
  CHECK(fields == expected);
}

TEST_CASE("an Update is read from Bodhi's recorded answer", "[clients][bodhi][corpus]") {
  std::filesystem::path recorded(FERRY_SOURCE_DIR "/../shared/corpus/recorded/"
                                                  "bodhi.fedoraproject.org/"
                                                  "0005-GET-updates--packages-python-requre.json");
  if (!std::filesystem::exists(recorded)) {
    FERRY_PREREQUISITE_MISSING("shared corpus absent: " << recorded);
  }
  std::ifstream in(recorded);
  auto exchange = nlohmann::json::parse(in);
  auto update = parse_update(exchange["response_body"]["updates"][0].dump(),
                             "https://bodhi.fedoraproject.org");
  REQUIRE(update);
  CHECK(update->alias == "FEDORA-2021-63331f9029");
  CHECK(update->url == "https://bodhi.fedoraproject.org/updates/FEDORA-2021-63331f9029");
  CHECK(update->release == "F33");
  CHECK(update->status == "stable");
  CHECK(update->builds == std::vector<std::string>{"python-requre-0.8.1-2.fc33"});
  CHECK_FALSE(update->from_tag);
}

TEST_CASE("writes carry the session cookies and the CSRF token", "[clients][bodhi]") {
  FakeHttpClient http;
  log_in(http);
  http.on("GET /updates/?builds=hello-1.1-1.fc41&rows_per_page=100", 200,
          R"({"updates":[],"page":1,"pages":0,"total":0})");
  http.on("POST /updates/", 200, k_update);
  BodhiSession bodhi = session(http);
  UpdateForm form;
  form.builds = {"hello-1.1-1.fc41"};
  form.notes = "Automatic update for hello-1.1-1.fc41.";
  auto outcome = UpdatesClient(bodhi).submit(form);
  REQUIRE(outcome);
  CHECK(outcome->action == SubmitAction::created);
  CHECK(outcome->updates.front().url == "https://bodhi.example.org/updates/FEDORA-2025-0123456789");
  const auto& requests = http.requests();
  REQUIRE(requests.size() == 4);
  CHECK(infra::http::find_header(requests[1].headers, "Authorization") == // after the look-up
        "Bearer access-token-0123");
  const auto& post = requests[3];
  CHECK(infra::http::find_header(post.headers, "Cookie") ==
        "auth_tkt=ticket-abcdef; session=sess-222222");
  CHECK(post.body == "builds=hello-1.1-1.fc41&notes=Automatic%20update%20for%20hello-1.1-1."
                     "fc41.&type=enhancement&csrf_token=csrf-111111");
  CHECK(http.unexpected().empty());
}

TEST_CASE("a refused login token fails fast without asking again", "[clients][bodhi]") {
  FakeHttpClient http;
  http.on("GET /oidc/login-token", 401, R"({"error":"invalid_token"})");
  BodhiSession bodhi = session(http);
  auto response = bodhi.post_form("/updates/", {{"notes", "x"}});
  REQUIRE_FALSE(response);
  CHECK(response.error().kind() == ErrorKind::auth);
  CHECK(response.error().message().find("kerberos_principal") != std::string::npos);
  CHECK(http.requests().size() == 1);
}

TEST_CASE("without credentials the session says which settings to give", "[clients][bodhi]") {
  FakeHttpClient http;
  BodhiSession bodhi(http, "https://bodhi.example.org", nullptr);
  auto response = bodhi.post_form("/updates/", {});
  REQUIRE_FALSE(response);
  CHECK(response.error().kind() == ErrorKind::auth);
  CHECK(response.error().message().find("`keytab`") != std::string::npos);
  CHECK(http.requests().empty());
}

TEST_CASE("a CSRF mismatch is retried once with a fresh token, not more", "[clients][bodhi]") {
  FakeHttpClient http;
  log_in(http);
  std::string mismatch = R"({"status":"error","errors":[{"location":"body","name":"csrf_token",)"
                         R"("description":"CSRF tokens do not match."}]})";
  http.on("POST /updates/", 400, mismatch);
  BodhiSession bodhi = session(http);
  auto response = bodhi.post_form("/updates/", {{"notes", "x"}});
  REQUIRE(response);
  CHECK(response->status == 400); // the second mismatch is the caller's to report
  int posts = 0;
  int csrf = 0;
  for (const auto& request : http.requests()) {
    posts += request.method == infra::http::Method::post ? 1 : 0;
    csrf += request.url.ends_with("/csrf") ? 1 : 0;
  }
  CHECK(posts == 2);
  CHECK(csrf == 2);
}

TEST_CASE("Bodhi's Cornice errors become messages with their descriptions", "[clients][bodhi]") {
  infra::http::Response response =
      answer(400, R"({"status":"error","errors":[{"location":"body","name":"builds","description":)"
                  R"("Build does not exist: x-1-1.fc41"},{"location":"body","name":"notes",)"
                  R"("description":"Required"}]})");
  Error error = bodhi_error(response, "the update for x-1-1.fc41");
  CHECK(error.kind() == ErrorKind::http_status);
  CHECK(error.message() == "Bodhi refused the update for x-1-1.fc41 (HTTP 400: Build does not "
                           "exist: x-1-1.fc41; Required)");
  CHECK(bodhi_error(answer(403, "Forbidden"), "it").kind() == ErrorKind::auth);
  CHECK(bodhi_error(answer(404, "{}"), "it").kind() == ErrorKind::not_found);
}
