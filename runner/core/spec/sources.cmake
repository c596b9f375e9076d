# The RPM spec engine: lossless model, macro evaluation, editing, version comparison.
list(APPEND FERRY_CORE_SOURCES
  core/spec/changelog.cpp
  core/spec/expression.cpp
  core/spec/macro_expander.cpp
  core/spec/macro_table.cpp
  core/spec/rpmvercmp.cpp
  core/spec/spec_editor.cpp
  core/spec/spec_evaluator.cpp
  core/spec/spec_file.cpp
  core/spec/spec_io.cpp
  core/spec/spec_json.cpp)
