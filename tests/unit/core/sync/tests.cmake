# The release-sync engine's pure parts.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/sync/actions_test.cpp
  unit/core/sync/dist_git_content_test.cpp
  unit/core/sync/messages_test.cpp
  unit/core/sync/release_version_test.cpp
  unit/core/sync/run_report_test.cpp)
