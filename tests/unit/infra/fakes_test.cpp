// The test doubles every client and job test builds on behave as documented.
#include "fakes/multipart.hpp"
#include "support/fake_http_client.hpp"
#include "support/fake_process_runner.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::testing;

TEST_CASE("FakeHttpClient answers routes in order, repeats the last, records the rest",
          "[infra][fakes]") {
  FakeHttpClient http;
  http.on("GET /repos/o/r?page=2", 503, "");
  http.on("GET /repos/o/r?page=2", 200, "[]");
  infra::http::Request request;
  request.url = "https://api.example.org/repos/o/r?page=2";
  CHECK(http.send(request)->status == 503);
  CHECK(http.send(request)->status == 200);
  CHECK(http.send(request)->body == "[]");
  request.url = "https://api.example.org/other";
  CHECK(http.send(request)->status == 404);
  CHECK(http.unexpected() == std::vector<std::string>{"GET /other"});
  CHECK(http.requests().size() == 4);
}

TEST_CASE("FakeHttpClient can fail a route with a transport error", "[infra][fakes]") {
  FakeHttpClient http;
  http.fail_with("POST /upload", Error(ErrorKind::timeout, "timed out"));
  infra::http::Request request;
  request.method = infra::http::Method::post;
  request.url = "http://h/upload";
  auto result = http.send(request);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::timeout);
}

TEST_CASE("FakeProcessRunner records argv and answers per program", "[infra][fakes]") {
  FakeProcessRunner runner;
  runner.on("rpmspec", infra::process::ProcessResult{0, "hello 1.0\n", "", false, false, {}});
  infra::process::Command command;
  command.argv = {"rpmspec", "-q", "x.spec"};
  CHECK(runner.run(command)->out == "hello 1.0\n");
  command.argv = {"make"};
  CHECK(runner.run(command)->exit_code == 127);
  REQUIRE(runner.commands().size() == 2);
  CHECK(runner.commands()[0].argv[2] == "x.spec");
}

namespace {

class CollectingSink final : public BodySink {
public:
  void write(std::string_view bytes) override { content.append(bytes); }
  std::string content;
};

} // namespace

TEST_CASE("MultipartReader parses a body fed in pieces of any size, files to their sink",
          "[infra][fakes]") {
  const std::string boundary = "------------------------d74496d66958873e";
  std::string file_content = "\r\n--------------------------d74496d6695887 almost a delimiter";
  std::string body =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nrpms/hello\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"hello-1.0.tar.gz\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
      file_content + "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"sha512sum\"\r\n\r\nabc\r\n--" + boundary +
      "--\r\n";
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, body.size()}) {
    auto sink = std::make_shared<CollectingSink>();
    MultipartReader reader(boundary, [&](const FormPart& part) {
      CHECK(part.filename == "hello-1.0.tar.gz");
      return sink;
    });
    for (std::size_t at = 0; at < body.size(); at += piece) {
      reader.write(std::string_view(body).substr(at, piece));
    }
    auto parts = reader.parts();
    REQUIRE(parts);
    REQUIRE(parts->size() == 3);
    CHECK((*parts)[0].content == "rpms/hello");
    CHECK((*parts)[1].content.empty());
    CHECK(sink->content == file_content);
    CHECK((*parts)[2].name == "sha512sum");
    CHECK((*parts)[2].content == "abc");
  }
  MultipartReader cut(boundary, {});
  cut.write(body.substr(0, body.size() - 10));
  CHECK_FALSE(cut.parts());
}
