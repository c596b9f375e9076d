# Copr API v3: projects, SCM and SRPM builds, build and chroot states.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/copr/copr_client.cpp)
