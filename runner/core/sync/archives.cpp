#include "core/sync/archives.hpp"

#include "infra/http/progress_log.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/digest.hpp"
#include "infra/util/url.hpp"

#include <fmt/format.h>

#include <charconv>
#include <thread>

namespace ferry::core::sync {

namespace {

std::string file_url_path(std::string_view url) {
  std::string_view path = url.substr(std::string_view("file://").size());
  return std::string(path);
}

Status copy_local(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(from, error)) {
    return fail(ErrorKind::not_found, fmt::format("archive {} does not exist", from.string()));
  }
  std::filesystem::path part = to;
  part += ".part";
  std::filesystem::copy_file(from, part, std::filesystem::copy_options::overwrite_existing, error);
  if (!error) {
    std::filesystem::rename(part, to, error);
  }
  if (error) {
    std::filesystem::remove(part, error);
    return fail(ErrorKind::io, fmt::format("cannot copy {} to {}: {}", from.string(), to.string(),
                                           error.message()));
  }
  return {};
}

// One download attempt: the archive's SHA-512 when it was downloaded (hashed as it arrived),
// "" when it was copied from a local file, nullopt when the server says 404.
Result<std::optional<std::string>> download_once(infra::http::HttpClient& http,
                                                 const ArchiveSource& source,
                                                 const std::filesystem::path& target) {
  if (source.url.starts_with("file://") || source.url.starts_with("/")) {
    std::filesystem::path from =
        source.url.starts_with("/") ? source.url : file_url_path(source.url);
    auto copied = copy_local(from, target);
    if (!copied && copied.error().kind() == ErrorKind::not_found) {
      return std::nullopt;
    }
    FERRY_TRY(copied);
    return std::string();
  }
  infra::http::Request request;
  request.url = source.url;
  request.download_to = target;
  request.download_digest = infra::util::DigestKind::sha512;
  request.progress = infra::http::make_progress_log("download " + source.filename);
  FERRY_TRY_ASSIGN(infra::http::Response response, http.send(request));
  if (response.status == 404 || response.status == 410) {
    return std::nullopt;
  }
  if (!response.ok()) {
    Error problem(ErrorKind::http_status,
                  fmt::format("downloading {} failed: HTTP {}", infra::util::redact_url(source.url),
                              response.status));
    problem.with_http_status(response.status);
    return std::unexpected(std::move(problem));
  }
  return std::move(response.download_digest);
}

} // namespace

std::vector<std::chrono::seconds> default_archive_waits() {
  return {std::chrono::seconds(60),  std::chrono::seconds(120), std::chrono::seconds(240),
          std::chrono::seconds(480), std::chrono::seconds(960), std::chrono::seconds(1920)};
}

Result<std::vector<std::chrono::seconds>> parse_archive_waits(std::string_view text) {
  std::vector<std::chrono::seconds> waits;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    long seconds = -1;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), seconds);
    if (error != std::errc() || end != item.data() + item.size() || seconds < 0) {
      return fail(ErrorKind::config,
                  fmt::format("archive wait schedule '{}': expected seconds separated by commas "
                              "(e.g. 60,120,240)",
                              text));
    }
    waits.emplace_back(seconds);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return waits;
}

Result<FetchedArchive> describe_archive(const std::filesystem::path& path) {
  FERRY_TRY_ASSIGN(std::string sha512,
                   infra::util::file_digest(path, infra::util::DigestKind::sha512));
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(path, error);
  return FetchedArchive{path.filename().string(), path, std::move(sha512), error ? 0 : size};
}

Result<FetchedArchive> fetch_archive(infra::http::HttpClient& http, const ArchiveSource& source,
                                     const FetchOptions& options) {
  std::filesystem::path target = options.into / source.filename;
  std::string sha512; // known when the download hashed it
  std::error_code error;
  if (!std::filesystem::exists(target, error)) {
    std::filesystem::create_directories(options.into, error);
    for (std::size_t attempt = 0;; ++attempt) {
      infra::log::info("{} {}",
                       source.url.find("://") == std::string::npos ? "copying" : "downloading",
                       infra::util::redact_url(source.url));
      FERRY_TRY_ASSIGN(auto downloaded, download_once(http, source, target));
      if (downloaded) {
        sha512 = std::move(*downloaded);
        break;
      }
      if (attempt >= options.waits.size()) {
        std::chrono::seconds waited{0};
        for (auto wait : options.waits) {
          waited += wait;
        }
        return fail(ErrorKind::not_found,
                    fmt::format("{} is not published: {} answered 404 on {} attempts over {} s. "
                                "Check the spec's Source URL (or `sources:` in the config), or "
                                "re-run when the release archive is available",
                                source.filename, infra::util::redact_url(source.url), attempt + 1,
                                waited.count()));
      }
      std::chrono::seconds wait = options.waits[attempt];
      infra::log::warning("{} is not available yet (404); waiting {} s before attempt {} of {}",
                          source.filename, wait.count(), attempt + 2, options.waits.size() + 1);
      if (options.on_wait) {
        options.on_wait(source.filename, static_cast<int>(attempt) + 1, wait);
      }
      if (options.sleep) {
        options.sleep(wait);
      } else {
        infra::process::wait_unless_cancelled(wait);
      }
    }
  }
  if (sha512.empty()) {
    FERRY_TRY_ASSIGN(FetchedArchive archive, describe_archive(target));
    archive.filename = source.filename;
    return archive;
  }
  std::uintmax_t size = std::filesystem::file_size(target, error);
  return FetchedArchive{source.filename, target, std::move(sha512), error ? 0 : size};
}

} // namespace ferry::core::sync
