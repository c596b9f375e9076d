# Copr client against FakeHttpClient and the recorded Copr answers.
list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/copr/copr_client_test.cpp)
