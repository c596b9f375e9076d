# The job plan: (Event, Config, Aliases) -> jobs to run and skipped jobs with reasons.
list(APPEND FERRY_CORE_SOURCES
  core/plan/plan.cpp)
