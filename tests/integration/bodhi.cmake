# The Bodhi releases client against HttpTestServer with the real curl client.
target_sources(integration PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/bodhi_releases_test.cpp)
