list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/koji/koji_client_test.cpp
  unit/clients/fedora/koji/xmlrpc_test.cpp)
