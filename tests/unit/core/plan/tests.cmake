# The job plan: decisions per event kind, skip reasons, JSON shape, corpus configs.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/plan/plan_corpus_test.cpp
  unit/core/plan/plan_test.cpp)
