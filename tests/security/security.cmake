# The standing attack suite (CTest label `security`): each tests/security/*_test.cpp drives the
# real ferry binary (or its real clients) against the fakes with hostile input, echoing or
# failing servers and cancellation. Each class of attack has a file of its own. Each test has
# an outer time limit, so a regression that hangs (a stalled transfer) fails instead.
file(GLOB _security_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/security/*_test.cpp)
if(_security_sources) # scripts/test.sh fails when the suite holds no test
add_executable(security ${_security_sources})
target_include_directories(security PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration)
target_link_libraries(security PRIVATE ferry_core ferry_test_support ferry_warnings)
target_compile_definitions(security PRIVATE FERRY_BINARY="$<TARGET_FILE:ferry>"
  FAKE_FORGE_BINARY="$<TARGET_FILE:fake-forge>")
add_dependencies(security ferry fake-forge)
catch_discover_tests(security
  TEST_PREFIX "security."
  EXTRA_ARGS --order rand --warn NoAssertions
  PROPERTIES LABELS security TIMEOUT 600
  DISCOVERY_TIMEOUT 30)
endif()
