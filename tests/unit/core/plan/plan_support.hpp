// Shared set-up of the plan tests: the recorded Bodhi releases and fixture configs.
#pragma once

#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"
#include "core/plan/plan.hpp"
#include "unit/core/event/fixture_path.hpp"

#include <catch2/catch.hpp>

namespace ferry::testing {

inline core::config::Aliases recorded_aliases() {
  auto page = clients::fedora::bodhi::parse_releases_page(
      read_file_text(fixture_path("bodhi/releases.json")));
  REQUIRE(page);
  return core::config::Aliases::from_releases(page->releases);
}

inline core::config::Config config_from(std::string_view text) {
  auto result = core::config::load_config_text(text, "test.yaml", {});
  INFO((result.errors.empty() ? "" : core::config::format_diagnostic(result.errors.front())));
  REQUIRE(result.config);
  return *result.config;
}

inline model::Event event_of(model::EventKind kind) {
  model::Event event;
  event.forge = model::Forge::github;
  event.kind = kind;
  event.repo_full_name = "acme/widget";
  event.default_branch = "main";
  return event;
}

inline const core::plan::SkippedJob* skipped_job(const core::plan::Plan& plan,
                                                 std::string_view type) {
  for (const auto& job : plan.skipped) {
    if (job.job == type) {
      return &job;
    }
  }
  return nullptr;
}

inline const core::plan::PlannedJob* planned_job(const core::plan::Plan& plan,
                                                 std::string_view type) {
  for (const auto& job : plan.jobs) {
    if (job.job == type) {
      return &job;
    }
  }
  return nullptr;
}

} // namespace ferry::testing
