# Jobs: propose_downstream / pull_from_upstream (the release sync) and where dist-git is.
list(APPEND FERRY_CORE_SOURCES
  core/jobs/dist_git_side.cpp
  core/jobs/release_sync.cpp)
