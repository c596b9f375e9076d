#include "infra/http/curl_handles.hpp"
#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/tls.hpp"
#include "infra/util/url.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <future>
#include <random>
#include <thread>

namespace ferry::infra::http {

namespace {

using std::chrono::milliseconds;

// State shared with libcurl's callbacks for one attempt.
struct Transfer {
  CURL* handle = nullptr;
  Headers headers;
  std::string body;
  std::ofstream download;
  std::optional<util::StreamDigest> download_digest;
  std::size_t max_body = 0;
  bool body_too_large = false;
  const ProgressCallback* progress = nullptr;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) { // a new response (redirect, 100 Continue): start afresh
    transfer->headers.clear();
    return size * count;
  }
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    transfer->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  if (transfer->download.is_open() && status >= 200 && status < 300) {
    transfer->download.write(data, static_cast<std::streamsize>(bytes));
    if (transfer->download_digest) {
      transfer->download_digest->update(std::string_view(data, bytes));
    }
    return transfer->download ? bytes : 0;
  }
  if (transfer->body.size() + bytes > transfer->max_body) {
    transfer->body_too_large = true;
    return 0;
  }
  transfer->body.append(data, bytes);
  return bytes;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                curl_off_t ulnow) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->progress != nullptr && *transfer->progress) {
    (*transfer->progress)(
        Progress{static_cast<std::uint64_t>(dltotal), static_cast<std::uint64_t>(dlnow),
                 static_cast<std::uint64_t>(ultotal), static_cast<std::uint64_t>(ulnow)});
  }
  return process::cancel_requested() ? 1 : 0; // non-zero aborts the transfer
}

std::size_t on_upload_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* file = static_cast<std::FILE*>(user);
  std::size_t read = std::fread(buffer, 1, size * count, file);
  if (read == 0 && std::ferror(file) != 0) {
    return CURL_READFUNC_ABORT;
  }
  return read;
}

// The value of a digest part: the digest of the file part before it, computed by a thread that
// reads the file while curl sends it, so hashing and sending overlap. A file that changes
// meanwhile makes the two disagree, and the server refuses the checksum.
struct DigestValue {
  std::shared_future<Result<std::string>> digest;
  std::string hex;
  std::size_t offset = 0;
};

std::size_t read_digest_value(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* value = static_cast<DigestValue*>(user);
  if (value->hex.empty()) {
    const Result<std::string>& digest = value->digest.get(); // after the file: rarely waits
    if (!digest) {
      return CURL_READFUNC_ABORT;
    }
    value->hex = *digest;
  }
  std::size_t n = std::min(size * count, value->hex.size() - value->offset);
  std::copy_n(value->hex.data() + value->offset, n, buffer);
  value->offset += n;
  return n;
}

int rewind_digest_value(void* user, curl_off_t offset, int origin) {
  auto* value = static_cast<DigestValue*>(user);
  if (offset != 0 || origin != SEEK_SET) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  value->offset = 0;
  return CURL_SEEKFUNC_OK;
}

std::size_t digest_hex_size(util::DigestKind kind) {
  switch (kind) {
  case util::DigestKind::sha512:
    return 128;
  case util::DigestKind::sha256:
    return 64;
  case util::DigestKind::md5:
    return 32;
  }
  return 128;
}

// Everything a request body reads from while curl sends it; lives as long as the attempt.
struct BodySources {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> upload{nullptr, &std::fclose};
  CurlMime mime{nullptr};
  std::vector<std::unique_ptr<DigestValue>> values;
};

// Larger reads for file bodies: fewer read and send calls per GiB.
constexpr long k_upload_buffer = 512L * 1024;

bool is_idempotent(Method method) {
  return method == Method::get || method == Method::head || method == Method::put ||
         method == Method::del;
}

// Transport failures worth another attempt.
bool is_retryable_transport(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_SSL_CONNECT_ERROR:
    return true;
  default:
    return false;
  }
}

// OpenSSL's words for a TLS alert the server sent about our client certificate ("tlsv1 alert
// unknown ca", "sslv3 alert bad certificate", "tlsv13 alert certificate required", "tlsv1 alert
// access denied"): the credentials were refused, and sending them again cannot help.
std::optional<std::string> certificate_refusal(std::string_view message) {
  std::size_t alert = message.find(" alert ");
  if (alert == std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t colon = message.rfind(':', alert);
  std::size_t start = colon == std::string_view::npos ? 0 : colon + 1;
  std::size_t end = std::min(message.find(',', alert), message.size());
  std::string_view words = message.substr(start, end - start);
  for (std::string_view sign : {"unknown ca", "certificate", "access denied"}) {
    if (words.find(sign) != std::string_view::npos) {
      return std::string(words);
    }
  }
  return std::nullopt;
}

// Failures that happen before any byte of the request reached the server.
bool is_before_sending(CURLcode code) {
  return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT;
}

ErrorKind kind_of(CURLcode code) {
  switch (code) {
  case CURLE_OPERATION_TIMEDOUT:
    return ErrorKind::timeout;
  case CURLE_WRITE_ERROR:
  case CURLE_READ_ERROR:
  case CURLE_FILE_COULDNT_READ_FILE:
    return ErrorKind::io;
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return ErrorKind::usage;
  default:
    return ErrorKind::network;
  }
}

class CurlHttpClient final : public HttpClient {
public:
  explicit CurlHttpClient(ClientOptions options) : m_options(std::move(options)) {
    if (m_options.user_agent.empty()) {
      m_options.user_agent = "ferry/" FERRY_VERSION;
    }
    if (!m_options.ca_bundle) {
      m_options.ca_bundle = util::find_ca_bundle();
    }
    if (!m_options.sleep) {
      m_options.sleep = [](milliseconds delay) { process::wait_unless_cancelled(delay); };
    }
  }

  Result<Response> send(const Request& given) override {
    const Request request = outgoing(given);
    std::string shown_url = util::redact_url(request.url);
    std::mt19937_64 random{std::random_device{}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto first_started = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
      auto started = std::chrono::steady_clock::now();
      CURLcode code = CURLE_OK;
      Result<Response> outcome = attempt_once(request, code);
      auto elapsed =
          std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
      log_attempt(request, shown_url, outcome, elapsed);
      std::optional<milliseconds> wait = retry_delay(request, outcome, code, attempt, unit(random));
      if (!wait) {
        if (outcome) {
          outcome->attempts = attempt;
          outcome->elapsed = std::chrono::duration_cast<milliseconds>(
              std::chrono::steady_clock::now() - first_started);
        } else {
          outcome.error().add_context(std::string(to_string(request.method)) + " " + shown_url);
        }
        return outcome;
      }
      log::warning("{} {}: {}; retrying in {:.1f} s (attempt {} of {})", to_string(request.method),
                   shown_url, describe(outcome), static_cast<double>(wait->count()) / 1000.0,
                   attempt + 1, m_options.retry.max_attempts);
      m_options.sleep(*wait);
    }
  }

private:
  static std::string describe(const Result<Response>& outcome) {
    return outcome ? "HTTP " + std::to_string(outcome->status) : outcome.error().message();
  }

  static void log_attempt(const Request& request, const std::string& shown_url,
                          const Result<Response>& outcome, milliseconds elapsed) {
    log::debug("{} {} -> {} ({} ms)", to_string(request.method), shown_url,
               outcome ? std::to_string(outcome->status) : "error: " + outcome.error().message(),
               elapsed.count());
  }

  // nullopt: stop here and return the outcome.
  std::optional<milliseconds> retry_delay(const Request& request, const Result<Response>& outcome,
                                          CURLcode code, int attempt, double random01) const {
    if (attempt >= m_options.retry.max_attempts || process::cancel_requested()) {
      return std::nullopt;
    }
    bool repeatable = is_idempotent(request.method) || request.retry_unsafe;
    if (!outcome) {
      if (outcome.error().kind() == ErrorKind::auth || !is_retryable_transport(code) ||
          (!repeatable && !is_before_sending(code))) {
        return std::nullopt;
      }
      return backoff_delay(m_options.retry, attempt, random01);
    }
    long status = outcome->status;
    if (!is_retryable_status(status) || (!repeatable && !is_status_safe_to_repeat(status))) {
      return std::nullopt;
    }
    milliseconds delay = backoff_delay(m_options.retry, attempt, random01);
    if (auto header = outcome->header("Retry-After")) {
      auto asked = parse_retry_after(*header, std::chrono::system_clock::now());
      if (asked && *asked > m_options.retry.max_retry_after) {
        return std::nullopt; // the caller reports the limit rather than hanging for an hour
      }
      if (asked) {
        delay = std::max(delay, *asked);
      }
    }
    return delay;
  }

  Result<Response> attempt_once(const Request& request, CURLcode& code) {
    CurlEasy easy(curl_easy_init());
    if (!easy) {
      return fail(ErrorKind::internal, "curl_easy_init failed");
    }
    CURL* h = easy.get();
    Transfer transfer;
    transfer.handle = h;
    transfer.max_body = m_options.max_body_in_memory;
    transfer.progress = request.progress ? &request.progress : &m_options.progress;
    std::filesystem::path partial;
    if (request.download_to) {
      partial = *request.download_to;
      partial += ".part";
      transfer.download.open(partial, std::ios::binary | std::ios::trunc);
      if (request.download_digest) {
        transfer.download_digest.emplace(*request.download_digest);
      }
      if (!transfer.download) {
        return fail(ErrorKind::io, "cannot write " + partial.string());
      }
    }
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connect_timeout.count()));
    milliseconds total = request.timeout.value_or(m_options.total_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, static_cast<long>(m_options.stall_timeout.count() / 1000)));
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
    if (!request.download_to) { // an archive is stored as served, never decoded (.tar.gz)
      curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    }
    apply_tls_and_auth(h);

    CurlSlist headers(nullptr);
    auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next != nullptr) {
        (void)headers.release();
        headers.reset(next);
      }
    };
    add_header("Expect:"); // no 100-continue round trip before uploads
    for (const auto& [name, value] : request.headers) {
      add_header(name + ": " + value);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

    BodySources sources;
    FERRY_TRY(apply_method_and_body(h, request, sources));

    code = curl_easy_perform(h);
    transfer.download.close();
    if (code != CURLE_OK) {
      std::error_code ignored;
      if (!partial.empty()) {
        std::filesystem::remove(partial, ignored);
      }
      if (transfer.body_too_large) {
        return fail(ErrorKind::io, "response body larger than " +
                                       std::to_string(m_options.max_body_in_memory) + " bytes");
      }
      if (code == CURLE_ABORTED_BY_CALLBACK && process::cancel_requested()) {
        return std::unexpected(process::check_not_cancelled().error());
      }
      std::string message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
      if (auto refusal = certificate_refusal(message)) {
        return fail(ErrorKind::auth,
                    "the server refused the client certificate in the TLS handshake (" + *refusal +
                        ")");
      }
      return fail(kind_of(code), message);
    }
    Response response;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    response.headers = std::move(transfer.headers);
    response.body = std::move(transfer.body);
    if (transfer.download_digest && response.ok()) {
      response.download_digest = transfer.download_digest->finish_hex();
    }
    if (!partial.empty()) {
      FERRY_TRY(finish_download(partial, *request.download_to, response.ok()));
    }
    return response;
  }

  static Status finish_download(const std::filesystem::path& partial,
                                const std::filesystem::path& target, bool success) {
    std::error_code ec;
    if (!success) {
      std::filesystem::remove(partial, ec);
      return {};
    }
    std::filesystem::rename(partial, target, ec);
    if (ec) {
      return fail(ErrorKind::io,
                  "cannot move download to " + target.string() + ": " + ec.message());
    }
    return {};
  }

  void apply_tls_and_auth(CURL* h) const {
    if (m_options.ca_bundle) {
      curl_easy_setopt(h, CURLOPT_CAINFO, m_options.ca_bundle->c_str());
    }
    if (const char* dir = std::getenv("SSL_CERT_DIR"); dir != nullptr && *dir != '\0') {
      curl_easy_setopt(h, CURLOPT_CAPATH, dir);
    }
    if (m_options.client_cert) {
      curl_easy_setopt(h, CURLOPT_SSLCERT, m_options.client_cert->c_str());
      curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (m_options.client_key) {
      curl_easy_setopt(h, CURLOPT_SSLKEY, m_options.client_key->c_str());
    }
    if (!m_options.client_cert_pem.empty()) {
      curl_blob blob{const_cast<char*>(m_options.client_cert_pem.data()), // curl copies it
                     m_options.client_cert_pem.size(), CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &blob);
      curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &blob);
      curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (m_options.negotiate) {
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_NEGOTIATE);
      curl_easy_setopt(h, CURLOPT_USERPWD, ":");
    }
  }

  static Status apply_method_and_body(CURL* h, const Request& request, BodySources& sources) {
    switch (request.method) {
    case Method::get:
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
      break;
    case Method::head:
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
      break;
    case Method::post:
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      break;
    case Method::put:
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
      break;
    case Method::patch:
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PATCH");
      break;
    case Method::del:
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
    }
    if (!request.multipart.empty()) {
      return apply_multipart(h, request, sources);
    }
    if (request.body_file) {
      auto& upload = sources.upload;
      upload.reset(std::fopen(request.body_file->c_str(), "rb"));
      if (!upload) {
        return fail(ErrorKind::io, "cannot read " + request.body_file->string());
      }
      std::error_code ec;
      auto size = std::filesystem::file_size(*request.body_file, ec);
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload_read);
      curl_easy_setopt(h, CURLOPT_READDATA, upload.get());
      curl_easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, k_upload_buffer);
      if (!ec) {
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
      }
      if (request.method == Method::post) { // CURLOPT_UPLOAD turns the method into PUT
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "POST");
      }
      return {};
    }
    if (!request.body.empty() || request.method == Method::post ||
        request.method == Method::patch || request.method == Method::put) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
    return {};
  }

  static Status apply_multipart(CURL* h, const Request& request, BodySources& sources) {
    sources.mime.reset(curl_mime_init(h));
    for (std::size_t i = 0; i < request.multipart.size(); ++i) {
      const MultipartPart& part = request.multipart[i];
      curl_mimepart* field = curl_mime_addpart(sources.mime.get());
      curl_mime_name(field, part.name.c_str());
      if (part.file) {
        if (curl_mime_filedata(field, part.file->c_str()) != CURLE_OK) {
          return fail(ErrorKind::io, "cannot read " + part.file->string());
        }
        curl_easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, k_upload_buffer);
        std::string filename =
            part.filename.empty() ? part.file->filename().string() : part.filename;
        curl_mime_filename(field, filename.c_str());
      } else if (part.digest_of_previous_file) {
        if (i == 0 || !request.multipart[i - 1].file) {
          return fail(ErrorKind::internal, "a digest part must follow a file part");
        }
        add_digest_value(field, *request.multipart[i - 1].file, *part.digest_of_previous_file,
                         sources);
      } else {
        curl_mime_data(field, part.value.data(), part.value.size());
        if (!part.filename.empty()) { // some servers read a part as a file only when it has a name
          curl_mime_filename(field, part.filename.c_str());
        }
      }
      if (!part.content_type.empty()) {
        curl_mime_type(field, part.content_type.c_str());
      }
    }
    curl_easy_setopt(h, CURLOPT_MIMEPOST, sources.mime.get());
    return {};
  }

  static void add_digest_value(curl_mimepart* field, const std::filesystem::path& file,
                               util::DigestKind kind, BodySources& sources) {
    auto value = std::make_unique<DigestValue>();
    value->digest = std::async(std::launch::async, [file, kind] {
                      return util::file_digest(file, kind);
                    }).share();
    curl_mime_data_cb(field, static_cast<curl_off_t>(digest_hex_size(kind)), read_digest_value,
                      rewind_digest_value, nullptr, value.get());
    sources.values.push_back(std::move(value));
  }

  ClientOptions m_options;
};

} // namespace

std::string_view to_string(Method method) {
  switch (method) {
  case Method::get:
    return "GET";
  case Method::head:
    return "HEAD";
  case Method::post:
    return "POST";
  case Method::put:
    return "PUT";
  case Method::patch:
    return "PATCH";
  case Method::del:
    return "DELETE";
  }
  return "GET";
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (std::equal(key.begin(), key.end(), name.begin(), name.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

namespace {

// Text a server may store and show: JSON, forms, XML, plain text — or no type given.
bool is_text_type(std::string_view content_type) {
  if (content_type.empty()) {
    return true;
  }
  for (std::string_view marker : {"json", "text/", "xml", "x-www-form-urlencoded"}) {
    if (content_type.find(marker) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

Request outgoing(const Request& request) {
  Request copy = request;
  const log::Logger& logger = log::logger();
  if (!copy.body.empty() && is_text_type(find_header(copy.headers, "Content-Type").value_or(""))) {
    copy.body = logger.redact_except(copy.body, request.credentials_in_body);
  }
  for (MultipartPart& part : copy.multipart) {
    if (!part.file && !part.digest_of_previous_file && is_text_type(part.content_type)) {
      part.value = logger.redact_except(part.value, request.credentials_in_body);
    }
  }
  return copy;
}

std::unique_ptr<HttpClient> make_curl_http_client(ClientOptions options) {
  return std::make_unique<CurlHttpClient>(std::move(options));
}

std::string http_library_description() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::string text = std::string("curl ") + info->version;
  text += " (";
  text += info->ssl_version != nullptr ? info->ssl_version : "no TLS";
  struct Feature {
    int bit;
    const char* name;
  };
  static constexpr Feature k_features[] = {
      {CURL_VERSION_GSSAPI, "GSS-API"},     {CURL_VERSION_SPNEGO, "SPNEGO"},
      {CURL_VERSION_KERBEROS5, "Kerberos"}, {CURL_VERSION_HTTP2, "HTTP2"},
      {CURL_VERSION_LIBZ, "libz"},          {CURL_VERSION_ASYNCHDNS, "AsynchDNS"}};
  for (const Feature& feature : k_features) {
    if ((info->features & feature.bit) != 0) {
      text += std::string("; ") + feature.name;
    }
  }
  return text + ")";
}

HttpLibraryGuard::HttpLibraryGuard() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}
HttpLibraryGuard::~HttpLibraryGuard() {
  curl_global_cleanup();
}

} // namespace ferry::infra::http
