// Spec files on disk: reading (with %include support for evaluation) and atomic writing.
#pragma once

#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_file.hpp"
#include "error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace ferry::core::spec {

// The whole file, bytes unchanged. ErrorKind::io naming the path when it cannot be read.
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& path);

// Reads and parses the spec at `path` (errors name the path).
[[nodiscard]] Result<SpecFile> load_spec_file(const std::filesystem::path& path);

// Evaluation options for a spec on disk: %include and %{load:} read files relative to the
// spec's directory, which is also %{_sourcedir} (as fedpkg sets it for dist-git), and only
// files inside it (no absolute path, "..", or link out of it).
EvalOptions disk_eval_options(const std::filesystem::path& spec_path);

// Replaces the file at `path` with `content`: written to a temporary file in the same
// directory (keeping the original's permissions), then renamed over it, so readers see the
// old or the new file, never a mix. No fsync: ferry's checkouts are disposable and git reads
// the result right away; an fsync costs milliseconds on busy CI disks. On any error the
// original is untouched and the temporary file removed.
[[nodiscard]] Status write_file_atomically(const std::filesystem::path& path,
                                           std::string_view content);

} // namespace ferry::core::spec
