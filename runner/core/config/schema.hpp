// The keys a Packit config may hold (packit-compat.md §1.2-1.6), each with its value type,
// where it may appear and what became of it if it is deprecated. Checking a mapping against
// the table reports unknown keys (with a "did you mean"), wrong types and removed keys.
#pragma once

#include "core/config/config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::config {

// Collects diagnostics for one file; pointers are JSON pointers into the YAML document.
class DiagnosticSink {
public:
  DiagnosticSink(const YamlDocument& document, std::string file)
      : m_document(document), m_file(std::move(file)) {}

  void error_at_value(const std::string& pointer, std::string message);
  void error_at_key(const std::string& pointer, std::string message);
  void warning_at_key(const std::string& pointer, std::string message);

  std::vector<Diagnostic>& errors() { return m_errors; }
  std::vector<Diagnostic>& warnings() { return m_warnings; }

private:
  Diagnostic make(const std::string& pointer, Mark mark, std::string message) const;

  const YamlDocument& m_document;
  std::string m_file;
  std::vector<Diagnostic> m_errors;
  std::vector<Diagnostic> m_warnings;
};

// Where a mapping sits, which decides which keys it may hold.
enum class Level {
  top,         // the file itself
  package,     // a value of top-level `packages:`
  job,         // an item of `jobs:`
  job_package, // a value of a job's `packages:` dict (per-package overrides inside a job)
};

// Checks every key of `mapping` (at `pointer`) for `level`: unknown keys, removed keys, value
// types. Renames of deprecated keys are applied by the loader before this is called.
void check_mapping(const nlohmann::ordered_json& mapping, const std::string& pointer, Level level,
                   DiagnosticSink& sink);

// "jobs[2].dist_git_branches" for "/jobs/2/dist_git_branches".
std::string key_path(const std::string& pointer);

// Job types Packit knows (`job:` values) and trigger names (`trigger:` values).
const std::vector<std::string_view>& job_type_names();
const std::vector<std::string_view>& trigger_names();

// Keys a package (or the top level) may hold and pass on to its jobs.
const std::vector<std::string_view>& package_key_names();

} // namespace ferry::core::config
