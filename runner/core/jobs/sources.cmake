# Jobs: propose_downstream / pull_from_upstream (the release sync) and where dist-git is;
# copr_build and tests for upstream commits.
list(APPEND FERRY_CORE_SOURCES
  core/jobs/dist_git_side.cpp
  core/jobs/release_sync.cpp
  core/jobs/upstream_commit.cpp
  core/jobs/copr_build.cpp
  core/jobs/tests_job.cpp)
