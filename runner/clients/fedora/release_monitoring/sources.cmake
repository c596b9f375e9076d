# release-monitoring.org (Anitya) API v2: newest upstream versions for pull_from_upstream.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/release_monitoring/release_monitoring_client.cpp)
