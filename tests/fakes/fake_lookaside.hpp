// A fake of dist-git's lookaside cache (`upload.cgi` and the download tree) following
// fedora-protocols §1 and §9: multipart fields name / sha512sum|md5sum / filename / file,
// "Available\n" / "Missing\n", the CGI's text/plain errors and their order, md5 uploads
// refused (406), checksums verified while storing, HEAD and GET on download URLs, and an
// optional Negotiate challenge (401 + WWW-Authenticate: Negotiate) before anything else.
#pragma once

#include "fakes/fault_injector.hpp"
#include "support/http_test_server.hpp"

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
  void inject(const std::string& route_prefix, TestResponse response, int count = 1,
              bool after_processing = false);

  // Stored files by download path ("rpms/hello/hello-1.0.tar.gz/sha512/<hash>/hello-1.0.tar.gz").
  std::map<std::string, std::string> stored() const;
  std::size_t uploads() const; // requests that carried a file

private:
  TestResponse handle(const TestRequest& request);
  TestResponse cgi(const TestRequest& request);

  bool m_require_negotiate;
  std::unique_ptr<HttpTestServer> m_server;
  mutable std::mutex m_mutex;
  std::set<std::string> m_packages;
  std::map<std::string, std::string> m_files;
  std::size_t m_uploads = 0;
  FaultInjector m_faults;
};

} // namespace ferry::testing
