# The release-sync engine shared by propose_downstream and pull_from_upstream.
list(APPEND FERRY_CORE_SOURCES
  core/sync/actions.cpp
  core/sync/archives.cpp
  core/sync/dist_git_content.cpp
  core/sync/messages.cpp
  core/sync/release_version.cpp)
