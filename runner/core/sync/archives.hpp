// Fetching a release's source archives: each remote Source of the updated spec (or its
// `sources:` override) downloaded once per run into a work folder, waiting with a bounded,
// configurable schedule while the release archive is not published yet (packit-compat.md
// §3.1.7), and hashed (SHA-512) as the bytes arrive, for the lookaside and the `sources` file.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ferry::core::sync {

struct ArchiveSource {
  std::string filename;
  std::string url; // http(s)://, file:// or a local path
};

struct FetchedArchive {
  std::string filename;
  std::filesystem::path path;
  std::string sha512;
  std::uintmax_t size = 0;
};

// Packit waits 1, 2, 4, 8, 16 and 32 minutes for an archive that is not published yet.
std::vector<std::chrono::seconds> default_archive_waits();

// "60,120,240" (seconds); ErrorKind::config for anything else.
[[nodiscard]] Result<std::vector<std::chrono::seconds>> parse_archive_waits(std::string_view text);

struct FetchOptions {
  std::filesystem::path into;                      // the run's download folder
  std::vector<std::chrono::seconds> waits;         // between attempts while the answer is 404
  std::function<void(std::chrono::seconds)> sleep; // tests replace it
  // Called before each wait with the file, the attempt and the wait (for the log and summary).
  std::function<void(const std::string&, int, std::chrono::seconds)> on_wait;
};

// Downloads (or reuses, when already fetched in this run) and hashes one archive, in one pass. A
// 404 after the last wait is ErrorKind::not_found saying how long ferry waited and what to do.
[[nodiscard]] Result<FetchedArchive> fetch_archive(infra::http::HttpClient& http,
                                                   const ArchiveSource& source,
                                                   const FetchOptions& options);

// Hashes a file already on disk (an archive given with --archive or made by create-archive).
[[nodiscard]] Result<FetchedArchive> describe_archive(const std::filesystem::path& path);

} // namespace ferry::core::sync
