# Packit config: in-process load of the largest corpus config (and ferry's own fixture when
# the corpus is absent), and the whole `ferry validate-config` process (target <= 20 ms wall;
# Packit's CLI takes 2.6-3.0 s).
add_executable(bench_config ${CMAKE_CURRENT_LIST_DIR}/config_bench.cpp)
target_link_libraries(bench_config PRIVATE ferry_core benchmark::benchmark ferry_options)
target_compile_definitions(bench_config PRIVATE FERRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  FERRY_BINARY="$<TARGET_FILE:ferry>")
add_dependencies(bench_config ferry)
