// Message digests of files, streamed (a 1 GiB archive never sits in memory).
#pragma once

#include "error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace ferry::infra::util {

enum class DigestKind { sha512, sha256, md5 };

// Lower-case hex digest of the file's bytes; ErrorKind::io when it cannot be read.
[[nodiscard]] Result<std::string> file_digest(const std::filesystem::path& path, DigestKind kind);
// Lower-case hex digest of a string.
std::string text_digest(std::string_view text, DigestKind kind);

} // namespace ferry::infra::util
