// What rpmspec computes for a spec: Name, Epoch, Version, Release, every Source and Patch,
// whether %autorelease/%autochangelog are used and how many %changelog entries there are.
// Walks the lossless model with rpm's semantics (conditionals, %include, macro side effects),
// without running anything: %(...) stays unevaluated unless the caller supplies a ShellRunner.
#pragma once

#include "core/spec/macro_expander.hpp"
#include "core/spec/spec_file.hpp"
#include "error.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ferry::core::spec {

struct EvalOptions {
  std::vector<std::pair<std::string, std::string>> defines; // --define 'NAME VALUE', in order
  std::string spec_dir = "."; // relative %include paths are resolved against it
  std::string sourcedir;      // %{_sourcedir}; empty means spec_dir
  FileReader read_file;       // for %include and %{load:}; unset: they fail / stay unevaluated
  ShellRunner shell;          // opt-in %(...) execution; unset: never run
  ExpansionLimits limits;
};

struct SourceEntry {
  bool patch = false;
  long number = 0;
  std::string url;                // expanded value
  std::string filename;           // last path component of url
  std::optional<std::size_t> tag; // index into the main file's tags(), when it is a tag there
};

struct SpecInfo {
  std::string name;
  std::optional<std::string> epoch;
  std::string version;
  std::string release;
  std::vector<SourceEntry> sources;
  std::vector<SourceEntry> patches;
  bool autorelease = false;
  bool autochangelog = false;
  std::size_t changelog_entries = 0;
  std::vector<std::string> unevaluated; // "foo.spec:3: %(uname -r)", each once

  // Where things are in the main file, for editing; nullopt when absent or in an include.
  std::optional<std::size_t> name_tag, epoch_tag, version_tag, release_tag; // tags() indices
  std::optional<std::size_t> changelog_section; // sections() index of the active %changelog
  std::vector<bool> active_lines; // per main-file line: inside active conditional branches
  // Main-file definitions (definitions() index by name) in effect at the Version/Release tag.
  std::map<std::string, std::size_t, std::less<>> definitions_at_version;
  std::map<std::string, std::size_t, std::less<>> definitions_at_release;
};

// Evaluates `spec`. Errors (ErrorKind::spec_parse) name the file and line: a bad %if
// expression, a missing %include file, a macro that recurses without end, %{error:...}.
[[nodiscard]] Result<SpecInfo> evaluate_spec(const SpecFile& spec, const EvalOptions& options);

} // namespace ferry::core::spec
