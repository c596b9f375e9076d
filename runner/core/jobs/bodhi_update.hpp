// bodhi_update (packit-compat §6): ship each configured branch's Koji build through a Bodhi
// update — in the same run as koji_build, or later (a re-run, a `/packit create-update`
// comment, `ferry create-update`): the build is found in Koji from the commit, never carried
// over from the run that made it. Per branch, named steps:
//
//   check_branch    a branch whose updates Bodhi makes by itself (Rawhide) is skipped, except
//                   for a side-tag group (Bodhi takes side-tag updates for Rawhide too)
//   find_builds     the NVR of the branch's commit in Koji (waiting while it is still
//                   building), built by someone in allowed_builders (default: this runner);
//                   or, for a sidetag_group, the latest build of this package and each of its
//                   `dependencies` in the group's side tag
//   compose_update  notes from the %changelog entries since the latest stable build, the bugs
//                   they close, type `enhancement`, bodhi_extra_params
//   submit_update   one update per build set: found again on a re-run, a side tag's update
//                   edited instead of duplicated (UpdatesClient::submit)
#pragma once

#include "core/jobs/downstream_job.hpp"

namespace ferry::core::jobs {

job::JobOutcome run_bodhi_update(const DownstreamInput& input, DownstreamServices& services,
                                 const DownstreamOptions& options);

// bodhi_extra_params as form values: strings as they are, booleans "True"/"False" (as
// bodhi-client sends them), numbers in decimal; lists and objects are left out.
std::vector<std::pair<std::string, std::string>>
bodhi_extra_params(const nlohmann::ordered_json& settings);

} // namespace ferry::core::jobs
