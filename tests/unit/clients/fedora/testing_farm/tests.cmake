# Testing Farm client against FakeHttpClient.
list(APPEND FERRY_CLIENT_TEST_SOURCES
  unit/clients/fedora/testing_farm/testing_farm_client_test.cpp)
