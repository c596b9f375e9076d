# The spec engine: load + set-version + %changelog entry + atomic save, on real specs from the
# shared corpus (typical 10-30 KB dist-git specs and the largest one), with allocation peaks.
add_executable(bench_spec ${CMAKE_CURRENT_LIST_DIR}/spec_bench.cpp)
target_link_libraries(bench_spec PRIVATE ferry_core benchmark::benchmark ferry_options)
target_compile_definitions(bench_spec PRIVATE FERRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
