# Bodhi releases, OIDC login parsing, session and updates clients against FakeHttpClient.
list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/bodhi/releases_client_test.cpp
  unit/clients/fedora/bodhi/updates_client_test.cpp)
