# A CI workspace owned by another user (container actions): trusted as safe.directory does.
target_sources(integration PRIVATE integration/ci_workspace_test.cpp)
