# Comment commands (/packit ..., /ferry ...): tokeniser, command table, permissions.
list(APPEND FERRY_CORE_SOURCES
  core/command/comment_command.cpp)
