#include "core/job/steps.hpp"
#include "infra/process/cancellation.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <vector>

using namespace ferry;
using namespace std::chrono_literals;

TEST_CASE("a SIGTERM stops the steps before the next one, never inside one", "[core][job]") {
  infra::process::install_cancellation_handlers();
  std::vector<std::string> ran;
  std::vector<core::job::Step> steps = {
      {"first",
       [&]() -> Result<core::job::Flow> {
         ran.emplace_back("first");
         std::raise(SIGTERM); // as the CI cancelling the job while this step works
         ran.emplace_back("first finished");
         return core::job::Flow::next;
       }},
      {"second", [&]() -> Result<core::job::Flow> {
         ran.emplace_back("second");
         return core::job::Flow::next;
       }}};
  auto flow = core::job::run_steps("job f41", steps, {});
  REQUIRE_FALSE(flow);
  CHECK(flow.error().kind() == ErrorKind::cancelled);
  CHECK(flow.error().describe() == "cancelled by SIGTERM (while job f41: before step second)");
  CHECK(ran == std::vector<std::string>{"first", "first finished"});
  infra::process::reset_cancellation_for_tests();
}

TEST_CASE("a wait ends early when the run is cancelled", "[core][job]") {
  infra::process::install_cancellation_handlers();
  std::raise(SIGINT);
  auto started = std::chrono::steady_clock::now();
  infra::process::wait_unless_cancelled(60s);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(infra::process::cancel_signal_name() == "SIGINT");
  infra::process::reset_cancellation_for_tests();
}
