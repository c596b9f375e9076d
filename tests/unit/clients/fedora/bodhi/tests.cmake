# Bodhi releases client against FakeHttpClient.
list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/bodhi/releases_client_test.cpp)
