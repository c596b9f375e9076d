list(APPEND FERRY_CLIENT_SOURCES
  clients/forge/forge.cpp
  clients/forge/forge_registry.cpp
  clients/forge/rest_client.cpp
  clients/forge/forgejo/forgejo_forge.cpp
  clients/forge/github/github_forge.cpp
  clients/forge/gitlab/gitlab_forge.cpp
  clients/forge/pagure/pagure_forge.cpp)
