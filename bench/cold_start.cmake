# Cold start of the real binary: `ferry --version`, fork+exec+exit (target: <= 5 ms median).
add_executable(bench_cold_start ${CMAKE_CURRENT_LIST_DIR}/cold_start_bench.cpp)
target_link_libraries(bench_cold_start PRIVATE benchmark::benchmark ferry_options)
target_compile_definitions(bench_cold_start PRIVATE FERRY_BINARY="$<TARGET_FILE:ferry>")
add_dependencies(bench_cold_start ferry)
