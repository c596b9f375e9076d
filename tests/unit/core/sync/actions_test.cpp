// Packit actions: commands split like shlex, run without a shell, with PACKIT_* variables.
#include "core/sync/actions.hpp"
#include "support/fake_process_runner.hpp"

#include <catch2/catch.hpp>

using namespace ferry::core::sync;

TEST_CASE("commands are split like Python's shlex.split", "[unit][sync]") {
  CHECK(split_command("make dist").value() == std::vector<std::string>{"make", "dist"});
  CHECK(split_command(R"(sh -c 'echo $HOME; rm x' "a b" c\ d)").value() ==
        std::vector<std::string>{"sh", "-c", "echo $HOME; rm x", "a b", "c d"});
  CHECK(split_command(R"("say \"hi\"")").value() == std::vector<std::string>{"say \"hi\""});
  CHECK(split_command("  ").value().empty());
  auto open_quote = split_command("echo 'unterminated");
  REQUIRE_FALSE(open_quote);
  CHECK(open_quote.error().kind() == ferry::ErrorKind::config);
}

TEST_CASE("configured actions are read in all of Packit's forms", "[unit][sync]") {
  nlohmann::ordered_json settings = {
      {"actions",
       {{"pre-sync", "make prep"},
        {"post-modifications", {"make a", "make b"}},
        {"create-archive", nlohmann::ordered_json::array({{"git", "archive", "HEAD"}})},
        {"bad", 5}}}};
  CHECK(configured_action(settings, "pre-sync").value() ==
        std::vector<std::vector<std::string>>{{"make", "prep"}});
  CHECK(configured_action(settings, "post-modifications").value().size() == 2);
  CHECK(configured_action(settings, "create-archive").value().front() ==
        std::vector<std::string>{"git", "archive", "HEAD"});
  CHECK(configured_action(settings, "missing").value().empty());
  CHECK_FALSE(configured_action(settings, "bad"));
}

TEST_CASE("actions run with Packit's variables, a clean environment and fail clearly",
          "[unit][sync]") {
  ferry::testing::FakeProcessRunner runner;
  runner.on("make", {0, "prepared\n", "", false, false, {}});
  runner.on("false", {2, "", "it broke\n", false, false, {}});
  ActionRun run{"pre-sync", {{"make", "prep"}}, "/tmp", {{"PACKIT_PROJECT_VERSION", "1.3.0"}}};
  auto output = run_action(runner, run);
  REQUIRE(output);
  CHECK(*output == "prepared\n");
  REQUIRE(runner.commands().size() == 1);
  const auto& command = runner.commands().front();
  CHECK(command.env.at("PACKIT_PROJECT_VERSION") == "1.3.0");
  CHECK(command.env.contains("PATH"));
  CHECK_FALSE(command.inherit_environment);
  CHECK(command.cwd == std::filesystem::path("/tmp"));

  run.commands = {{"false"}};
  auto failed = run_action(runner, run);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind() == ferry::ErrorKind::process);
  CHECK(failed.error().message() == "action pre-sync failed: false exited with 2: it broke\n");
}
