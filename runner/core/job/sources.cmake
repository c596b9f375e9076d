# Jobs as named steps, and what they report.
list(APPEND FERRY_CORE_SOURCES
  core/job/outcome.cpp
  core/job/steps.cpp)
