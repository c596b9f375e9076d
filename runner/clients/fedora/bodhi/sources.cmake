# Bodhi: the releases list behind Fedora/EPEL branch aliases.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/bodhi/releases_client.cpp)
