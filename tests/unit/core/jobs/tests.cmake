# The jobs' pure parts: branch releases, spec facts, notes, bugs, allow lists, failure issues
# (downstream);
# check names, Copr project names, timestamps, check titles (upstream).
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/jobs/allow_list_test.cpp
  unit/core/jobs/dist_git_build_test.cpp
  unit/core/jobs/downstream_job_test.cpp
  unit/core/jobs/upstream_commit_test.cpp)
