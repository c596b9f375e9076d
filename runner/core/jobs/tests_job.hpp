// tests: Testing Farm runs of an upstream commit's tmt plans, one request per target, with the
// commit's Copr build installed (built first in the same run when there is none, unless
// `skip_build`), Packit's `testing-farm:<chroot>` checks on the commit and one outcome per
// target (packit-compat.md §2.1, §7, §8).
//
// Steps look before they act: a target whose current check points at a Testing Farm request
// made after the build it tests (and after the comment asking for the run) is waited for, not
// submitted again. `/packit test` asks for fresh runs (`retest_after`); `/packit retest-failed`
// runs only the targets whose check failed.
#pragma once

#include "clients/fedora/copr/copr_client.hpp"
#include "clients/fedora/testing_farm/testing_farm_client.hpp"
#include "clients/forge/forge.hpp"
#include "core/config/config.hpp"
#include "core/job/outcome.hpp"
#include "core/jobs/copr_build.hpp"
#include "core/jobs/upstream_commit.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::core::jobs {

struct TestsInput {
  const config::PackageConfig* package = nullptr;
  const config::JobConfig* job = nullptr; // the tests job
  // The copr_build job (same package and trigger) whose project the tests' builds go to, as in
  // Packit; null: the tests job's own settings (owner, project, ...).
  const config::JobConfig* build_job = nullptr;
  std::vector<std::string> chroots; // resolved from `targets`
  UpstreamCommit commit;
  std::optional<std::int64_t> rebuild_after; // `/packit build`: a new Copr build (see copr_build)
  std::optional<std::int64_t> retest_after;  // `/packit test`: runs made before do not count
  bool only_failed = false;                  // `/packit retest-failed`
  std::vector<std::string> env;              // `--env K=V` (`K=` unsets)
  std::optional<long> copr_build_id;         // test this Copr build (CLI); else find or build
};

struct TestsServices {
  clients::fedora::testing_farm::TestingFarmClient& testing_farm;
  clients::fedora::copr::CoprClient* copr = nullptr; // null only with skip_build
  clients::forge::Forge* forge = nullptr;            // where checks go; null: no checks
};

job::JobOutcome run_tests(const TestsInput& input, TestsServices& services,
                          const UpstreamJobOptions& options);

// The description Packit gives a target's check for a Testing Farm request state.
std::string tests_state_title(const clients::fedora::testing_farm::RequestStatus& status);

} // namespace ferry::core::jobs
