// The lookaside clients: upload.cgi against FakeLookaside over real HTTP (multipart, streamed
// files, Kerberos with a real KDC, lost answers), and the directory lookaside of local mode.
#include "clients/fedora/lookaside/lookaside.hpp"
#include "fakes/fake_lookaside.hpp"
#include "infra/util/digest.hpp"
#include "support/kerberos_realm.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ferry;
using namespace ferry::clients::fedora::lookaside;
using namespace ferry::testing;

namespace {

struct ArchiveFile {
  TempDir dir;
  std::filesystem::path path;
  Archive archive;
  explicit ArchiveFile(std::size_t size = 100'000, const std::string& name = "hello-1.1.tar.gz") {
    std::string content(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
      content[i] = static_cast<char>(i * 7 % 256);
    }
    path = dir.write(name, content);
    archive = Archive{"hello", name,
                      infra::util::file_digest(path, infra::util::DigestKind::sha512).value()};
  }
};

CgiSettings settings_for(const FakeLookaside& lookaside) {
  return CgiSettings{lookaside.download_base(), lookaside.cgi_url(), "rpms"};
}

} // namespace

TEST_CASE("an archive is checked, uploaded once, then reported available",
          "[integration][lookaside]") {
  FakeLookaside server;
  server.add_package("hello");
  auto http = infra::http::make_curl_http_client({});
  auto lookaside = make_cgi_lookaside(*http, settings_for(server));
  ArchiveFile file(8 * 1024 * 1024 + 3);

  CHECK_FALSE(lookaside->has(file.archive).value());
  REQUIRE(lookaside->upload(file.archive, file.path));
  CHECK(lookaside->has(file.archive).value());
  REQUIRE(lookaside->upload(file.archive, file.path)); // "already exists" is success
  auto stored = server.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored.begin()->first ==
        "rpms/hello/hello-1.1.tar.gz/sha512/" + file.archive.sha512 + "/hello-1.1.tar.gz");
  CHECK(stored.begin()->second.size() == 8 * 1024 * 1024 + 3);

  infra::http::Request head;
  head.method = infra::http::Method::head;
  head.url = lookaside->download_url(file.archive);
  CHECK(http->send(head)->status == 200);
}

TEST_CASE("the lookaside's refusals become clear errors", "[integration][lookaside]") {
  FakeLookaside server;
  server.add_package("hello");
  auto http = infra::http::make_curl_http_client({});
  auto lookaside = make_cgi_lookaside(*http, settings_for(server));
  ArchiveFile file;

  SECTION("unknown package") {
    Archive other = file.archive;
    other.package = "nope";
    auto result = lookaside->has(other);
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("Module \"rpms/nope\" does not exist!") !=
          std::string::npos);
  }
  SECTION("an archive that changed after it was hashed") {
    std::string other(100'000, 'x');
    TempDir elsewhere;
    auto changed = elsewhere.write(file.archive.filename, other);
    auto result = lookaside->upload(file.archive, changed);
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("changed while it was uploaded") != std::string::npos);
    // what was stored is what was sent, under its own checksum, never under the announced one
    auto stored = server.stored();
    REQUIRE(stored.size() == 1);
    CHECK(stored.begin()->second == other);
    CHECK(stored.begin()->first.find(file.archive.sha512) == std::string::npos);
  }
  SECTION("the CGI verifies the checksum it is given") {
    infra::http::Request request;
    request.method = infra::http::Method::post;
    request.url = server.cgi_url();
    request.multipart = {{"name", "rpms/hello", std::nullopt, "", ""},
                         {"sha512sum", std::string(128, 'a'), std::nullopt, "", ""},
                         {"file", "", file.path, "", "application/octet-stream"}};
    auto response = http->send(request);
    REQUIRE(response);
    CHECK(response->status == 400);
    CHECK(response->body.starts_with("SHA512 check failed. Received " + file.archive.sha512));
    CHECK(server.stored().empty());
  }
  SECTION("a name that would leave its directory") {
    Archive hostile = file.archive;
    hostile.filename = "../../etc/passwd";
    CHECK(lookaside->has(hostile).error().kind() == ErrorKind::config);
  }
}

TEST_CASE("an upload whose answer is lost is repeated and stores the archive once",
          "[integration][lookaside]") {
  FakeLookaside server;
  server.add_package("hello");
  TestResponse drop;
  drop.fault = Fault::drop;
  server.inject("POST /repo/pkgs/upload.cgi", drop, 1, true);
  infra::http::ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  auto http = infra::http::make_curl_http_client(options);
  auto lookaside = make_cgi_lookaside(*http, settings_for(server));
  ArchiveFile file;
  REQUIRE(lookaside->upload(file.archive, file.path));
  CHECK(server.stored().size() == 1);
}

TEST_CASE("without Kerberos the lookaside refuses with advice, with a ticket it accepts",
          "[integration][lookaside][kerberos]") {
  FakeLookaside server(true);
  server.add_package("hello");
  ArchiveFile file;
  auto plain = infra::http::make_curl_http_client({});
  auto refused = make_cgi_lookaside(*plain, settings_for(server))->has(file.archive);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ErrorKind::auth);
  CHECK(refused.error().message().find("Kerberos ticket") != std::string::npos);

  std::string why;
  auto realm = KerberosRealm::start(why);
  if (!realm) {
    FERRY_PREREQUISITE_MISSING(why);
  }
  infra::http::ClientOptions options;
  options.negotiate = true;
  auto http = infra::http::make_curl_http_client(options);
  CgiSettings settings = settings_for(server);
  // Kerberos needs the service's host name, not an address.
  std::string port = settings.cgi_url.substr(settings.cgi_url.rfind(':'));
  settings.cgi_url = "http://localhost" + port;
  auto lookaside = make_cgi_lookaside(*http, settings);
  auto available = lookaside->has(file.archive);
  INFO((available ? "" : available.error().describe()));
  REQUIRE(available);
  CHECK_FALSE(*available);
}

TEST_CASE("the directory lookaside stores archives where the download URLs point",
          "[integration][lookaside]") {
  TempDir root;
  auto lookaside = make_directory_lookaside(root.path());
  ArchiveFile file(1000);
  CHECK_FALSE(lookaside->has(file.archive).value());
  REQUIRE(lookaside->upload(file.archive, file.path));
  REQUIRE(lookaside->upload(file.archive, file.path));
  auto stored =
      root.path() / "rpms/hello/hello-1.1.tar.gz/sha512" / file.archive.sha512 / "hello-1.1.tar.gz";
  CHECK(std::filesystem::file_size(stored) == 1000);
  CHECK(lookaside->download_url(file.archive) == "file://" + stored.string());
  Archive hostile = file.archive;
  hostile.package = "..";
  CHECK_FALSE(lookaside->upload(hostile, file.path));
}
