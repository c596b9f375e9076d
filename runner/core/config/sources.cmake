# Packit config: YAML document with positions, key schema, loading pipeline, branch aliases.
list(APPEND FERRY_CORE_SOURCES
  core/config/aliases.cpp
  core/config/config_loader.cpp
  core/config/schema.cpp
  core/config/yaml_document.cpp)
