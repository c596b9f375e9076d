#include "support/http_test_server.hpp"

#include "infra/util/encoding.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace ferry::testing {

namespace {

// Buffered reads from one connection.
class Connection {
public:
  explicit Connection(int fd) : m_fd(fd) {}

  // Reads up to and including "\r\n\r\n"; nullopt on EOF or error.
  std::optional<std::string> read_head() {
    while (true) {
      std::size_t end = m_buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = m_buffer.substr(0, end + 4);
        m_buffer.erase(0, end + 4);
        return head;
      }
      if (!fill()) {
        return std::nullopt;
      }
    }
  }

  // Passes the next `size` bytes to the sink as they arrive; false on EOF or error.
  bool stream_exact(std::size_t size, BodySink& sink) {
    std::size_t buffered = std::min(size, m_buffer.size());
    sink.write(std::string_view(m_buffer).substr(0, buffered));
    m_buffer.erase(0, buffered);
    size -= buffered;
    std::vector<char> data(std::min(size, k_stream_piece));
    while (size > 0) {
      ssize_t n = ::recv(m_fd, data.data(), std::min(size, data.size()), 0);
      if (n <= 0) {
        return false;
      }
      sink.write(std::string_view(data.data(), static_cast<std::size_t>(n)));
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }

  std::optional<std::string> read_line() {
    while (true) {
      std::size_t end = m_buffer.find("\r\n");
      if (end != std::string::npos) {
        std::string line = m_buffer.substr(0, end);
        m_buffer.erase(0, end + 2);
        return line;
      }
      if (!fill()) {
        return std::nullopt;
      }
    }
  }

  bool stream_chunked(BodySink& sink) {
    while (true) {
      auto size_line = read_line();
      if (!size_line) {
        return false;
      }
      std::size_t size = std::stoul(*size_line, nullptr, 16);
      if (size == 0) {
        while (true) { // trailers, then the empty line
          auto trailer = read_line();
          if (!trailer || trailer->empty()) {
            return static_cast<bool>(trailer);
          }
        }
      }
      if (!stream_exact(size, sink) || !read_line()) {
        return false;
      }
    }
  }

private:
  bool fill() {
    char data[65536];
    ssize_t n = ::recv(m_fd, data, sizeof data, 0);
    if (n <= 0) {
      return false;
    }
    m_buffer.append(data, static_cast<std::size_t>(n));
    return true;
  }

  static constexpr std::size_t k_stream_piece = std::size_t{1} << 20;
  int m_fd;
  std::string m_buffer;
};

class StringSink final : public BodySink {
public:
  explicit StringSink(std::string& target) : m_target(target) {}
  void write(std::string_view bytes) override { m_target.append(bytes); }

private:
  std::string& m_target;
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<TestRequest> parse_head(const std::string& head) {
  TestRequest request;
  std::size_t line_end = head.find("\r\n");
  std::string_view first(head.data(), line_end);
  std::size_t sp1 = first.find(' ');
  std::size_t sp2 = first.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
    return std::nullopt;
  }
  request.method = std::string(first.substr(0, sp1));
  request.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
  std::size_t q = request.target.find('?');
  request.path = request.target.substr(0, q);
  request.query = q == std::string::npos ? "" : request.target.substr(q + 1);
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == pos || end == std::string::npos) {
      break;
    }
    std::string_view line(head.data() + pos, end - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    pos = end + 2;
  }
  return request;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string reason(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 201:
    return "Created";
  case 204:
    return "No Content";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  default:
    return "Status";
  }
}

std::string render(const TestRequest& request, const TestResponse& response) {
  std::string text =
      "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    text += name + ": " + value + "\r\n";
  }
  text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  if (request.method != "HEAD") {
    text += response.body;
  }
  return text;
}

} // namespace

std::optional<std::string> TestRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

HttpTestServer::HttpTestServer(TestHandler handler, BodySinkFactory sinks)
    : m_handler(std::move(handler)), m_sinks(std::move(sinks)) {
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(m_listen_fd, 64) != 0) {
    throw std::runtime_error("test server cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length);
  m_port = ntohs(address.sin_port);
  m_acceptor = std::thread([this] { accept_loop(); });
}

HttpTestServer::~HttpTestServer() {
  m_stopping = true;
  m_stop_signal.notify_all();
  ::shutdown(m_listen_fd, SHUT_RDWR);
  m_acceptor.join();
  ::close(m_listen_fd);
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(m_mutex);
    for (int fd : m_open_fds) {
      ::shutdown(fd, SHUT_RDWR);
    }
    connections.swap(m_connections);
  }
  for (std::thread& connection : connections) {
    connection.join();
  }
}

std::string HttpTestServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

std::vector<TestRequest> HttpTestServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::size_t HttpTestServer::request_count() const {
  std::lock_guard lock(m_mutex);
  return m_requests.size();
}

void HttpTestServer::accept_loop() {
  while (!m_stopping) {
    pollfd poll_fd{m_listen_fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, 100) <= 0) {
      continue;
    }
    int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    std::lock_guard lock(m_mutex);
    m_open_fds.insert(fd);
    m_connections.emplace_back([this, fd] { serve(fd); });
  }
}

bool HttpTestServer::wait_or_stop(std::chrono::milliseconds duration) {
  std::unique_lock lock(m_mutex);
  return !m_stop_signal.wait_for(lock, duration, [this] { return m_stopping.load(); });
}

namespace {

// The body into request.body, or into the sink the factory picks for this request.
bool read_body(Connection& connection, TestRequest& request, const BodySinkFactory& sinks) {
  request.body_sink = sinks ? sinks(request) : nullptr;
  StringSink keep(request.body);
  BodySink& sink = request.body_sink ? *request.body_sink : keep;
  auto encoding = request.header("Transfer-Encoding");
  if (encoding && iequals(*encoding, "chunked")) {
    request.chunked = true;
    return connection.stream_chunked(sink);
  }
  auto length = request.header("Content-Length");
  return connection.stream_exact(length ? std::stoul(*length) : 0, sink);
}

} // namespace

void HttpTestServer::send_slowly(int fd, const std::string& bytes, const TestResponse& response) {
  if (response.fault == Fault::stall_midway) {
    std::size_t cut = bytes.size() - (response.body.size() + 1) / 2;
    if (send_all(fd, std::string_view(bytes).substr(0, cut))) {
      wait_or_stop(response.stall_for);
    }
    return;
  }
  for (char byte : bytes) {
    if (!send_all(fd, std::string_view(&byte, 1)) || !wait_or_stop(response.stall_for)) {
      return;
    }
  }
}

void HttpTestServer::serve(int fd) {
  Connection connection(fd);
  while (!m_stopping) {
    auto head = connection.read_head();
    if (!head) {
      break;
    }
    auto request = parse_head(*head);
    if (!request) {
      break;
    }
    if (!read_body(connection, *request, m_sinks)) {
      break;
    }
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(*request);
    }
    TestResponse response = m_handler(*request);
    if (response.fault == Fault::drop) {
      break;
    }
    if (response.fault == Fault::stall && !wait_or_stop(response.stall_for)) {
      break;
    }
    if (response.fault == Fault::stall_midway || response.fault == Fault::trickle) {
      send_slowly(fd, render(*request, response), response);
      break;
    }
    if (!send_all(fd, render(*request, response))) {
      break;
    }
    auto asked_close = request->header("Connection");
    bool closes = std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
      return iequals(h.first, "Connection") && iequals(h.second, "close");
    });
    if (closes || (asked_close && iequals(*asked_close, "close"))) {
      break;
    }
  }
  std::lock_guard lock(m_mutex);
  m_open_fds.erase(fd);
  ::close(fd);
}

std::optional<std::pair<std::string, std::string>> basic_credentials(const TestRequest& request) {
  auto header = request.header("Authorization");
  if (!header || !header->starts_with("Basic ")) {
    return std::nullopt;
  }
  auto decoded = infra::util::base64_decode(header->substr(6));
  if (!decoded) {
    return std::nullopt;
  }
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

} // namespace ferry::testing
