// The clients and inputs of the downstream jobs (koji_build, bodhi_update), built from ferry's
// settings; shared by their `ferry run` runners and the `ferry koji-build` / `ferry
// create-update` commands.
#pragma once

#include "cli/run_context.hpp"
#include "clients/fedora/bodhi/session.hpp"
#include "clients/fedora/bodhi/updates_client.hpp"
#include "clients/fedora/koji/koji_client.hpp"
#include "core/jobs/downstream_job.hpp"

#include <memory>

namespace ferry::cli {

struct DownstreamClients {
  std::unique_ptr<infra::http::HttpClient> koji_http;      // Negotiate or client certificate
  std::unique_ptr<infra::http::HttpClient> bodhi_http;     // Bodhi and the IdP
  std::unique_ptr<infra::http::HttpClient> negotiate_http; // the IdP's authorization URL
  std::unique_ptr<clients::fedora::koji::KojiClient> koji;
  std::unique_ptr<clients::fedora::bodhi::BodhiSession> session;
  std::unique_ptr<clients::fedora::bodhi::UpdatesClient> updates;
};

// Koji at FERRY_KOJI_URL (default Fedora's) with `fedora_cert` or the `keytab` (Kerberos, no
// kinit); Bodhi at FERRY_BODHI_URL (its releases and updates) logging in through the IdP at
// FERRY_OIDC_URL (default id.fedoraproject.org) with the same Kerberos identity, when it first
// writes. `koji_poll_interval` (seconds, default 10) is the first wait between task polls.
[[nodiscard]] Result<DownstreamClients> make_downstream_clients(RunContext& run);

// The job's package (downstream_package_name, else the repository's name), spec, branches,
// dist-git URL for Koji (FERRY_DIST_GIT_URL / dist_git_base_url) and trigger (for a push: the
// pusher, the changed files and the pull request it merged, asked of the event's forge).
[[nodiscard]] Result<core::jobs::DownstreamInput>
downstream_input(RunContext& run, const core::plan::PlannedJob& planned);

// Runs koji_build (`koji_build` true) or bodhi_update for the planned job.
[[nodiscard]] Result<core::job::JobOutcome>
run_downstream_job(RunContext& run, const core::plan::PlannedJob& planned, bool koji_build);

} // namespace ferry::cli
