list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/lookaside/sources_file_test.cpp)
