# pull_from_upstream end to end: the real binary as a scheduled dist-git job.
target_sources(integration PRIVATE integration/pull_from_upstream_test.cpp)
