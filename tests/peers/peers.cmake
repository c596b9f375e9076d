# Real-peer tests (CTest label `peers`): the real ferry binary against the real servers of
# ../shared/peers (Pagure 5.13.3 and 5.14.1, dist-git's upload.cgi, the Koji hub and Bodhi),
# started per test on free loopback ports by bin/peer and bin/peer-koji. A missing peer fails (FERRY_PREREQUISITE_MISSING), never skips.
# The servers are heavy for 2 cores: peers tests never run at the same time (RESOURCE_LOCK).
file(GLOB _peer_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/peers/*_test.cpp)
add_executable(peers ${_peer_tests} ${CMAKE_CURRENT_SOURCE_DIR}/peers/real_pagure.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/peers/real_koji.cpp)
target_link_libraries(peers PRIVATE ferry_core ferry_test_support ferry_warnings)
get_filename_component(_peers_dir ${PROJECT_SOURCE_DIR}/../shared/peers ABSOLUTE)
set(FERRY_PEERS_DIR ${_peers_dir} CACHE PATH "the real servers (../shared/peers)")
target_compile_definitions(peers PRIVATE FERRY_BINARY="$<TARGET_FILE:ferry>"
  FERRY_PEERS_DIR="${FERRY_PEERS_DIR}")
add_dependencies(peers ferry)
catch_discover_tests(peers
  TEST_PREFIX "peers."
  EXTRA_ARGS --warn NoAssertions
  PROPERTIES LABELS peers TIMEOUT 1200 RESOURCE_LOCK real_peers
  DISCOVERY_TIMEOUT 30)
