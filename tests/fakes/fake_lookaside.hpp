// A fake of dist-git's lookaside cache (`upload.cgi` and the download tree) following
// fedora-protocols §1 and §9: multipart fields name / sha512sum|md5sum / filename / file,
// "Available\n" / "Missing\n", the CGI's text/plain errors and their order, md5 uploads
// refused (406), HEAD and GET on download URLs, and an optional Negotiate challenge (401 +
// WWW-Authenticate: Negotiate) before anything else. Like the CGI, an upload is streamed to a
// temporary file and hashed as it arrives (parts in any order), then verified and stored: the
// store is a directory, so a 1 GiB archive never sits in memory.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"
#include "support/temp_dir.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace ferry::testing {

class FakeLookaside {
public:
  explicit FakeLookaside(bool require_negotiate = false);

  std::string download_base() const { return m_server->url("/repo/pkgs"); }
  std::string cgi_url() const { return m_server->url("/repo/pkgs/upload.cgi"); }

  void add_package(const std::string& name) { m_packages.insert("rpms/" + name); }
  // Off: uploads are stored under the checksum they name, unverified. For benchmarks only,
  // where the real server's verification would run on its own machine, not the runner's cores.
  void set_verify_checksums(bool verify) { m_verify_checksums = verify; }
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  // Stored files by download path ("rpms/hello/hello-1.0.tar.gz/sha512/<hash>/hello-1.0.tar.gz")
  // and their contents (read from the store: for tests with small archives).
  std::map<std::string, std::string> stored() const;
  std::size_t uploads() const; // requests that carried a file

private:
  TestResponse handle(const TestRequest& request);
  TestResponse cgi(const TestRequest& request);
  std::shared_ptr<BodySink> upload_sink(const TestRequest& head);
  std::filesystem::path stored_file(const std::string& path) const; // of a download path

  bool m_require_negotiate;
  std::atomic<bool> m_verify_checksums{true};
  TempDir m_store;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  std::set<std::string> m_packages;
  std::set<std::string> m_files; // download paths, below m_store
  std::size_t m_uploads = 0;
  FaultInjector m_faults;
};

} // namespace ferry::testing
