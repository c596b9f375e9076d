# The step runner: order, stop, cancellation between steps.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/job/steps_test.cpp)
