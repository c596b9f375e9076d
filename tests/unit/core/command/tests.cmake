# Comment-command parser.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/command/comment_command_test.cpp)
