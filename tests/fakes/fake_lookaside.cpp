#include "fakes/fake_lookaside.hpp"

#include "fakes/multipart.hpp"
#include "infra/util/digest.hpp"
#include "infra/util/encoding.hpp"
#include "support/direct_file_writer.hpp"

#include <atomic>

namespace ferry::testing {

namespace {

namespace fs = std::filesystem;

TestResponse text(int status, const std::string& body) {
  return TestResponse{status, {{"Content-Type", "text/plain"}}, body};
}

// The file part of an upload: written to a temporary file and hashed as it arrives; the file is
// removed unless it was kept.
class IncomingFile final : public BodySink {
public:
  IncomingFile(fs::path path, bool hash) : m_path(std::move(path)), m_out(m_path), m_hash(hash) {}
  ~IncomingFile() override {
    m_out.finish();
    std::error_code ignored;
    fs::remove(m_path, ignored);
  }
  IncomingFile(const IncomingFile&) = delete;
  IncomingFile& operator=(const IncomingFile&) = delete;

  void write(std::string_view bytes) override {
    m_out.write(bytes);
    if (m_hash) {
      m_sha512.update(bytes);
    }
  }
  std::uint64_t size() const { return m_out.size(); }
  std::string sha512() {
    if (m_hex.empty()) {
      m_hex = m_sha512.finish_hex();
    }
    return m_hex;
  }
  // Moves the file to `target`; false when that fails.
  bool keep_as(const fs::path& target) {
    if (!m_out.finish()) {
      return false;
    }
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    fs::rename(m_path, target, error);
    return !error;
  }

private:
  fs::path m_path;
  DirectFileWriter m_out;
  bool m_hash;
  infra::util::StreamDigest m_sha512;
  std::string m_hex;
};

std::string next_incoming_name() {
  static std::atomic<int> counter{0};
  return "upload-" + std::to_string(++counter);
}

} // namespace

FakeLookaside::FakeLookaside(bool require_negotiate) : m_require_negotiate(require_negotiate) {
  fs::create_directories(m_store / "incoming");
  m_server = std::make_unique<HttpTestServer>(
      [this](const TestRequest& r) { return handle(r); },
      [this](const TestRequest& head) { return upload_sink(head); });
}

std::shared_ptr<BodySink> FakeLookaside::upload_sink(const TestRequest& head) {
  if (head.method != "POST" || head.path != "/repo/pkgs/upload.cgi") {
    return nullptr;
  }
  fs::path incoming = m_store / "incoming";
  bool hash = m_verify_checksums;
  return MultipartReader::for_request(head, [incoming, hash](const FormPart&) {
    return std::make_shared<IncomingFile>(incoming / next_incoming_name(), hash);
  });
}

void FakeLookaside::inject(const std::string& route_prefix, TestResponse response, int count,
                           bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

std::map<std::string, std::string> FakeLookaside::stored() const {
  std::lock_guard lock(m_mutex);
  std::map<std::string, std::string> files;
  for (const std::string& path : m_files) {
    files[path] = read_file(stored_file(path));
  }
  return files;
}

std::filesystem::path FakeLookaside::stored_file(const std::string& path) const {
  return m_store / "files" / path;
}

std::size_t FakeLookaside::uploads() const {
  std::lock_guard lock(m_mutex);
  return m_uploads;
}

TestResponse FakeLookaside::handle(const TestRequest& request) {
  std::lock_guard lock(m_mutex);
  return m_faults.answer(request, [&] {
    if (request.path == "/repo/pkgs/upload.cgi") {
      return cgi(request);
    }
    const std::string prefix = "/repo/pkgs/";
    if ((request.method == "GET" || request.method == "HEAD") && request.path.starts_with(prefix)) {
      std::string path =
          infra::util::percent_decode(request.path.substr(prefix.size())).value_or("");
      return m_files.count(path) == 0 ? text(404, "Not Found\n")
                                      : TestResponse{200,
                                                     {{"Content-Type", "application/x-gzip"}},
                                                     read_file(stored_file(path))};
    }
    return text(404, "Not Found\n");
  });
}

// upload.cgi's decision order (fedora-protocols §1.2).
TestResponse FakeLookaside::cgi(const TestRequest& request) {
  if (m_require_negotiate &&
      !request.header("Authorization").value_or("").starts_with("Negotiate ")) {
    return TestResponse{
        401, {{"WWW-Authenticate", "Negotiate"}, {"Content-Type", "text/plain"}}, "Unauthorized\n"};
  }
  auto* reader = dynamic_cast<MultipartReader*>(request.body_sink.get());
  auto parts = reader != nullptr ? reader->parts() : std::nullopt;
  if (!parts) {
    return text(400, "Required field \"name\" is not present.\n");
  }
  std::map<std::string, std::vector<const FormPart*>> fields;
  for (const FormPart& part : *parts) {
    fields[part.name].push_back(&part);
  }
  for (const auto& [name, values] : fields) {
    if (values.size() > 1) {
      return text(400, "Multiple values given for \"" + name + "\". Aborting.\n");
    }
  }
  auto value = [&](const std::string& name) -> const FormPart* {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : it->second.front();
  };
  if (value("name") == nullptr) {
    return text(400, "Required field \"name\" is not present.\n");
  }
  std::string hashtype =
      value("sha512sum") != nullptr ? "sha512" : (value("md5sum") != nullptr ? "md5" : "");
  if (hashtype.empty()) {
    return text(400, "Required checksum is not present\n");
  }
  std::string name = value("name")->content;
  std::string hash = value(hashtype + "sum")->content;
  const FormPart* file = value("file");
  const FormPart* filename = value("filename");
  if (filename == nullptr && file == nullptr) {
    return text(400, "Required field \"file\" is not present.\n");
  }
  if (m_packages.count(name) == 0) {
    return text(404, "Module \"" + name + "\" does not exist!\n");
  }
  std::string fn = filename != nullptr ? filename->content : file->filename.value_or("");
  std::string path = name + "/" + fn + "/" + hashtype + "/" + hash + "/" + fn;
  if (m_files.count(path) > 0) {
    return text(200, filename != nullptr
                         ? "Available\n"
                         : "File " + fn + " already exists\nFile: " + path +
                               " Size: " + std::to_string(fs::file_size(stored_file(path))) + "\n");
  }
  if (filename != nullptr) {
    return text(200, "Missing\n");
  }
  ++m_uploads;
  if (hashtype == "md5") {
    return text(406, "Uploads with md5 are no longer allowed.\n");
  }
  auto* incoming = dynamic_cast<IncomingFile*>(file->sink.get());
  if (incoming == nullptr) {
    return text(400, "No file given for upload. Aborting.\n");
  }
  std::string actual = m_verify_checksums ? incoming->sha512() : hash;
  if (actual != hash) {
    return text(400, "SHA512 check failed. Received " + actual + " instead of " + hash + ".\n");
  }
  if (!incoming->keep_as(stored_file(path))) {
    return text(500, "cannot store " + fn + "\n");
  }
  m_files.insert(path);
  return text(200, "File " + fn + " size " + std::to_string(incoming->size()) + " SHA512 " + hash +
                       " stored OK\n");
}

} // namespace ferry::testing
