# koji_build and bodhi_update end to end: the real binary against Forgejo, Koji, the IdP and
# Bodhi fakes and a real KDC.
target_sources(integration PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/downstream_jobs_test.cpp)
