# Unit, golden and corpus-conformance tests of the RPM spec engine.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/spec/macro_expander_test.cpp
  unit/core/spec/rpmvercmp_test.cpp
  unit/core/spec/spec_conformance_test.cpp
  unit/core/spec/spec_editor_test.cpp
  unit/core/spec/spec_evaluator_test.cpp
  unit/core/spec/spec_file_test.cpp
  unit/core/spec/spec_golden_test.cpp)
