// Per-route fault injection for the fake servers: the next N requests whose "METHOD /path"
// starts with a prefix get a scripted answer (a status, a dropped connection, a stall) —
// either instead of being carried out, or after it (the change happens, the answer is lost).
// A fault made by echoing_error() reflects the whole request (headers with their credentials,
// and the body) in its error body, as some servers and proxies do.
// A stall_midway or trickle fault always carries the request out and sends its real answer
// half-way or slowly.
// Not synchronised: the owning fake calls it under its own lock.
#pragma once

#include "support/http_test_server.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

inline constexpr const char* k_echo_request_body = "[ferry-test: echo the request]";

// An error answer whose body repeats the request it answers, credentials and all.
inline TestResponse echoing_error(int status) {
  return TestResponse{status, {{"Content-Type", "text/plain"}}, k_echo_request_body};
}

inline std::string echo_of(const TestRequest& request) {
  std::string text =
      "Error: could not handle the request\n" + request.method + " " + request.target + "\n";
  for (const auto& [name, value] : request.headers) {
    text += name + ": " + value + "\n";
  }
  return text + "\n" + request.body;
}

// A fault that sends the real answer, cut off or slowly.
inline bool sends_real_answer(const TestResponse& response) {
  return response.fault == Fault::stall_midway || response.fault == Fault::trickle;
}

class FaultInjector {
public:
  struct Injected {
    TestResponse response;
    bool after_processing = false;
  };

  void inject(std::string route_prefix, TestResponse response, int count, bool after_processing) {
    m_faults.push_back(Fault{std::move(route_prefix),
                             std::deque<TestResponse>(static_cast<std::size_t>(count), response),
                             after_processing});
  }

  std::optional<Injected> take(const TestRequest& request) {
    std::string route = request.method + " " + request.path;
    for (Fault& fault : m_faults) {
      if (!fault.responses.empty() && route.starts_with(fault.route_prefix)) {
        Injected injected{fault.responses.front(), fault.after_processing};
        fault.responses.pop_front();
        if (injected.response.body == k_echo_request_body) {
          injected.response.body = echo_of(request);
        }
        return injected;
      }
    }
    return std::nullopt;
  }

  // Answers with the fault if one matches (running `carry_out` first when it says so),
  // otherwise with `carry_out`'s answer.
  template <typename CarryOut> TestResponse answer(const TestRequest& request, CarryOut carry_out) {
    if (auto fault = take(request)) {
      if (sends_real_answer(fault->response)) {
        TestResponse real = carry_out(); // the real answer, sent in part or slowly
        real.fault = fault->response.fault;
        real.stall_for = fault->response.stall_for;
        return real;
      }
      if (fault->after_processing) {
        (void)carry_out();
      }
      return fault->response;
    }
    return carry_out();
  }

private:
  struct Fault {
    std::string route_prefix;
    std::deque<TestResponse> responses;
    bool after_processing = false;
  };
  std::vector<Fault> m_faults;
};

} // namespace ferry::testing
