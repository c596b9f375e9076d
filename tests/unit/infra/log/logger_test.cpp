#include "infra/log/logger.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace ferry::infra::log;

namespace {

class CaptureSink final : public Sink {
public:
  void write(std::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

struct Fixture {
  Logger logger;
  std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();
  explicit Fixture(CiFlavor flavor, Level level = Level::debug) {
    logger.set_sink(sink);
    logger.set_ci_flavor(flavor);
    logger.set_level(level);
  }
};

} // namespace

TEST_CASE("lines below the level are dropped and others get a level prefix", "[infra][log]") {
  Fixture f(CiFlavor::none, Level::info);
  f.logger.write(Level::debug, "hidden");
  f.logger.write(Level::info, "shown");
  f.logger.write(Level::warning, "careful");
  f.logger.write(Level::error, "broken");
  CHECK(f.sink->lines == std::vector<std::string>{"shown", "warning: careful", "error: broken"});
}

TEST_CASE("quiet level keeps only warnings and errors", "[infra][log]") {
  Fixture f(CiFlavor::none, Level::warning);
  f.logger.write(Level::info, "chatter");
  f.logger.write(Level::error, "broken");
  CHECK(f.sink->lines == std::vector<std::string>{"error: broken"});
}

TEST_CASE("on GitHub, errors become escaped workflow commands", "[infra][log]") {
  Fixture f(CiFlavor::github);
  f.logger.write(Level::error, "100% broken\nsecond line");
  f.logger.write(Level::warning, "hm");
  CHECK(f.sink->lines ==
        std::vector<std::string>{"::error::100%25 broken%0Asecond line", "::warning::hm"});
}

TEST_CASE("on GitHub, a message cannot inject a workflow command", "[infra][log]") {
  Fixture f(CiFlavor::github);
  f.logger.write(Level::info, "release notes:\n::set-output name=x::y");
  REQUIRE(f.sink->lines.size() == 2);
  CHECK_FALSE(f.sink->lines[1].starts_with("::"));
}

TEST_CASE("on GitHub, registering a secret emits add-mask for its forms", "[infra][log]") {
  Fixture f(CiFlavor::github);
  f.logger.register_secret("s3cr3t-token-value");
  REQUIRE_FALSE(f.sink->lines.empty());
  CHECK(f.sink->lines.front() == "::add-mask::s3cr3t-token-value");
  for (const std::string& line : f.sink->lines) {
    CHECK(line.starts_with("::add-mask::"));
  }
}

TEST_CASE("groups are GitHub groups or GitLab sections", "[infra][log]") {
  SECTION("github") {
    Fixture f(CiFlavor::github);
    f.logger.group_begin("dist-git f42");
    f.logger.group_end();
    CHECK(f.sink->lines == std::vector<std::string>{"::group::dist-git f42", "::endgroup::"});
  }
  SECTION("gitlab") {
    Fixture f(CiFlavor::gitlab);
    f.logger.group_begin("dist-git f42");
    f.logger.group_end();
    REQUIRE(f.sink->lines.size() == 2);
    CHECK(f.sink->lines[0].find("section_start:") != std::string::npos);
    CHECK(f.sink->lines[0].find("ferry_0_dist_git_f42[collapsed=true]") != std::string::npos);
    CHECK(f.sink->lines[1].find("section_end:") != std::string::npos);
    CHECK(f.sink->lines[1].find("ferry_0_dist_git_f42") != std::string::npos);
  }
}

TEST_CASE("every line is redacted, including group titles", "[infra][log]") {
  Fixture f(CiFlavor::none);
  f.logger.register_secret("hunter2-hunter2");
  f.logger.write(Level::info, "password is hunter2-hunter2");
  f.logger.group_begin("with hunter2-hunter2");
  f.logger.group_end();
  for (const std::string& line : f.sink->lines) {
    CHECK(line.find("hunter2") == std::string::npos);
  }
}
