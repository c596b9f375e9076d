# Jobs: propose_downstream / pull_from_upstream (the release sync) and where dist-git is;
# koji_build and bodhi_update (the downstream jobs) and what they share; copr_build and
# tests for upstream commits.
list(APPEND FERRY_CORE_SOURCES
  core/jobs/allow_list.cpp
  core/jobs/bodhi_update.cpp
  core/jobs/dist_git_build.cpp
  core/jobs/dist_git_side.cpp
  core/jobs/downstream_job.cpp
  core/jobs/koji_build.cpp
  core/jobs/release_sync.cpp
  core/jobs/side_tags.cpp
  core/jobs/upstream_commit.cpp
  core/jobs/copr_build.cpp
  core/jobs/tests_job.cpp)
