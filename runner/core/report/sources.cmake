# What a run reports: job summary, outputs, result.
list(APPEND FERRY_CORE_SOURCES
  core/report/run_report.cpp)
