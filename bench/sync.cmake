# The release sync: 1 GiB hash + lookaside upload against openssl dgst (>= 90 %, peak RSS
# <= 64 MiB), and a whole local propose-downstream of the example (<= 300 ms).
add_executable(bench_sync ${CMAKE_CURRENT_LIST_DIR}/sync_bench.cpp)
target_link_libraries(bench_sync PRIVATE ferry_core benchmark::benchmark ferry_options)
target_compile_definitions(bench_sync PRIVATE FERRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  FERRY_BINARY="$<TARGET_FILE:ferry>" FERRY_FAKE_FORGE="$<TARGET_FILE:fake-forge>")
add_dependencies(bench_sync ferry fake-forge)
