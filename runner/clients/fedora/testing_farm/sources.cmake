# Testing Farm API v0.1: test requests and their results.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/testing_farm/testing_farm_client.cpp)
