#include "clients/fedora/lookaside/lookaside.hpp"

#include "infra/http/progress_log.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/encoding.hpp"

#include <system_error>

namespace ferry::clients::fedora::lookaside {

namespace {

namespace http = infra::http;

std::string archive_path(const std::string& name_space, const Archive& archive) {
  return name_space + "/" + archive.package + "/" + infra::util::percent_encode(archive.filename) +
         "/sha512/" + archive.sha512 + "/" + infra::util::percent_encode(archive.filename);
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

bool is_plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
}

// Names come from spec files and configs written by others: they must stay one path segment.
Status check_archive(const Archive& archive) {
  if (!is_plain_name(archive.package) || !is_plain_name(archive.filename)) {
    return fail(ErrorKind::config, "refusing archive '" + archive.filename + "' of package '" +
                                       archive.package + "': names must not contain '/'");
  }
  if (archive.sha512.size() != 128 ||
      archive.sha512.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return fail(ErrorKind::internal, "not a SHA-512 digest: " + archive.sha512);
  }
  return {};
}

Error cgi_error(const http::Response& response, const std::string& what) {
  ErrorKind kind =
      response.status == 401 || response.status == 403 ? ErrorKind::auth : ErrorKind::http_status;
  std::string advice = kind == ErrorKind::auth
                           ? ": the lookaside needs a Kerberos ticket (kinit) or a client "
                             "certificate of a packager"
                           : "";
  return Error(kind, "the lookaside cache refused " + what + " (HTTP " +
                         std::to_string(response.status) + ": " + first_line(response.body) + ")" +
                         advice)
      .with_http_status(response.status);
}

class CgiLookaside final : public Lookaside {
public:
  CgiLookaside(http::HttpClient& client, CgiSettings settings)
      : m_http(client), m_settings(std::move(settings)) {}

  // upload.cgi check: multipart name, sha512sum, filename -> "Available" / "Missing"
  Result<bool> has(const Archive& archive) override {
    FERRY_TRY(check_archive(archive));
    http::Request request = form(archive, true);
    request.multipart.push_back({"filename", archive.filename, std::nullopt, "", ""});
    FERRY_TRY_ASSIGN(auto response, m_http.send(request));
    std::string answer = first_line(response.body);
    if (response.status == 200 && answer == "Available") {
      return true;
    }
    if (response.status == 200 && answer == "Missing") {
      return false;
    }
    return std::unexpected(cgi_error(response, "the check for " + archive.filename));
  }

  // upload.cgi upload: multipart name, file, sha512sum. The file is streamed from disk and
  // hashed while it is sent; the checksum part follows it, so hashing and sending overlap and
  // the answer confirms the checksum ferry computed just now. (The CGI reads the whole form
  // before it looks at any field, so the order of the parts does not matter to it.)
  Status upload(const Archive& archive, const std::filesystem::path& file) override {
    FERRY_TRY(check_archive(archive));
    http::Request request = form(archive, false);
    request.multipart.push_back({"file", "", file, archive.filename, "application/octet-stream"});
    http::MultipartPart checksum{"sha512sum", "", std::nullopt, "", ""};
    checksum.digest_of_previous_file = infra::util::DigestKind::sha512;
    request.multipart.push_back(std::move(checksum));
    request.progress = http::make_progress_log("upload " + archive.filename);
    request.timeout = std::chrono::hours(2); // the stall timeout guards large uploads
    request.retry_unsafe = true;             // content-addressed: a repeat finds the file stored
    FERRY_TRY_ASSIGN(auto response, m_http.send(request));
    std::string answer = first_line(response.body);
    bool stored = answer.ends_with("stored OK");
    if (response.status != 200 || (!stored && !answer.ends_with("already exists"))) {
      return std::unexpected(cgi_error(response, "the upload of " + archive.filename));
    }
    if (response.body.find(archive.sha512) == std::string::npos) { // both answers name it
      return fail(ErrorKind::io, archive.filename +
                                     " changed while it was uploaded (the lookaside "
                                     "stored other bytes than were hashed): " +
                                     answer + "; run the job again");
    }
    infra::log::info("lookaside: {} {}", archive.filename,
                     stored ? "uploaded" : "was already there");
    return {};
  }

  std::string download_url(const Archive& archive) const override {
    return m_settings.download_base + "/" + archive_path(m_settings.name_space, archive);
  }

private:
  http::Request form(const Archive& archive, bool with_checksum) const {
    http::Request request;
    request.method = http::Method::post;
    request.url = m_settings.cgi_url;
    request.multipart = {
        {"name", m_settings.name_space + "/" + archive.package, std::nullopt, "", ""}};
    if (with_checksum) {
      request.multipart.push_back({"sha512sum", archive.sha512, std::nullopt, "", ""});
    }
    return request;
  }

  http::HttpClient& m_http;
  CgiSettings m_settings;
};

class DirectoryLookaside final : public Lookaside {
public:
  DirectoryLookaside(std::filesystem::path root, std::string name_space)
      : m_root(std::move(root)), m_namespace(std::move(name_space)) {}

  Result<bool> has(const Archive& archive) override {
    FERRY_TRY(check_archive(archive));
    std::error_code ec;
    return std::filesystem::is_regular_file(location(archive), ec);
  }

  Status upload(const Archive& archive, const std::filesystem::path& file) override {
    FERRY_TRY_ASSIGN(bool present, has(archive));
    if (present) {
      return {};
    }
    std::filesystem::path target = location(archive);
    std::filesystem::path partial = target;
    partial += ".part";
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    std::filesystem::copy_file(file, partial, std::filesystem::copy_options::overwrite_existing,
                               ec);
    if (!ec) {
      std::filesystem::rename(partial, target, ec);
    }
    if (ec) {
      std::filesystem::remove(partial, ec);
      return fail(ErrorKind::io, "cannot store " + archive.filename + " in " + m_root.string());
    }
    return {};
  }

  std::string download_url(const Archive& archive) const override {
    return "file://" + location(archive).string();
  }

private:
  std::filesystem::path location(const Archive& archive) const {
    return m_root / m_namespace / archive.package / archive.filename / "sha512" / archive.sha512 /
           archive.filename;
  }

  std::filesystem::path m_root;
  std::string m_namespace;
};

} // namespace

std::unique_ptr<Lookaside> make_cgi_lookaside(http::HttpClient& client, CgiSettings settings) {
  return std::make_unique<CgiLookaside>(client, std::move(settings));
}

std::unique_ptr<Lookaside> make_directory_lookaside(std::filesystem::path root,
                                                    std::string name_space) {
  return std::make_unique<DirectoryLookaside>(std::move(root), std::move(name_space));
}

} // namespace ferry::clients::fedora::lookaside
