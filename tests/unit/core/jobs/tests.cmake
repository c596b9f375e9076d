# The upstream build and test jobs' pure parts: check names, Copr project names, timestamps,
# check titles.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/jobs/upstream_commit_test.cpp)
