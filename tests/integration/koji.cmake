# The Koji client against FakeKoji over real HTTP, logging in through a real MIT KDC.
target_sources(integration PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/koji_test.cpp)
# The Koji fake as the standalone fake-forge server.
add_test(NAME cli.fake_forge_serves_a_seeded_koji
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_fake_koji.sh $<TARGET_FILE:fake-forge>)
