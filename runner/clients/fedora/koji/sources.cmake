# Koji: the hub's XML-RPC API (builds, tasks, tags, side tags), its codec on pugixml.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/koji/koji_client.cpp
  clients/fedora/koji/xmlrpc.cpp)
