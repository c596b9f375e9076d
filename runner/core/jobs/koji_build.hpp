// koji_build (packit-compat §5): after a dist-git push (a merged pull request or a direct push)
// or a `/packit koji-build` comment, build each configured branch's commit in Koji and report
// the NVR. Per branch, named steps that look before they act:
//
//   check_trigger    a push must change the spec; a merged PR's author must be in
//                    allowed_pr_authors (default: this runner, see allow_list.hpp), a direct
//                    pusher in allowed_committers (default: nobody)
//   read_spec        the NVR the spec gives at the commit, as built for the branch
//   choose_target    `<branch>-candidate` (rawhide: `rawhide`), or the side tag of the
//                    job's sidetag_group for the branch (found again, or created), whose
//                    `dependencies` must already be built in it
//   look_for_build   the NVR already built (getBuild), a build of this very commit, or our
//                    running build task for it: nothing is submitted twice
//   submit_build     build("git+https://…/rpms/<pkg>.git#<commit>", target, {scratch})
//   wait_for_build   polls the task to its end; the NVR and task URL go into the outcome
#pragma once

#include "core/jobs/downstream_job.hpp"

namespace ferry::core::jobs {

job::JobOutcome run_koji_build(const DownstreamInput& input, DownstreamServices& services,
                               const DownstreamOptions& options);

} // namespace ferry::core::jobs
