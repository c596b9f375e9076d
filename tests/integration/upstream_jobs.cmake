# copr_build and tests end to end: the real binary against FakeGitHub, FakeCopr and
# FakeTestingFarm.
target_sources(integration PRIVATE integration/upstream_jobs_test.cpp)
