// For every corpus config, a release plans what Packit would do on a release: each
// propose_downstream job for the prod instance with a release trigger (no manual trigger,
// no tag filter) runs with resolved branches; koji_build and bodhi_update jobs are listed as
// downstream jobs with their branches.
#include "support/skip.hpp"
#include "unit/core/plan/plan_support.hpp"

TEST_CASE("A release plans the corpus configs' release jobs", "[core][plan][corpus]") {
  auto root = ferry::testing::corpus_path("configs");
  if (!std::filesystem::exists(root)) {
    FERRY_PREREQUISITE_MISSING("shared corpus not found at " << root);
  }
  auto aliases = ferry::testing::recorded_aliases();
  std::size_t proposed = 0;
  std::size_t downstream = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    auto path = ferry::core::config::find_config_file(entry.path());
    if (!entry.is_directory() || !path) {
      continue;
    }
    INFO(entry.path().string());
    auto config = ferry::core::config::load_config(*path);
    REQUIRE(config);
    auto event = ferry::testing::event_of(ferry::model::EventKind::release);
    event.tag = "v99.0.0";
    auto plan = ferry::core::plan::make_plan(event, *config, aliases);
    REQUIRE(plan.jobs.size() + plan.skipped.size() == config->jobs.size());
    for (const auto& job : config->jobs) {
      bool prod = std::find(job.packit_instances.begin(), job.packit_instances.end(), "prod") !=
                  job.packit_instances.end();
      bool expected_to_run = job.type == "propose_downstream" && job.trigger == "release" && prod &&
                             !job.manual_trigger && !job.upstream_tag_include &&
                             !job.upstream_tag_exclude;
      auto planned = std::find_if(plan.jobs.begin(), plan.jobs.end(), [&](const auto& p) {
        return p.index == job.index && p.package == job.package && p.trigger == job.trigger;
      });
      if (expected_to_run) {
        REQUIRE(planned != plan.jobs.end());
        CHECK_FALSE(planned->dist_git_branches.empty());
        ++proposed;
      }
      bool later = (job.type == "koji_build" || job.type == "bodhi_update") && prod &&
                   job.trigger != "ignore";
      if (later) {
        auto skipped = std::find_if(plan.skipped.begin(), plan.skipped.end(), [&](const auto& s) {
          return s.index == job.index && s.package == job.package && s.trigger == job.trigger;
        });
        REQUIRE(skipped != plan.skipped.end());
        CHECK(skipped->reason == "trigger_mismatch");
        CHECK_FALSE(skipped->dist_git_branches.empty());
        ++downstream;
      }
    }
  }
  WARN("release plans: " << proposed << " propose_downstream jobs run; " << downstream
                         << " koji_build/bodhi_update jobs listed for later");
  CHECK(proposed > 10);
}
