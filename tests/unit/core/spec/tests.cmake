# Unit, golden and corpus-conformance tests of the RPM spec engine.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/spec/rpmvercmp_test.cpp
  unit/core/spec/spec_conformance_test.cpp)
