# libFuzzer target for the Koji XML-RPC codec (xmlrpc_fuzz). Meant to be include()d by
# tests/fuzz/CMakeLists.txt after it set _fuzz_flags (and, standalone, _runner).
if(CMAKE_SOURCE_DIR STREQUAL CMAKE_CURRENT_SOURCE_DIR)
  find_package(pugixml REQUIRED)
  add_executable(xmlrpc_fuzz ${CMAKE_CURRENT_LIST_DIR}/xmlrpc_fuzz.cpp
    ${_runner}/clients/fedora/koji/xmlrpc.cpp ${_runner}/infra/util/encoding.cpp
    ${_runner}/error.cpp)
  target_include_directories(xmlrpc_fuzz PRIVATE ${_runner})
  target_compile_features(xmlrpc_fuzz PRIVATE cxx_std_23)
  target_compile_definitions(xmlrpc_fuzz PRIVATE FMT_HEADER_ONLY=1)
  target_link_libraries(xmlrpc_fuzz PRIVATE pugixml::pugixml)
  if(DEFINED FERRY_FUZZ_HAS_EXPECTED AND NOT FERRY_FUZZ_HAS_EXPECTED)
    target_include_directories(xmlrpc_fuzz BEFORE PRIVATE ${CMAKE_CURRENT_LIST_DIR}/compat)
  endif()
else()
  add_executable(xmlrpc_fuzz ${CMAKE_CURRENT_LIST_DIR}/xmlrpc_fuzz.cpp)
  target_link_libraries(xmlrpc_fuzz PRIVATE ferry_clients ferry_options)
endif()
target_compile_options(xmlrpc_fuzz PRIVATE ${_fuzz_flags} -g)
target_link_options(xmlrpc_fuzz PRIVATE ${_fuzz_flags})
