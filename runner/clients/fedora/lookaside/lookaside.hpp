// Fedora's lookaside cache, where dist-git keeps source archives by content: check whether an
// archive is stored and upload it if not. Two implementations: the `upload.cgi` protocol of
// src.fedoraproject.org (and CentOS Stream), and a directory laid out like the download URLs
// for local mode. Archives are identified by package, file name and SHA-512, so "already
// uploaded" is one question and an upload is never repeated.
#pragma once

#include "error.hpp"
#include "infra/http/http_client.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace ferry::clients::fedora::lookaside {

struct Archive {
  std::string package; // "hello" (the namespace comes from the lookaside's settings)
  std::string filename;
  std::string sha512;
};

class Lookaside {
public:
  virtual ~Lookaside() = default;
  // Whether the cache holds the archive.
  [[nodiscard]] virtual Result<bool> has(const Archive& archive) = 0;
  // Stores the archive from `file` (streamed); storing one that is there already is success.
  [[nodiscard]] virtual Status upload(const Archive& archive,
                                      const std::filesystem::path& file) = 0;
  // Where the archive is downloaded from.
  virtual std::string download_url(const Archive& archive) const = 0;
};

struct CgiSettings {
  std::string download_base = "https://src.fedoraproject.org/repo/pkgs";
  std::string cgi_url = "https://src.fedoraproject.org/repo/pkgs/upload.cgi";
  std::string name_space = "rpms";
};

// The upload.cgi protocol (fedora-protocols §1). Authentication (Kerberos or a client
// certificate) is configured on the HttpClient.
std::unique_ptr<Lookaside> make_cgi_lookaside(infra::http::HttpClient& http,
                                              CgiSettings settings = {});

// DIR/<namespace>/<package>/<file>/sha512/<hash>/<file>; files are written atomically.
std::unique_ptr<Lookaside> make_directory_lookaside(std::filesystem::path root,
                                                    std::string name_space = "rpms");

} // namespace ferry::clients::fedora::lookaside
