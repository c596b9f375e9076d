// A stateful fake of the Koji hub (fedora-protocols §4, §9, §10): XML-RPC over POST /kojihub
// with `<nil/>`, `<i8>`, `__starstar` keyword structs and system.multicall; `sslLogin` only at
// /kojihub/ssllogin, authenticated by HTTP Negotiate checked against a real KDC's service keytab
// (REMOTE_USER) — without it the fake answers as the real hub does over plain HTTP without a
// client certificate ("could not verify client: None"); sessions in the
// Koji-Session-Id / Koji-Session-Key headers with the hub's call-number rules (SequenceError,
// RetryError for a repeated call that changed something; the number is stored only by calls
// that write); tasks that move FREE -> OPEN -> CLOSED (or FAILED) on a timer, a build that
// appears BUILDING when its task opens and turns COMPLETE (tagged into the target's destination)
// when it closes; build targets, tags, side tags named {basetag}-side-{id}.
//
// Its XML-RPC reading and writing is its own (values are JSON here), not the client's codec, so
// the two check each other. Faults are injected per XML-RPC method: the route of a call is
// "POST /kojihub/<method>" (e.g. inject("POST /kojihub/build", ...)).
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

class FakeKoji {
public:
  struct Options {
    // The HTTP/<host> service keytab: sslLogin then accepts Negotiate tokens it can verify.
    std::optional<std::string> negotiate_keytab;
    // How long a new task stays FREE, then OPEN, before it finishes.
    std::chrono::milliseconds free_for{30};
    std::chrono::milliseconds open_for{60};
  };

  // One XML-RPC call as the hub saw it.
  struct Call {
    std::string method;
    std::string path;
    std::optional<std::int64_t> session_id;
    std::optional<std::string> session_key; // as sent
    std::optional<std::int64_t> callnum;
    std::optional<std::string> session_callnum_header; // Koji-Session-Callnum as sent
    nlohmann::json params;
    std::optional<std::int64_t> fault_code;
  };

  FakeKoji();
  explicit FakeKoji(Options options);
  ~FakeKoji();

  // The hub URL ("http://127.0.0.1:<port>/kojihub"); `host` replaces 127.0.0.1 (Negotiate
  // needs the name in the service principal, e.g. "localhost").
  std::string hub_url(const std::string& host = "127.0.0.1") const;

  // A user, found by name, Kerberos principal or certificate CN; returns its id.
  std::int64_t add_user(const std::string& name, const std::string& krb_principal = "");
  // A tag, and a build target building from `build_tag` into `dest_tag` (both created).
  void add_tag(const std::string& name);
  void add_target(const std::string& name, const std::string& build_tag,
                  const std::string& dest_tag);
  // A finished build already in `tag` (COMPLETE), as from an earlier release.
  void add_build(const std::string& nvr, const std::string& tag, const std::string& owner = "");
  // What the next build task of `package` produces: version-release, or a failure.
  void script_build(const std::string& package, const std::string& version,
                    const std::string& release);
  void fail_next_build(const std::string& package, const std::string& reason);
  // Every session expires (AuthExpired on its next call).
  void expire_sessions();

  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);
  // An XML-RPC fault answer (HTTP 200), for inject().
  static TestResponse fault_response(std::int64_t code, const std::string& message);

  // Tags a build (by NVR) is in, and a tag's latest build of each package (NVRs, newest
  // first); what Bodhi reads from the hub (FakeBodhi::KojiView).
  std::vector<std::string> tags_of(const std::string& nvr) const;
  std::vector<std::string> latest_in(const std::string& tag) const;
  // The owner of a side tag and the tag it was made from; nullopt when `tag` is none.
  std::optional<std::pair<std::string, std::string>> side_tag(const std::string& tag) const;

  std::vector<Call> calls() const;
  nlohmann::json tasks() const;  // id -> task struct (as getTaskInfo(id, request=True))
  nlohmann::json builds() const; // list of build structs
  std::size_t build_tasks_created() const;

private:
  struct State;
  TestResponse handle(const TestRequest& request);

  Options m_options;
  std::unique_ptr<State> m_state;
  mutable std::mutex m_mutex;
  FaultInjector m_faults;
  std::unique_ptr<HttpTestServer> m_server;
};

} // namespace ferry::testing
