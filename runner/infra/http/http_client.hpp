// HTTP as ferry's clients see it: one request in, one response out. Non-2xx statuses are not
// errors here — each service client decides what a status means for its endpoint. Errors are
// transport failures only (ErrorKind::network, timeout, io), after the retry policy gave up.
#pragma once

#include "error.hpp"
#include "infra/http/retry_policy.hpp"
#include "infra/util/digest.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::infra::http {

enum class Method { get, head, post, put, patch, del };
std::string_view to_string(Method method);

using Headers = std::vector<std::pair<std::string, std::string>>;
// Case-insensitive lookup of the first header with this name.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

// One part of a multipart/form-data body; a part with `file` is streamed from disk.
struct MultipartPart {
  std::string name;
  std::string value;
  std::optional<std::filesystem::path> file;
  std::string filename; // defaults to the file's name; a text part with one is sent as a file
  std::string content_type;
  // A text part whose value is this digest (hex) of the file part before it, computed while
  // that file is sent (hashing and sending overlap). The value field is ignored.
  std::optional<util::DigestKind> digest_of_previous_file = std::nullopt;
};

struct Progress {
  std::uint64_t download_total = 0;
  std::uint64_t download_now = 0;
  std::uint64_t upload_total = 0;
  std::uint64_t upload_now = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

struct Request {
  Method method = Method::get;
  std::string url;
  Headers headers;
  std::string body;                                 // sent as is when non-empty
  std::optional<std::filesystem::path> body_file;   // streamed upload (PUT/POST)
  std::vector<MultipartPart> multipart;             // multipart/form-data
  std::optional<std::filesystem::path> download_to; // a 2xx body is streamed into this file
  std::optional<util::DigestKind> download_digest;  // ... and hashed as it arrives
  std::optional<std::chrono::milliseconds> timeout; // total, overrides ClientOptions
  // POST/PATCH are retried only where the request cannot have reached the server (connect
  // failure, 429, 503). Set this when the caller reconciles duplicates itself.
  bool retry_unsafe = false;
  // Progress of this transfer (e.g. a progress log); unset: the client's, if any.
  ProgressCallback progress;
  // Every text body (and text multipart part) leaves the process through the log's redactor,
  // so a secret echoed by a server never reaches an issue, comment, PR or status. A body that
  // carries credentials on purpose (a login form, a token exchange) names them here; they
  // alone are sent as they are.
  std::vector<std::string> credentials_in_body;
};

// The request as it may leave the process: `request` with its text masked (above). Binary
// bodies (files, archives) are never touched.
Request outgoing(const Request& request);

struct Response {
  long status = 0;
  Headers headers;
  std::string body;                     // empty when the body went to Request::download_to
  std::string download_digest;          // hex, when Request::download_digest asked for it
  std::chrono::milliseconds elapsed{0}; // all attempts, waits included
  int attempts = 1;

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
  bool ok() const { return status >= 200 && status < 300; }
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{120'000};
  // A transfer slower than 1 byte/s for this long is abandoned (and retried): the bound that
  // matters for long uploads and downloads, where a total timeout cannot be known upfront.
  std::chrono::milliseconds stall_timeout{60'000};
  std::string user_agent;                           // default "ferry/<version>"
  std::optional<std::filesystem::path> ca_bundle;   // default: util::find_ca_bundle()
  std::optional<std::filesystem::path> client_cert; // PEM; may hold the key too (Fedora)
  // The same given as text (certificate and key in one PEM): handed to libcurl in memory, so
  // the key never touches the disk, where a killed run would leave it.
  std::string client_cert_pem;
  std::optional<std::filesystem::path> client_key;
  bool negotiate = false; // HTTP Negotiate (SPNEGO/Kerberos) with the default ccache
  RetryPolicy retry;
  ProgressCallback progress;
  // Waits between attempts; tests replace it to run without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
  std::size_t max_body_in_memory = std::size_t{64} << 20;
};

class HttpClient {
public:
  virtual ~HttpClient() = default;
  // Sends the request, retrying per the policy. Returns the final response (which may be a
  // non-2xx status once retries are exhausted) or the transport error that ended the attempts.
  [[nodiscard]] virtual Result<Response> send(const Request& request) = 0;
};

// The libcurl implementation (infra/http/curl_http_client.cpp).
std::unique_ptr<HttpClient> make_curl_http_client(ClientOptions options);

// "curl 7.88.1 (OpenSSL/3.0.x; GSS-API, SPNEGO, HTTP2, ...)" for `ferry version --verbose`.
std::string http_library_description();

// Process-wide libcurl set-up: construct once at the top of main, before threads start.
class HttpLibraryGuard {
public:
  HttpLibraryGuard();
  ~HttpLibraryGuard();
  HttpLibraryGuard(const HttpLibraryGuard&) = delete;
  HttpLibraryGuard& operator=(const HttpLibraryGuard&) = delete;
};

} // namespace ferry::infra::http
