# Every dependency comes from Debian packages. The ordinary build links the system's shared
# libraries (what distributions package); FERRY_STATIC links a fully static executable against
# Debian's .a files plus krb5, curl and libgit2 built from Debian's source packages by
# scripts/build-static-deps.sh (Debian's libcurl.a drags in libraries with no .a).
#
# Provides: ferry::curl, ferry::git2, ferry::crypto (OpenSSL libcrypto), ferry::yaml,
# ferry::json, ferry::fmt, ferry::xml, ferry::boost_process — only infra/ may link curl, git2,
# crypto and boost_process.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt 9 REQUIRED)
if(FERRY_STATIC)
  set(Boost_USE_STATIC_LIBS ON) # before find_package(Boost)
endif()
find_package(Boost 1.81 REQUIRED COMPONENTS filesystem)

add_library(ferry_json INTERFACE)
target_link_libraries(ferry_json INTERFACE nlohmann_json::nlohmann_json)
add_library(ferry::json ALIAS ferry_json)

# Debian ships no libfmt.a: header-only mode works for both builds.
add_library(ferry_fmt INTERFACE)
target_link_libraries(ferry_fmt INTERFACE fmt::fmt-header-only)
add_library(ferry::fmt ALIAS ferry_fmt)

# Boost.Process v2 (header-only in 1.81). Its BOOST_PROCESS_USE_STD_FS mode does not compile
# in 1.81 (missing includes and qualifications), so it runs on Boost.Filesystem.
add_library(ferry_boost_process INTERFACE)
target_link_libraries(ferry_boost_process INTERFACE Boost::headers Boost::filesystem
  Threads::Threads)
# Compiled once, in infra/process/boost_process_v2_src.cpp: 1.81 header-only mode lacks
# process_environment::on_setup at link time.
target_compile_definitions(ferry_boost_process INTERFACE BOOST_ASIO_NO_DEPRECATED
  BOOST_PROCESS_V2_SEPARATE_COMPILATION)
add_library(ferry::boost_process ALIAS ferry_boost_process)

if(FERRY_STATIC)
  if(NOT FERRY_STATIC_PREFIX OR NOT EXISTS "${FERRY_STATIC_PREFIX}/lib/libcurl.a")
    message(FATAL_ERROR "FERRY_STATIC needs FERRY_STATIC_PREFIX: run scripts/build-static-deps.sh "
      "and pass its last output line as -DFERRY_STATIC_PREFIX=...")
  endif()
  set(FERRY_DEPS_ORIGIN "Debian .a files + ${FERRY_STATIC_PREFIX}")
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
  set(_p "${FERRY_STATIC_PREFIX}")
  set(_krb5 ${_p}/lib/libgssapi_krb5.a ${_p}/lib/libkrb5.a ${_p}/lib/libk5crypto.a
            ${_p}/lib/libcom_err.a ${_p}/lib/libkrb5support.a resolv)
  find_library(_ssl NAMES ssl REQUIRED)
  find_library(_crypto NAMES crypto REQUIRED)
  find_library(_z NAMES z REQUIRED)
  find_library(_nghttp2 NAMES nghttp2 REQUIRED)
  find_library(_ssh2 NAMES ssh2 REQUIRED)
  find_library(_http_parser NAMES http_parser REQUIRED)
  find_library(_pcre2 NAMES pcre2-8 REQUIRED)
  find_library(_yaml NAMES yaml-cpp REQUIRED)
  find_library(_pugixml NAMES pugixml REQUIRED)

  add_library(ferry_curl INTERFACE)
  target_include_directories(ferry_curl SYSTEM INTERFACE ${_p}/include)
  target_compile_definitions(ferry_curl INTERFACE CURL_STATICLIB)
  target_link_libraries(ferry_curl INTERFACE ${_p}/lib/libcurl.a ${_nghttp2} ${_krb5}
    ${_ssl} ${_crypto} ${_z} Threads::Threads)
  add_library(ferry_git2 INTERFACE)
  target_include_directories(ferry_git2 SYSTEM INTERFACE ${_p}/include)
  target_link_libraries(ferry_git2 INTERFACE ${_p}/lib/libgit2.a ${_http_parser} ${_ssh2}
    ${_pcre2} ${_krb5} ${_ssl} ${_crypto} ${_z} Threads::Threads)
  add_library(ferry_crypto INTERFACE)
  target_link_libraries(ferry_crypto INTERFACE ${_crypto} Threads::Threads)
  add_library(ferry_yaml INTERFACE)
  target_link_libraries(ferry_yaml INTERFACE ${_yaml})
  add_library(ferry_xml INTERFACE)
  target_link_libraries(ferry_xml INTERFACE ${_pugixml})
  add_link_options(-static)
else()
  set(FERRY_DEPS_ORIGIN "system shared libraries")
  find_package(CURL 7.88 REQUIRED)
  pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
  find_package(yaml-cpp 0.7 REQUIRED)
  find_package(OpenSSL 3 REQUIRED)
  add_library(ferry_crypto INTERFACE)
  target_link_libraries(ferry_crypto INTERFACE OpenSSL::Crypto)
  find_package(pugixml 1.13 REQUIRED)
  add_library(ferry_curl INTERFACE)
  target_link_libraries(ferry_curl INTERFACE CURL::libcurl)
  add_library(ferry_git2 INTERFACE)
  target_link_libraries(ferry_git2 INTERFACE PkgConfig::LIBGIT2)
  add_library(ferry_yaml INTERFACE)
  target_link_libraries(ferry_yaml INTERFACE yaml-cpp)
  add_library(ferry_xml INTERFACE)
  target_link_libraries(ferry_xml INTERFACE pugixml::pugixml)
endif()
add_library(ferry::crypto ALIAS ferry_crypto)
add_library(ferry::curl ALIAS ferry_curl)
add_library(ferry::git2 ALIAS ferry_git2)
add_library(ferry::yaml ALIAS ferry_yaml)
add_library(ferry::xml ALIAS ferry_xml)
