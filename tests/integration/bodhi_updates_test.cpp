// Bodhi updates over real libcurl against FakeBodhi and its fake identity provider: the login
// with a Kerberos ticket from a real KDC (OIDC code in the page title -> token -> auth_tkt ->
// CSRF), one update per set of builds however often the job runs, builds already in another
// update named, a side tag's update edited instead of duplicated, a rotated CSRF token
// survived, refusals that say what the account lacks, lost answers reconciled, and no token,
// cookie or CSRF token in the log.
#include "clients/fedora/bodhi/oidc_login.hpp"
#include "clients/fedora/bodhi/updates_client.hpp"
#include "fakes/fake_bodhi.hpp"
#include "support/kerberos_realm.hpp"
#include "support/log_capture.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::fedora::bodhi;
using namespace ferry::testing;

namespace {

struct Services {
  FakeOidcProvider provider;
  FakeBodhi bodhi{provider};
  std::unique_ptr<infra::http::HttpClient> http;
  std::unique_ptr<infra::http::HttpClient> negotiate;

  explicit Services(std::optional<std::string> keytab = std::nullopt)
      : provider(std::move(keytab), "packager") {
    infra::http::ClientOptions options;
    options.sleep = [](std::chrono::milliseconds) {};
    http = infra::http::make_curl_http_client(options);
    options.negotiate = true;
    negotiate = infra::http::make_curl_http_client(options);
    bodhi.add_user("packager", {"packager"}, {"hello", "world"});
    bodhi.add_build("hello-1.1-1.fc41", "F41");
    bodhi.add_build("world-2.0-1.fc41", "F41");
  }

  BodhiSession session(const std::string& principal = "") {
    OidcSettings settings;
    settings.idp_url = bodhi.url() + "/openidc";
    settings.principal = principal;
    return BodhiSession(*http, bodhi.url(), [this, settings]() -> Result<std::string> {
      FERRY_TRY_ASSIGN(auto tokens, login_with_kerberos(*http, *negotiate, settings));
      return tokens.access_token;
    });
  }
};

UpdateForm form_for(std::vector<std::string> builds) {
  UpdateForm form;
  form.builds = std::move(builds);
  form.notes = "Automatic update for " + form.builds.front() + ".";
  return form;
}

} // namespace

TEST_CASE("a Kerberos login to Bodhi creates an update once, however often the job runs",
          "[integration][bodhi][kerberos]") {
  std::string why;
  auto realm = KerberosRealm::start(why);
  if (!realm) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  ScopedLogCapture capture;
  Services services(realm->service_keytab());
  services.bodhi.add_user(KerberosRealm::k_user, {"packager"}, {"hello"});
  BodhiSession session = services.session(std::string(KerberosRealm::k_user) + "@FERRY.TEST");
  UpdatesClient client(session);

  auto first = client.submit(form_for({"hello-1.1-1.fc41"}));
  INFO((first ? "" : first.error().describe()));
  REQUIRE(first);
  CHECK(first->action == SubmitAction::created);
  REQUIRE(first->updates.size() == 1);
  const Update& update = first->updates.front();
  CHECK(update.alias.starts_with("FEDORA-"));
  CHECK(update.user == KerberosRealm::k_user); // the principal's account, through the IdP
  CHECK(update.status == "pending");
  CHECK(update.builds == std::vector<std::string>{"hello-1.1-1.fc41"});
  CHECK(update.url == services.bodhi.url() + "/updates/" + update.alias);

  auto again = client.submit(form_for({"hello-1.1-1.fc41"}));
  REQUIRE(again);
  CHECK(again->action == SubmitAction::already_exists);
  CHECK(again->updates.front().alias == update.alias);
  CHECK(services.bodhi.updates().size() == 1);
  CHECK(services.provider.codes_issued() == 1); // one login per session

  std::string log = capture.text();
  for (const std::string& secret : services.provider.secrets_issued()) {
    CHECK(log.find(secret) == std::string::npos);
  }
  for (const std::string& secret : services.bodhi.secrets_issued()) {
    CHECK(log.find(secret) == std::string::npos);
  }
}

TEST_CASE("without a Kerberos ticket the login fails saying which settings are missing",
          "[integration][bodhi]") {
  Services services(std::string("/nonexistent/http.keytab"));
  OidcSettings settings;
  settings.idp_url = services.provider.url();
  settings.principal = "packager@FEDORAPROJECT.ORG";
  // a client without Negotiate stands for a machine without a ticket
  auto tokens = login_with_kerberos(*services.http, *services.http, settings);
  REQUIRE_FALSE(tokens);
  CHECK(tokens.error().kind() == ErrorKind::auth);
  CHECK(tokens.error().message().find("packager@FEDORAPROJECT.ORG") != std::string::npos);
  CHECK(tokens.error().message().find("`keytab`") != std::string::npos);
}

TEST_CASE("a build already in another Bodhi update is named in the error", "[integration][bodhi]") {
  Services services;
  BodhiSession session = services.session();
  UpdatesClient client(session);
  auto first = client.submit(form_for({"hello-1.1-1.fc41"}));
  REQUIRE(first);

  auto mixed = client.submit(form_for({"hello-1.1-1.fc41", "world-2.0-1.fc41"}));
  REQUIRE_FALSE(mixed);
  CHECK(mixed.error().kind() == ErrorKind::conflict);
  CHECK(mixed.error().message().find("hello-1.1-1.fc41 is already in " +
                                     first->updates.front().alias) != std::string::npos);

  SECTION("Bodhi's own refusal names the update too") {
    auto saved = client.save(form_for({"hello-1.1-1.fc41"}));
    REQUIRE_FALSE(saved);
    CHECK(saved.error().kind() == ErrorKind::conflict);
    CHECK(saved.error().message().find(first->updates.front().alias) != std::string::npos);
  }
  CHECK(services.bodhi.updates().size() == 1);
}

TEST_CASE("a side tag's update is edited, not duplicated", "[integration][bodhi]") {
  Services services;
  services.bodhi.add_side_tag("f41-build-side-1234", "packager", {"hello-1.1-1.fc41"});
  BodhiSession session = services.session();
  UpdatesClient client(session);
  UpdateForm form;
  form.from_tag = "f41-build-side-1234";
  form.notes = "Automatic update for hello-1.1-1.fc41.";

  auto created = client.submit(form);
  INFO((created ? "" : created.error().describe()));
  REQUIRE(created);
  CHECK(created->action == SubmitAction::created);
  std::string alias = created->updates.front().alias;
  CHECK(created->updates.front().from_tag == "f41-build-side-1234");

  services.bodhi.add_build("hello-1.2-1.fc41", "F41");
  services.bodhi.add_side_tag("f41-build-side-1234", "packager", {"hello-1.2-1.fc41"});
  form.builds = {"hello-1.2-1.fc41"};
  auto edited = client.submit(form);
  INFO((edited ? "" : edited.error().describe()));
  REQUIRE(edited);
  CHECK(edited->action == SubmitAction::edited);
  CHECK(edited->updates.front().alias == alias);
  CHECK(edited->updates.front().builds == std::vector<std::string>{"hello-1.2-1.fc41"});

  auto unchanged = client.submit(form);
  REQUIRE(unchanged);
  CHECK(unchanged->action == SubmitAction::unchanged);
  CHECK(services.bodhi.updates().size() == 1);
}

TEST_CASE("a rejected CSRF token is fetched again once", "[integration][bodhi]") {
  Services services;
  BodhiSession session = services.session();
  UpdatesClient client(session);
  REQUIRE(client.submit(form_for({"hello-1.1-1.fc41"})));
  services.bodhi.rotate_csrf();
  auto second = client.submit(form_for({"world-2.0-1.fc41"}));
  INFO((second ? "" : second.error().describe()));
  REQUIRE(second);
  CHECK(second->action == SubmitAction::created);
  CHECK(services.bodhi.update_posts() == 3); // the refused one, then the repeat
  CHECK(services.bodhi.updates().size() == 2);
}

TEST_CASE("Bodhi's authorisation refusals say what the account lacks", "[integration][bodhi]") {
  Services services;
  SECTION("not a packager") {
    services.bodhi.add_user("packager", {"fedora-contributor"}, {"hello"});
    BodhiSession session = services.session();
    auto result = UpdatesClient(session).submit(form_for({"hello-1.1-1.fc41"}));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::auth);
    CHECK(result.error().http_status() == 403);
    CHECK(result.error().message().find("mandatory packager group") != std::string::npos);
  }
  SECTION("no commit access to the package") {
    services.bodhi.add_user("packager", {"packager"}, {"world"});
    BodhiSession session = services.session();
    auto result = UpdatesClient(session).submit(form_for({"hello-1.1-1.fc41"}));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::auth);
    CHECK(result.error().message().find("does not have commit access to hello") !=
          std::string::npos);
  }
  SECTION("a token without Bodhi's scopes") {
    services.provider.issue_token("narrow-token-0123456789", {"packager", "openid", "bodhi"});
    BodhiSession session(*services.http, services.bodhi.url(), []() -> Result<std::string> {
      return std::string("narrow-token-0123456789");
    });
    auto result = UpdatesClient(session).submit(form_for({"hello-1.1-1.fc41"}));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::auth);
    CHECK(result.error().message().find("/oidc/login-token") != std::string::npos);
  }
  CHECK(services.bodhi.updates().empty());
}

TEST_CASE("a lost answer, a 503 and a 400 after saving: the update is made once",
          "[integration][bodhi]") {
  Services services;
  BodhiSession session = services.session();
  UpdatesClient client(session);
  SECTION("created, answer lost") {
    services.bodhi.inject("POST /updates/", TestResponse{502, {}, "Bad Gateway"}, 1, true);
    auto result = client.submit(form_for({"hello-1.1-1.fc41"}));
    INFO((result ? "" : result.error().describe()));
    REQUIRE(result);
    CHECK(result->action == SubmitAction::created);
    CHECK(services.bodhi.update_posts() == 1);
  }
  SECTION("saved, then a 400 from what Bodhi does after its commit") {
    // Bodhi's own words when a message or Celery task fails after the update was committed.
    std::string body = R"({"status": "error", "errors": [{"location": "body", "name": "builds", )"
                       R"("description": "Unable to create update.  [Errno 111] Connection )"
                       R"(refused"}]})";
    services.bodhi.inject("POST /updates/",
                          TestResponse{400, {{"Content-Type", "application/json"}}, body}, 1, true);
    auto result = client.submit(form_for({"hello-1.1-1.fc41"}));
    INFO((result ? "" : result.error().describe()));
    REQUIRE(result);
    CHECK(result->action == SubmitAction::created);
    CHECK(services.bodhi.update_posts() == 1);
  }
  SECTION("refused with 503 before anything happened") {
    services.bodhi.inject("POST /updates/", TestResponse{503, {}, "busy"}, 1, false);
    auto result = client.submit(form_for({"hello-1.1-1.fc41"}));
    REQUIRE(result);
    CHECK(result->action == SubmitAction::created);
  }
  CHECK(services.bodhi.updates().size() == 1);
}

TEST_CASE("Rawhide builds need a side tag, as Bodhi says", "[integration][bodhi]") {
  Services services;
  services.bodhi.add_build("hello-1.1-1.fc43", "F43");
  BodhiSession session = services.session();
  auto result = UpdatesClient(session).submit(form_for({"hello-1.1-1.fc43"}));
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::http_status);
  CHECK(result.error().message().find("not composed by Bodhi") != std::string::npos);
}
