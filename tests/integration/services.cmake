# Bodhi updates (with its OIDC login), Copr and Testing Farm clients against their fakes.
target_sources(integration PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/bodhi_updates_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/copr_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/testing_farm_test.cpp)
