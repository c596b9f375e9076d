#include "clients/forge/forge_registry.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

using namespace ferry::clients::forge;

TEST_CASE("forge kinds are found by name, alias and well-known host", "[clients][forge]") {
  CHECK(forge_kind_from_name("github") == ForgeKind::github);
  CHECK(forge_kind_from_name("gitea") == ForgeKind::forgejo);
  CHECK(forge_kind_from_name("pagure") == ForgeKind::pagure);
  CHECK_FALSE(forge_kind_from_name("svn").has_value());
  CHECK(forge_kind_for_host("src.fedoraproject.org") == ForgeKind::pagure);
  CHECK(forge_kind_for_host("codeberg.org") == ForgeKind::forgejo);
  CHECK(forge_kind_for_host("gitlab.com") == ForgeKind::gitlab);
  CHECK_FALSE(forge_kind_for_host("git.example.org").has_value());
}

TEST_CASE("API roots follow each forge's layout", "[clients][forge]") {
  CHECK(default_api_url(ForgeKind::github, "github.com") == "https://api.github.com");
  CHECK(default_api_url(ForgeKind::github, "ghe.example.org") == "https://ghe.example.org/api/v3");
  CHECK(default_api_url(ForgeKind::gitlab, "gitlab.com") == "https://gitlab.com/api/v4");
  CHECK(default_api_url(ForgeKind::forgejo, "codeberg.org") == "https://codeberg.org/api/v1");
  CHECK(default_api_url(ForgeKind::pagure, "src.fedoraproject.org") ==
        "https://src.fedoraproject.org");
}

TEST_CASE("each kind builds the client that speaks its API", "[clients][forge]") {
  struct Case {
    ForgeKind kind;
    const char* route;
    const char* body;
  };
  for (const Case& c : {Case{ForgeKind::github, "GET /user", R"({"login":"gh"})"},
                        Case{ForgeKind::forgejo, "GET /user", R"({"login":"fj"})"},
                        Case{ForgeKind::gitlab, "GET /user", R"({"username":"gl"})"},
                        Case{ForgeKind::pagure, "POST /api/0/-/whoami", R"({"username":"pg"})"}}) {
    ferry::testing::FakeHttpClient http;
    http.on(c.route, 200, c.body);
    ForgeSettings settings;
    settings.api_url = "https://forge.example.org";
    settings.token = "t";
    auto forge = make_forge(c.kind, http, settings);
    auto user = forge->current_user();
    INFO(to_string(c.kind));
    REQUIRE(user);
    CHECK(http.unexpected().empty());
  }
}
