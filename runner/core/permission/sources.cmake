list(APPEND FERRY_CORE_SOURCES
  core/permission/command_gate.cpp)
