// Hostile text from outside (issue 13, findings 10 and 12): hook output and server text cut
// inside a multi-byte character, invalid UTF-8, NUL and other control bytes and huge release
// notes on their way into the spec, commands hidden in fenced code, binary garbage given as a
// spec. Each case runs the real binary and checks what it wrote and how it ended.
#include "infra/util/text.hpp"
#include "integration/release_world.hpp"
#include "integration/upstream_world.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool is_valid_utf8(const std::string& text) {
  return infra::util::valid_utf8(text) == text;
}

// A config whose post-upstream-clone action runs `script` with sh.
std::string config_with_hook(ReleaseWorld& world, const std::string& script) {
  fs::path file = world.dir.write("hooks/fail.sh", script);
  std::string config = world.packit_yaml();
  config.insert(config.find("jobs:\n"),
                "actions:\n  post-upstream-clone:\n    - \"sh " + file.string() + "\"\n");
  return config;
}

// Release notes of `bytes` bytes or a little more, one changelog item per line.
std::string huge_notes(std::size_t bytes) {
  std::string notes;
  notes.reserve(bytes + 64);
  for (std::size_t n = 0; notes.size() < bytes; ++n) {
    notes += "* Fixes issue number " + std::to_string(n) + " of many\n";
  }
  return notes;
}

// The entry ferry added on top of dist-git's %changelog.
std::string newest_changelog_entry(const std::string& spec) {
  std::size_t start = spec.find("%changelog\n");
  REQUIRE(start != std::string::npos);
  start += 11;
  std::size_t end = spec.find("\n\n", start);
  return spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

infra::process::ProcessResult run_spec_show(const fs::path& spec) {
  infra::process::Command command;
  command.argv = {FERRY_BINARY, "spec", "show", spec.string()};
  command.env = {{"PATH", "/usr/bin:/bin"}};
  command.timeout = std::chrono::milliseconds(60'000);
  auto result = make_spawn_process_runner()->run(command);
  REQUIRE(result);
  return *result;
}

} // namespace

TEST_CASE("a failing hook's multi-byte output is cut at a character and reported",
          "[security][text]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  // What GCC prints under a UTF-8 locale, then 600 bytes of "’": the last 400 bytes of it begin
  // in the middle of a character, and so does byte 140 of the status description.
  std::string script =
      "printf 'hello.c:3: error: \\342\\200\\230main\\342\\200\\231 undeclared\\n' >&2\n"
      "n=0; while [ $n -lt 200 ]; do printf '\\342\\200\\231' >&2; n=$((n+1)); "
      "done\n"
      "exit 1\n";
  world.set_config(config_with_hook(world, script));
  auto result = world.run_release();
  INFO(describe(result));
  CHECK(result.exit_code == 1); // a failed job, not an internal error (3)
  CHECK(result.err.find("internal error") == std::string::npos);
  json issues = world.github.issues("hello-org", "hello");
  REQUIRE(issues.size() == 1);
  std::string body = issues[0]["body"];
  CHECK(is_valid_utf8(body));
  CHECK(body.find("exited with 1") != std::string::npos);
  CHECK(body.find("’’’") != std::string::npos);
  json statuses = world.github.statuses("hello-org", "hello");
  REQUIRE_FALSE(statuses.empty());
  for (const json& status : statuses) {
    std::string description = status["description"];
    CHECK(is_valid_utf8(description));
    CHECK(infra::util::character_count(description) <= 140);
  }
}

TEST_CASE("a hook's output that is not UTF-8 is repaired before it is sent", "[security][text]") {
  ReleaseWorld world;
  world.use_branches({"rawhide"});
  world.set_config(config_with_hook(world, "printf 'bad \\377\\376 bytes \\200\\n' >&2\nexit 1\n"));
  auto result = world.run_release();
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  json issues = world.github.issues("hello-org", "hello");
  REQUIRE(issues.size() == 1);
  std::string body = issues[0]["body"];
  CHECK(is_valid_utf8(body));
  CHECK(body.find("bad \xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("release notes with NUL and escape bytes reach the spec without them",
          "[security][text]") {
  ReleaseWorld world(std::string("* Fixes a crash\0 on start\n* Colours \x1b[31mred\x1b[0m\n", 49));
  world.use_branches({"rawhide"});
  auto result = world.run_release();
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  std::string spec = world.fork_file("rawhide", "hello.spec");
  CHECK(spec.find('\0') == std::string::npos);
  CHECK(spec.find('\x1b') == std::string::npos);
  std::string entry = newest_changelog_entry(spec);
  CHECK(entry.find("- Fixes a crash on start") != std::string::npos);
  CHECK(entry.find("- Colours [31mred[0m") != std::string::npos);
}

TEST_CASE("20 MB of release notes become a capped changelog entry that says so",
          "[security][text]") {
  ReleaseWorld world(huge_notes(std::size_t{20} << 20));
  world.use_branches({"rawhide"});
  auto result = world.run_release();
  INFO(result.exit_code << "\n" << result.err.substr(0, 4000));
  REQUIRE(result.exit_code == 0);
  std::string spec = world.fork_file("rawhide", "hello.spec");
  CHECK(spec.size() < 16'000);
  std::string entry = newest_changelog_entry(spec);
  CHECK(entry.find("- Fixes issue number 0 of many") != std::string::npos);
  CHECK(infra::util::character_count(entry) < 5000); // 4000 of text, plus "- " and the header
  CHECK(entry.ends_with("- (shortened to its first 4000 characters)"));
}

TEST_CASE("a command inside fenced code in a comment runs no job", "[security][text]") {
  for (const char* body :
       {"Please try:\n```\n/packit build\n```\n", "~~~ text\n/ferry build\n~~~\nthanks"}) {
    DYNAMIC_SECTION(body) {
      UpstreamWorld world;
      auto result = world.comment(body);
      INFO(describe(result));
      CHECK(result.exit_code == 0);
      CHECK(world.copr.builds().empty());
      CHECK(world.copr.projects().empty());
    }
  }
}

TEST_CASE("spec show on binary garbage says it is not a spec and exits 2", "[security][text]") {
  TempDir dir;
  std::string binary;
  for (int i = 0; i < 4096; ++i) {
    binary.push_back(static_cast<char>((i * 7919) % 256));
  }
  struct Case {
    const char* what;
    std::string content;
  };
  for (const Case& one : {Case{"bytes with NUL", binary},
                          Case{"a NUL in an otherwise valid spec",
                               std::string("Name: hello\nVersion: 1.0\0\nRelease: 1\n", 37)},
                          Case{"text with neither Name nor Version", "just some\ntext\n"}}) {
    DYNAMIC_SECTION(one.what) {
      fs::path file = dir.write("garbage.spec", one.content);
      auto result = run_spec_show(file);
      INFO(describe(result));
      CHECK(result.exit_code == 2);
      CHECK(result.err.find("'" + file.string() + "' is not an RPM spec file") !=
            std::string::npos);
      CHECK(result.out.empty());
    }
  }
}

} // namespace ferry::testing
