// The test doubles every client and job test builds on behave as documented.
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
