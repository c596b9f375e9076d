# Event ingestion: payload parsers, CI environment, corpus of real webhook payloads.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/event/ci_environment_test.cpp
  unit/core/event/event_corpus_test.cpp
  unit/core/event/event_parser_test.cpp)
