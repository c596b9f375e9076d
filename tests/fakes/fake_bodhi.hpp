// A stateful fake of Bodhi (fedora-protocols §5, §9) as strict as the real server where ferry
// depends on it: `/releases/` (the recorded releases list, paginated), the OIDC login
// (`GET /oidc/login-token` with a Bearer token introspected at the fake provider, 202 and an
// `auth_tkt` cookie), `GET /csrf` tied to a session cookie, and `POST /updates/` as a form or
// JSON with SaveUpdateSchema's required fields, the CSRF check first, the packager-group and
// commit ACLs (403), Koji knowledge of builds and side tags, "Update for <nvr> already exists",
// "Update already exists using this side tag", edits with `edited`, one update per release
// (the multi-release answer), and the Cornice error envelope. `GET /updates/` filters by
// builds, packages, releases, status and from_side_tag_name; `GET /updates/<alias>`.
// The provider's endpoints are also served under /openidc, so one URL serves a whole login.
#pragma once

#include "fakes/fake_oidc_provider.hpp"
#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeBodhi {
public:
  // Bodhi introspects access tokens at `provider`. Releases come from
  // tests/fixtures/bodhi/releases.json (F40/F41 current, F42 branched, F43 Rawhide).
  explicit FakeBodhi(FakeOidcProvider& provider);

  // http://localhost:<port> (the provider also answers at <url>/openidc).
  std::string url() const;

  // A Fedora account: its groups ("packager") and the packages it may commit to.
  void add_user(const std::string& name, std::set<std::string> groups,
                std::set<std::string> packages);
  // A Koji build tagged into `release`'s candidate tag ("F41").
  void add_build(const std::string& nvr, const std::string& release);
  // A Koji side tag owned by `owner` holding the latest `builds`.
  void add_side_tag(const std::string& tag, const std::string& owner,
                    std::vector<std::string> builds);
  // What Bodhi asks the Koji hub (the real server does, for builds and side tags it was not
  // told about): the release a build belongs to ("F41"), and a side tag's owner and latest
  // builds. Unset functions: only add_build / add_side_tag are known.
  struct KojiView {
    std::function<std::optional<std::string>(const std::string& nvr)> release_of_build;
    std::function<std::optional<std::pair<std::string, std::vector<std::string>>>(
        const std::string& tag)>
        side_tag;
  };
  void use_koji(KojiView view);
  // Forget every session's CSRF token (as when the server's session expired).
  void rotate_csrf();
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  nlohmann::json updates() const;
  std::size_t update_posts() const; // POST /updates/ requests that reached the handler
  // Every auth ticket, session id and CSRF token handed out.
  std::vector<std::string> secrets_issued() const;

private:
  struct Session {
    std::string user; // empty until login
    std::string csrf;
  };
  struct SideTag {
    std::string owner;
    std::vector<std::string> builds;
  };

  TestResponse handle(const TestRequest& request);
  TestResponse answer(const TestRequest& request);
  TestResponse releases(const TestRequest& request);
  TestResponse login(const TestRequest& request);
  TestResponse csrf(const TestRequest& request);
  TestResponse list_updates(const TestRequest& request);
  TestResponse get_update(const std::string& alias);
  TestResponse save_update(const TestRequest& request);
  Session* session_of(const TestRequest& request);
  const nlohmann::json* release_named(const std::string& name) const;
  bool knows_build(const std::string& nvr);
  const SideTag* side_tag_named(const std::string& tag);
  nlohmann::json* update_with_alias(const std::string& alias);
  nlohmann::json* update_of_build(const std::string& nvr);
  nlohmann::json new_update(const std::string& user, const std::string& release,
                            const std::vector<std::string>& builds,
                            const std::multimap<std::string, std::string>& form);

  FakeOidcProvider& m_provider;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  nlohmann::json m_releases;
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> m_users;
  std::map<std::string, std::string> m_builds; // nvr -> release name
  std::map<std::string, SideTag> m_side_tags;
  std::map<std::string, std::string> m_auth_tickets; // auth_tkt -> user
  std::map<std::string, Session> m_sessions;         // session cookie -> session
  nlohmann::json m_updates = nlohmann::json::array();
  std::size_t m_update_posts = 0;
  FaultInjector m_faults;
  KojiView m_koji;
};

// A cookie's value in a request's Cookie header ("" when absent).
std::string request_cookie(const TestRequest& request, const std::string& name);

} // namespace ferry::testing
