// A stateful fake of the Testing Farm API v0.1 (fedora-protocols §7, §9): `POST /v0.1/requests`
// with `Authorization: Bearer <api key>` (401 otherwise), validated as the service does (a tmt
// or fmf test with a url, environments with a supported arch and a known compose, artifacts
// with a known type) and answered `200 {"id", …}`; `GET /v0.1/requests/<id>` without auth, the
// state advancing on a timer new -> queued -> running -> complete (or error) one `step` at a
// time, with `result.overall` and the artifacts link once complete; `DELETE` with 200/204/409;
// `GET /v0.1/composes/public` and `/v0.1/about`.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ferry::testing {

class FakeTestingFarm {
public:
  explicit FakeTestingFarm(std::chrono::milliseconds step = std::chrono::milliseconds(50));

  // http://127.0.0.1:<port>: the API is under /v0.1.
  std::string url() const { return m_server->url(""); }

  void add_api_key(const std::string& key, const std::string& user);
  // The outcome of requests submitted from now on: passed, failed, error, skipped, or
  // "infrastructure" (the request ends in state `error` with a summary).
  void set_outcome(std::string overall);
  // The same for requests on one compose ("Fedora-41"), over set_outcome's.
  void set_outcome_for(const std::string& compose, std::string overall);
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  // The submitted request bodies, by id.
  std::map<std::string, nlohmann::json> submitted() const;

private:
  struct Request {
    nlohmann::json body;
    std::string user;
    std::string outcome;
    std::chrono::steady_clock::time_point created;
    bool cancel_requested = false;
    std::string created_at; // the wall-clock time of submission, as Testing Farm writes it
  };

  TestResponse handle(const TestRequest& request);
  TestResponse answer(const TestRequest& request);
  TestResponse submit(const TestRequest& request);
  TestResponse cancel(const TestRequest& request, const std::string& id);
  std::string state_of(const Request& request) const;
  nlohmann::json request_json(const std::string& id, const Request& request) const;

  std::chrono::milliseconds m_step;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  std::map<std::string, std::string> m_keys; // api key -> user
  std::string m_outcome = "passed";
  std::map<std::string, std::string> m_compose_outcomes;
  std::map<std::string, Request> m_requests;
  FaultInjector m_faults;
};

} // namespace ferry::testing
