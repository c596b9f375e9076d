# Interface targets carrying ferry's language level and warnings. First-party targets link them
# PRIVATE; third-party code never does (ccache's standard_settings / standard_warnings).
add_library(ferry_options INTERFACE)
target_compile_features(ferry_options INTERFACE cxx_std_23)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_definitions(ferry_options INTERFACE
  $<$<NOT:$<CONFIG:Release>>:_GLIBCXX_ASSERTIONS>
  FERRY_VERSION="${PROJECT_VERSION}")

add_library(ferry_warnings INTERFACE)
target_compile_options(ferry_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wold-style-cast -Wimplicit-fallthrough -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond -Wlogical-op -Wsuggest-override>
  # GCC 12 reports false -Wrestrict and -Wmaybe-uninitialized positives inside std::string at
  # -O2/-O3 (GCC bugs 105329, 105562).
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>,$<NOT:$<CONFIG:Debug>>>:-Wno-maybe-uninitialized>
  $<$<BOOL:${FERRY_WARNINGS_AS_ERRORS}>:-Werror>)

if(FERRY_SANITIZERS)
  list(JOIN FERRY_SANITIZERS "," _ferry_san)
  add_compile_options(-fsanitize=${_ferry_san} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_ferry_san})
endif()
