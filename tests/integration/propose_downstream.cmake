# propose_downstream end to end: the real binary against the fakes.
target_sources(integration PRIVATE integration/propose_downstream_test.cpp)
target_sources(integration PRIVATE integration/propose_downstream_forges_test.cpp)
