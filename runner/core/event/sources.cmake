# CI events: payload parsers for GitHub/Forgejo/GitLab, the CI environment, the event model.
list(APPEND FERRY_CORE_SOURCES
  model/event.cpp
  core/event/ci_environment.cpp
  core/event/event_parser.cpp)
