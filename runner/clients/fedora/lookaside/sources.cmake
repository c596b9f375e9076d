list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/lookaside/lookaside.cpp
  clients/fedora/lookaside/sources_file.cpp)
