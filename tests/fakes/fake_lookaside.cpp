#include "fakes/fake_lookaside.hpp"

#include "fakes/multipart.hpp"
#include "infra/util/digest.hpp"
#include "infra/util/encoding.hpp"

namespace ferry::testing {

namespace {

TestResponse text(int status, const std::string& body) {
  return TestResponse{status, {{"Content-Type", "text/plain"}}, body};
}

} // namespace

FakeLookaside::FakeLookaside(bool require_negotiate) : m_require_negotiate(require_negotiate) {
  m_server = std::make_unique<HttpTestServer>([this](const TestRequest& r) { return handle(r); });
}

void FakeLookaside::inject(const std::string& route_prefix, TestResponse response, int count,
                           bool after_processing) {
  std::lock_guard lock(m_mutex);
  m_faults.inject(route_prefix, std::move(response), count, after_processing);
}

std::map<std::string, std::string> FakeLookaside::stored() const {
  std::lock_guard lock(m_mutex);
  return m_files;
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
      auto file = m_files.find(path);
      return file == m_files.end()
                 ? text(404, "Not Found\n")
                 : TestResponse{200, {{"Content-Type", "application/x-gzip"}}, file->second};
    }
    return text(404, "Not Found\n");
  });
}

TestResponse FakeLookaside::cgi(const TestRequest& request) {
  if (m_require_negotiate &&
      !request.header("Authorization").value_or("").starts_with("Negotiate ")) {
    return TestResponse{
        401, {{"WWW-Authenticate", "Negotiate"}, {"Content-Type", "text/plain"}}, "Unauthorized\n"};
  }
  auto parts = parse_multipart(request);
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
                               " Size: " + std::to_string(m_files[path].size()) + "\n");
  }
  if (filename != nullptr) {
    return text(200, "Missing\n");
  }
  ++m_uploads;
  if (hashtype == "md5") {
    return text(406, "Uploads with md5 are no longer allowed.\n");
  }
  std::string actual = infra::util::text_digest(file->content, infra::util::DigestKind::sha512);
  if (actual != hash) {
    return text(400, "SHA512 check failed. Received " + actual + " instead of " + hash + ".\n");
  }
  m_files[path] = file->content;
  return text(200, "File " + fn + " size " + std::to_string(file->content.size()) + " SHA512 " +
                       hash + " stored OK\n");
}

} // namespace ferry::testing
