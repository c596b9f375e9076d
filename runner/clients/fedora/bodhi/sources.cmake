# Bodhi: the releases list behind Fedora/EPEL branch aliases; OIDC login with Kerberos, the
# cookie + CSRF session, and updates.
list(APPEND FERRY_CLIENT_SOURCES
  clients/fedora/bodhi/oidc_login.cpp
  clients/fedora/bodhi/releases_client.cpp
  clients/fedora/bodhi/session.cpp
  clients/fedora/bodhi/updates_client.cpp)
