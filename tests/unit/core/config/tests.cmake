# Packit config: YAML positions, schema, loading pipeline, aliases, corpus configs.
list(APPEND FERRY_CORE_TEST_SOURCES
  unit/core/config/aliases_test.cpp
  unit/core/config/config_corpus_test.cpp
  unit/core/config/config_errors_test.cpp
  unit/core/config/config_loader_test.cpp
  unit/core/config/yaml_document_test.cpp)
