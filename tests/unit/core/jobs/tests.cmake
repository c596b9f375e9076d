# The downstream jobs' pure parts: branch releases, spec facts, notes, bugs, allow lists.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/jobs/allow_list_test.cpp
  unit/core/jobs/dist_git_build_test.cpp)
