list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/forge/forge_registry_test.cpp
  unit/clients/forge/rest_client_test.cpp)
