// A small HTTP/1.1 server on 127.0.0.1 with a free port, for tests: every request goes to a
// handler, is recorded, and may be answered with an injected fault (dropped connection,
// stall). Handles keep-alive, Content-Length and chunked request bodies (libgit2 pushes
// chunked). Started by the constructor, stopped by the destructor. A request body can be
// streamed into a sink chosen from the request's head instead (a 1 GiB upload never sits in
// memory); such requests are recorded without their body.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ferry::testing {

using TestHeaders = std::vector<std::pair<std::string, std::string>>;

// Receives a request body piece by piece, as it arrives.
class BodySink {
public:
  virtual ~BodySink() = default;
  virtual void write(std::string_view bytes) = 0;
};

struct TestRequest {
  std::string method;
  std::string target; // path and query, as sent
  std::string path;
  std::string query;
  TestHeaders headers;
  std::string body;
  bool chunked = false;
  std::shared_ptr<BodySink> body_sink; // set when the body went there instead of into `body`

  std::optional<std::string> header(std::string_view name) const;
};

enum class Fault {
  none,
  drop,  // close the connection without answering
  stall, // wait `stall_for` (or until the server stops), then answer
  // send the head and the first half of the body, then wait `stall_for` (or until the server
  // stops) and close: a server that stops mid-pack
  stall_midway,
  trickle, // send the answer one byte every `stall_for`: never stalled, never done
};

struct TestResponse {
  int status = 200;
  TestHeaders headers;
  std::string body;
  Fault fault = Fault::none;
  std::chrono::milliseconds stall_for{0};
};

using TestHandler = std::function<TestResponse(const TestRequest&)>;
// Picks a sink for a request from its method, target and headers; nullptr: keep the body.
using BodySinkFactory = std::function<std::shared_ptr<BodySink>(const TestRequest& head)>;

class HttpTestServer {
public:
  explicit HttpTestServer(TestHandler handler, BodySinkFactory sinks = {});
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  std::uint16_t port() const { return m_port; }
  // "http://127.0.0.1:<port><path>"
  std::string url(std::string_view path = "/") const;
  std::vector<TestRequest> requests() const;
  std::size_t request_count() const;

private:
  void accept_loop();
  void serve(int fd);
  // Sends an answer with a stall_midway or trickle fault; the connection is done after it.
  void send_slowly(int fd, const std::string& bytes, const TestResponse& response);
  bool wait_or_stop(std::chrono::milliseconds duration);

  TestHandler m_handler;
  BodySinkFactory m_sinks;
  int m_listen_fd = -1;
  std::uint16_t m_port = 0;
  std::atomic<bool> m_stopping{false};
  std::thread m_acceptor;
  mutable std::mutex m_mutex;
  std::condition_variable m_stop_signal;
  std::vector<std::thread> m_connections;
  std::set<int> m_open_fds;
  std::vector<TestRequest> m_requests;
};

// Parses "Authorization: Basic ..." into user and password; nullopt if absent or malformed.
std::optional<std::pair<std::string, std::string>> basic_credentials(const TestRequest& request);

} // namespace ferry::testing
