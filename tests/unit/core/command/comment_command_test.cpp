#include "core/command/comment_command.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace ferry::core::command;

CommentCommand parse_ok(std::string_view body, const ParseOptions& options = {}) {
  auto result = parse_comment(body, options);
  INFO(body);
  REQUIRE(result);
  REQUIRE(result->has_value());
  return **result;
}

std::string parse_error(std::string_view body) {
  auto result = parse_comment(body);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ferry::ErrorKind::usage);
  return result.error().message();
}

} // namespace

TEST_CASE("A command is the first line starting with an honoured prefix", "[core][command]") {
  auto command =
      parse_ok("Thanks for the release!\n\n  /packit propose-downstream\n/packit build\n");
  CHECK(command.prefix == "/packit");
  CHECK(command.name == "propose-downstream");
  CHECK(command.line == 3);
}

TEST_CASE("Both /packit and /ferry are honoured by default, and the set is configurable",
          "[core][command]") {
  CHECK(parse_ok("/ferry koji-build").prefix == "/ferry");
  ParseOptions only_ferry;
  only_ferry.prefixes = {"/ferry"};
  auto result = parse_comment("/packit koji-build", only_ferry);
  REQUIRE(result);
  CHECK_FALSE(result->has_value());
}

TEST_CASE("Text without a command line is no command", "[core][command]") {
  for (std::string_view body : {"", "LGTM", "please run /packit build", "/packitbuild", "\n\n"}) {
    auto result = parse_comment(body);
    INFO(body);
    REQUIRE(result);
    CHECK_FALSE(result->has_value());
  }
}

TEST_CASE("The build alias names copr-build and runs builds and tests", "[core][command]") {
  auto command = parse_ok("/packit build");
  CHECK(command.name == "copr-build");
  CHECK(command.written_name == "build");
  CHECK(jobs_for_command(command.name) == std::vector<std::string>{"copr_build", "tests"});
}

TEST_CASE("The --package option comes before the command", "[core][command]") {
  auto command = parse_ok("/packit --package python-foo koji-build");
  CHECK(command.package == "python-foo");
  CHECK(command.name == "koji-build");
  CHECK(parse_ok("/packit --package=bar create-update").package == "bar");
  CHECK(parse_error("/packit koji-build --package foo").find("does not take '--package'") !=
        std::string::npos);
}

TEST_CASE("pull-from-upstream takes its PR-config, bug and version options", "[core][command]") {
  auto command = parse_ok("/packit pull-from-upstream --with-pr-config --resolve-bug rhbz#1,rhbz#2 "
                          "--resolve-bug=rhbz#3 --version 1.2.3");
  CHECK(command.with_pr_config);
  CHECK(command.resolve_bugs == std::vector<std::string>{"rhbz#1", "rhbz#2", "rhbz#3"});
  CHECK(command.version == std::string("1.2.3"));
}

TEST_CASE("test takes targets, identifier, labels and repeated env with quoting",
          "[core][command]") {
  auto command = parse_ok(
      R"(/packit test packit/ogr#12 -i smoke --labels a,b --env "MSG=hello world" --env 'X=')");
  CHECK(command.test_targets == std::vector<std::string>{"packit/ogr#12"});
  CHECK(command.identifier == std::string("smoke"));
  CHECK(command.labels == std::vector<std::string>{"a", "b"});
  CHECK(command.env == std::vector<std::string>{"MSG=hello world", "X="});
}

TEST_CASE("retest-failed and copr-build with --release parse", "[core][command]") {
  CHECK(parse_ok("/packit retest-failed").name == "retest-failed");
  CHECK(parse_ok("/packit copr-build --release v1.0").release == std::string("v1.0"));
}

TEST_CASE("Unknown commands and options are syntax errors that explain themselves",
          "[core][command]") {
  CHECK(parse_error("/packit frobnicate") ==
        "There appears to be a syntax error in your command; see the docs or use the 'help' "
        "command. (unknown command 'frobnicate')");
  CHECK(parse_error("/packit propose-downstream --all-branches")
            .find("'propose-downstream' does not take '--all-branches'") != std::string::npos);
  CHECK(parse_error("/packit").find("no command after '/packit'") != std::string::npos);
  CHECK(parse_error("/packit test --id").find("'--id' needs a value") != std::string::npos);
  CHECK(parse_error("/packit test --env 'unterminated").find("quote is not closed") !=
        std::string::npos);
}

TEST_CASE("Shell metacharacters are ordinary characters of an argument", "[core][command]") {
  auto command = parse_ok("/packit test --env 'X=$(rm -rf /);`id`|cat>x' --id ';&&'");
  CHECK(command.env == std::vector<std::string>{"X=$(rm -rf /);`id`|cat>x"});
  CHECK(command.identifier == std::string(";&&"));
  CHECK(parse_error("/packit build; rm -rf /").find("unknown command 'build;'") !=
        std::string::npos);
  CHECK(parse_error("/packit build && rm -rf /").find("does not take '&&'") != std::string::npos);
}

TEST_CASE("Control characters in a command line are refused", "[core][command]") {
  CHECK(parse_error(std::string("/packit build\x1b[2J")).find("control characters") !=
        std::string::npos);
  CHECK(parse_error(std::string("/packit build\0x", 15)).find("control characters") !=
        std::string::npos);
}

TEST_CASE("A command inside fenced code is quoted text, not a command", "[core][command]") {
  for (std::string_view body : {
           "Run this:\n```\n/packit propose-downstream\n```\n",
           "~~~\n/ferry koji-build\n~~~\n",
           "```sh\n/packit build\n```\n",
           "   ```\n/packit build\n   ```\n",     // a fence indented by three spaces
           "````\n```\n/packit build\n````\n",    // a shorter fence does not close
           "```\n~~~\n/packit build\n~~~\n```\n", // nor one of the other character
           "``` never closed\n\n/packit build\n", // unclosed: to the end
           "```\r\n/packit build\r\n```\r\n",
       }) {
    auto result = parse_comment(body);
    INFO(body);
    REQUIRE(result);
    CHECK_FALSE(result->has_value());
  }
}

TEST_CASE("A command after fenced code, or next to inline code, counts", "[core][command]") {
  CHECK(parse_ok("```\n/packit build\n```\n/packit koji-build\n").name == "koji-build");
  CHECK(parse_ok("~~~~\nx\n~~~~~\n/ferry test\n").name == "test");
  CHECK(parse_ok("``not a fence``\n/packit build\n").name == "copr-build");
  CHECK(parse_ok("    ```\n/packit build\n").name == "copr-build"); // four spaces: no fence
}

TEST_CASE("Unicode is data, and huge comments are bounded", "[core][command]") {
  auto command = parse_ok("/packit test --id \xe2\x98\x83\xf0\x9f\x9a\x80");
  CHECK(command.identifier == std::string("\xe2\x98\x83\xf0\x9f\x9a\x80"));
  std::string huge(3 << 20, 'a');
  auto none = parse_comment(huge);
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  CHECK(parse_error("/packit test " + std::string(5000, 'x')).find("too long") !=
        std::string::npos);
}

TEST_CASE("Windows line endings and trailing text are ignored", "[core][command]") {
  auto command = parse_ok("/packit koji-build\r\nand then some more text /packit build\r\n");
  CHECK(command.name == "koji-build");
}

TEST_CASE("Commands know where they are accepted and which permission they need",
          "[core][command]") {
  CHECK(accepted_in("propose-downstream", Place::issue));
  CHECK_FALSE(accepted_in("propose-downstream", Place::pull_request));
  CHECK(required_permission("propose-downstream", Place::issue) == "write");
  CHECK(required_permission("copr-build", Place::pull_request) == "write_or_pr_author");
  CHECK(required_permission("copr-build", Place::commit) == "write");
  CHECK(required_permission("pull-from-upstream", Place::pull_request) == "packager");
  CHECK(required_permission("create-update", Place::pull_request) == "packager_and_write");
  CHECK(required_permission("help", Place::issue) == "anyone");
}
