// The libcurl client against a real HTTP server on 127.0.0.1: retries, back-off, Retry-After,
// dropped connections, stalls, streaming in both directions, progress, and its log line.
#include "infra/http/http_client.hpp"
#include "infra/util/digest.hpp"
#include "support/http_test_server.hpp"
#include "support/log_capture.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <regex>

using namespace ferry::infra::http;
using namespace ferry::testing;
using std::chrono::milliseconds;

namespace {

// A client that records the waits it would make instead of sleeping.
struct Client {
  std::vector<milliseconds> waits;
  std::unique_ptr<HttpClient> http;
  explicit Client(ClientOptions options = {}) {
    options.sleep = [this](milliseconds d) { waits.push_back(d); };
    options.retry.base_delay = milliseconds(100);
    options.retry.jitter = 0.0;
    http = make_curl_http_client(std::move(options));
  }
};

Request get(std::string url) {
  Request request;
  request.url = std::move(url);
  return request;
}

// Answers with the statuses in order, then 200 "done" for ever.
TestHandler statuses(std::vector<TestResponse> first) {
  auto counter = std::make_shared<std::atomic<std::size_t>>(0);
  return [first = std::move(first), counter](const TestRequest&) {
    std::size_t n = (*counter)++;
    return n < first.size() ? first[n] : TestResponse{200, {}, "done"};
  };
}

} // namespace

TEST_CASE("a GET returns status, headers and body and names ferry in the User-Agent",
          "[integration][http]") {
  HttpTestServer server([](const TestRequest&) {
    return TestResponse{200, {{"X-Answer", "42"}}, "hello"};
  });
  Client client;
  auto response = client.http->send(get(server.url("/hi")));
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body == "hello");
  CHECK(response->header("x-answer") == "42");
  CHECK(response->attempts == 1);
  CHECK(server.requests().at(0).header("User-Agent") == "ferry/" FERRY_VERSION);
}

TEST_CASE("503 and 429 are retried with growing back-off until 200", "[integration][http]") {
  HttpTestServer server(statuses({{503, {}, ""}, {429, {}, ""}, {503, {}, ""}}));
  Client client;
  auto response = client.http->send(get(server.url("/")));
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->attempts == 4);
  CHECK(client.waits ==
        std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)});
}

TEST_CASE("Retry-After is honoured, and one beyond the limit ends the retries",
          "[integration][http]") {
  SECTION("waited for") {
    HttpTestServer server(statuses({{429, {{"Retry-After", "3"}}, ""}}));
    Client client;
    auto response = client.http->send(get(server.url("/")));
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(client.waits == std::vector<milliseconds>{milliseconds(3000)});
  }
  SECTION("too long") {
    HttpTestServer server(statuses({{429, {{"Retry-After", "3600"}}, "slow down"}}));
    Client client;
    auto response = client.http->send(get(server.url("/")));
    REQUIRE(response);
    CHECK(response->status == 429);
    CHECK(response->body == "slow down");
    CHECK(client.waits.empty());
  }
}

TEST_CASE("retries stop at max_attempts and return the last response", "[integration][http]") {
  HttpTestServer server([](const TestRequest&) { return TestResponse{502, {}, "bad gateway"}; });
  ClientOptions options;
  options.retry.max_attempts = 3;
  Client client(options);
  auto response = client.http->send(get(server.url("/")));
  REQUIRE(response);
  CHECK(response->status == 502);
  CHECK(response->attempts == 3);
  CHECK(server.request_count() == 3);
}

TEST_CASE("a dropped connection is retried", "[integration][http]") {
  TestResponse drop;
  drop.fault = Fault::drop;
  HttpTestServer server(statuses({drop, drop}));
  Client client;
  auto response = client.http->send(get(server.url("/")));
  REQUIRE(response);
  CHECK(response->body == "done");
  CHECK(server.request_count() == 3);
}

TEST_CASE("a server that stalls past the timeout is abandoned and retried", "[integration][http]") {
  TestResponse stall;
  stall.fault = Fault::stall;
  stall.stall_for = milliseconds(5000);
  HttpTestServer server(statuses({stall}));
  ClientOptions options;
  options.total_timeout = milliseconds(300);
  Client client(options);
  auto started = std::chrono::steady_clock::now();
  auto response = client.http->send(get(server.url("/")));
  REQUIRE(response);
  CHECK(response->body == "done");
  CHECK(response->attempts == 2);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
}

TEST_CASE("a stall on every attempt ends in a timeout error", "[integration][http]") {
  HttpTestServer server([](const TestRequest&) {
    TestResponse stall;
    stall.fault = Fault::stall;
    stall.stall_for = milliseconds(5000);
    return stall;
  });
  ClientOptions options;
  options.total_timeout = milliseconds(200);
  options.retry.max_attempts = 2;
  Client client(options);
  auto response = client.http->send(get(server.url("/slow")));
  REQUIRE_FALSE(response);
  CHECK(response.error().kind() == ferry::ErrorKind::timeout);
  CHECK(response.error().describe().find("/slow") != std::string::npos);
}

TEST_CASE("a refused connection is a network error after the retries", "[integration][http]") {
  // A bound socket that never listens: connections to its port are refused, and no other
  // test can take the port meanwhile.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
  ClientOptions options;
  options.retry.max_attempts = 2;
  Client client(options);
  auto response = client.http->send(get(url));
  REQUIRE_FALSE(response);
  CHECK(response.error().kind() == ferry::ErrorKind::network);
  CHECK(client.waits.size() == 1);
  ::close(fd);
}

TEST_CASE("POST is not repeated after a 502 unless the caller allows it", "[integration][http]") {
  HttpTestServer server(statuses({{502, {}, ""}}));
  Client client;
  Request post = get(server.url("/create"));
  post.method = Method::post;
  post.body = R"({"title":"x"})";
  SECTION("default") {
    auto response = client.http->send(post);
    REQUIRE(response);
    CHECK(response->status == 502);
    CHECK(server.request_count() == 1);
  }
  SECTION("retry_unsafe") {
    post.retry_unsafe = true;
    auto response = client.http->send(post);
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(server.request_count() == 2);
  }
}

TEST_CASE("POST is repeated after 503, which says the server did not act", "[integration][http]") {
  HttpTestServer server(statuses({{503, {}, ""}}));
  Client client;
  Request post = get(server.url("/create"));
  post.method = Method::post;
  post.body = "x";
  auto response = client.http->send(post);
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(server.requests().at(1).body == "x");
}

TEST_CASE("a file body is streamed to the server byte for byte", "[integration][http]") {
  TempDir dir;
  std::string content(3 * 1024 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 31 % 251);
  }
  auto file = dir.write("archive.tar.gz", content);
  HttpTestServer server([](const TestRequest&) { return TestResponse{201, {}, ""}; });
  std::uint64_t last_upload = 0;
  ClientOptions options;
  options.progress = [&](const Progress& p) { last_upload = p.upload_now; };
  Client client(options);
  Request put = get(server.url("/upload"));
  put.method = Method::put;
  put.body_file = file;
  auto response = client.http->send(put);
  REQUIRE(response);
  CHECK(response->status == 201);
  CHECK(server.requests().at(0).body == content);
  CHECK(last_upload == content.size());
}

TEST_CASE("multipart parts carry fields and a streamed file", "[integration][http]") {
  TempDir dir;
  auto file = dir.write("x-1.0.tar.gz", "archive bytes");
  HttpTestServer server([](const TestRequest&) { return TestResponse{200, {}, "OK"}; });
  Client client;
  Request post = get(server.url("/repo/pkgs/upload.cgi"));
  post.method = Method::post;
  post.multipart = {{"name", "x", std::nullopt, "", ""},
                    {"sha512sum", "abc", std::nullopt, "", ""},
                    {"file", "", file, "", "application/octet-stream"}};
  auto response = client.http->send(post);
  REQUIRE(response);
  TestRequest seen = server.requests().at(0);
  CHECK(seen.header("Content-Type")->starts_with("multipart/form-data; boundary="));
  CHECK(seen.body.find("name=\"sha512sum\"\r\n\r\nabc\r\n") != std::string::npos);
  CHECK(seen.body.find("filename=\"x-1.0.tar.gz\"") != std::string::npos);
  CHECK(seen.body.find("archive bytes") != std::string::npos);
}

TEST_CASE("a digest part carries the hash of the file before it, computed as it is sent",
          "[integration][http]") {
  TempDir dir;
  std::string content(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 31 % 251);
  }
  auto file = dir.write("x-1.0.tar.gz", content);
  std::atomic<int> seen_requests{0};
  HttpTestServer server([&](const TestRequest&) {
    // the first attempt is answered 503: the repeat carries the same, whole checksum again
    return ++seen_requests == 1 ? TestResponse{503, {}, "busy"} : TestResponse{200, {}, "OK"};
  });
  Client client;
  Request post = get(server.url("/upload"));
  post.method = Method::post;
  post.retry_unsafe = true;
  MultipartPart checksum{"sha512sum", "ignored", std::nullopt, "", ""};
  checksum.digest_of_previous_file = ferry::infra::util::DigestKind::sha512;
  post.multipart = {{"file", "", file, "", "application/octet-stream"}, checksum};
  auto response = client.http->send(post);
  REQUIRE(response);
  CHECK(response->status == 200);
  std::string expected =
      ferry::infra::util::text_digest(content, ferry::infra::util::DigestKind::sha512);
  for (const TestRequest& seen : server.requests()) {
    std::size_t file_at = seen.body.find(content);
    std::size_t digest_at = seen.body.find("name=\"sha512sum\"\r\n\r\n" + expected + "\r\n");
    CHECK(file_at != std::string::npos);
    CHECK(digest_at != std::string::npos);
    CHECK(digest_at > file_at);
  }
  CHECK(server.requests().size() == 2);
}

TEST_CASE("a download can be hashed as it arrives, and is stored as served",
          "[integration][http]") {
  TempDir dir;
  std::string gzip_bytes = "\x1f\x8b\x08 not really compressed";
  HttpTestServer server([&](const TestRequest& request) {
    // some servers label .tar.gz as gzip-encoded: the archive must not be decoded
    return TestResponse{200, {{"Content-Encoding", "gzip"}}, gzip_bytes + request.path};
  });
  Client client;
  Request download = get(server.url("/a.tar.gz"));
  download.download_to = dir / "a.tar.gz";
  download.download_digest = ferry::infra::util::DigestKind::sha512;
  auto response = client.http->send(download);
  REQUIRE(response);
  CHECK(read_file(dir / "a.tar.gz") == gzip_bytes + "/a.tar.gz");
  CHECK(response->download_digest ==
        ferry::infra::util::text_digest(gzip_bytes + "/a.tar.gz",
                                        ferry::infra::util::DigestKind::sha512));
  CHECK_FALSE(server.requests().at(0).header("Accept-Encoding"));
}

TEST_CASE("a download through a redirect keeps and hashes only the final body",
          "[integration][http]") {
  TempDir dir;
  HttpTestServer server([](const TestRequest& request) {
    // as GitHub sends release archives: 302 to codeload, with a body of its own
    return request.path == "/archive/v1.0.tar.gz"
               ? TestResponse{302, {{"Location", "/codeload/v1.0.tar.gz"}}, "<html>moved</html>"}
               : TestResponse{200, {}, "the archive"};
  });
  Client client;
  Request download = get(server.url("/archive/v1.0.tar.gz"));
  download.download_to = dir / "v1.0.tar.gz";
  download.download_digest = ferry::infra::util::DigestKind::sha512;
  auto response = client.http->send(download);
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(read_file(dir / "v1.0.tar.gz") == "the archive");
  CHECK(response->download_digest ==
        ferry::infra::util::text_digest("the archive", ferry::infra::util::DigestKind::sha512));
}

TEST_CASE("a 2xx download lands in the file, an error page never does", "[integration][http]") {
  TempDir dir;
  HttpTestServer server([](const TestRequest& request) {
    return request.path == "/ok" ? TestResponse{200, {}, std::string(100000, 'z')}
                                 : TestResponse{404, {}, "no such release"};
  });
  Client client;
  Request ok = get(server.url("/ok"));
  ok.download_to = dir / "ok.bin";
  auto response = client.http->send(ok);
  REQUIRE(response);
  CHECK(read_file(dir / "ok.bin") == std::string(100000, 'z'));
  CHECK(response->body.empty());

  Request missing = get(server.url("/missing"));
  missing.download_to = dir / "missing.bin";
  response = client.http->send(missing);
  REQUIRE(response);
  CHECK(response->status == 404);
  CHECK(response->body == "no such release");
  CHECK_FALSE(std::filesystem::exists(dir / "missing.bin"));
  CHECK_FALSE(std::filesystem::exists(dir / "missing.bin.part"));
}

TEST_CASE("a body over the in-memory limit is refused, not buffered", "[integration][http]") {
  HttpTestServer server([](const TestRequest&) {
    return TestResponse{200, {}, std::string(5000, 'x')};
  });
  ClientOptions options;
  options.max_body_in_memory = 1000;
  Client client(options);
  auto response = client.http->send(get(server.url("/")));
  REQUIRE_FALSE(response);
  CHECK(response.error().kind() == ferry::ErrorKind::io);
}

TEST_CASE("each request logs one debug line with a redacted URL", "[integration][http]") {
  HttpTestServer server([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  ScopedLogCapture capture;
  Client client;
  auto response = client.http->send(get(server.url("/x?access_token=abc123&page=2")));
  REQUIRE(response);
  auto lines = capture.lines();
  REQUIRE(lines.size() == 1);
  std::regex expected(
      R"(debug: GET http://127\.0\.0\.1:\d+/x\?access_token=\*\*\*&page=2 -> 204 \(\d+ ms\))");
  CHECK(std::regex_match(lines[0], expected));
}
