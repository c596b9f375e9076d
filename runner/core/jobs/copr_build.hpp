// copr_build: an upstream commit (a pull request's head, a pushed branch, a release) built in
// Copr from SCM — Copr clones the commit and makes the SRPM — in the chroots the plan resolved
// from `targets`, with Packit's `rpm-build:<chroot>` checks on the commit (packit-compat.md §8)
// and one outcome per chroot.
//
// Steps look before they act: the project is read before it is created; the commit's build is
// looked for among the project's recent builds (by the clone URL and commit Copr kept) and
// waited for instead of building again. Only a comment asking for a build made after it was
// written (`/packit build`, `rebuild_after`) makes a new one — and a re-run of that same
// comment finds the build it made.
#pragma once

#include "clients/fedora/copr/copr_client.hpp"
#include "clients/forge/forge.hpp"
#include "core/config/config.hpp"
#include "core/job/outcome.hpp"
#include "core/job/steps.hpp"
#include "core/jobs/upstream_commit.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ferry::core::jobs {

struct CoprBuildInput {
  const config::PackageConfig* package = nullptr;
  const config::JobConfig* job = nullptr; // copr_build (or the tests job building for itself)
  std::vector<std::string> chroots;       // resolved from `targets`
  UpstreamCommit commit;
  // A comment asked for a build at this time (epoch seconds): builds submitted before it do
  // not count. nullopt: any build of the commit does.
  std::optional<std::int64_t> rebuild_after;
  bool only_failed = false; // rebuild-failed: only chroots whose check failed
};

struct CoprServices {
  clients::fedora::copr::CoprClient& copr;
  clients::forge::Forge* forge = nullptr; // where checks go; null: no checks
};

struct UpstreamJobOptions {
  std::string copr_user; // `copr_username`: the default project owner (else the API login's)
  bool dry_run = false;
  std::ostream* dry_run_out = nullptr;
  bool report_checks = true; // false for CLI runs without a forge
  job::StepOptions steps;
};

struct CoprBuildResult {
  job::JobOutcome outcome;
  std::string owner;
  std::string project;
  std::optional<clients::fedora::copr::FinishedBuild> build; // when a build ran to its end
  std::string build_url;
};

CoprBuildResult run_copr_build(const CoprBuildInput& input, CoprServices& services,
                               const UpstreamJobOptions& options);

// The description Packit gives a chroot's check for a Copr build/chroot state.
std::string copr_state_title(std::string_view build_state, std::string_view chroot_state);

} // namespace ferry::core::jobs
