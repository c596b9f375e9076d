#include "infra/util/digest.hpp"

#include "infra/util/encoding.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace ferry::infra::util {

namespace {

const EVP_MD* algorithm(DigestKind kind) {
  switch (kind) {
  case DigestKind::sha512:
    return EVP_sha512();
  case DigestKind::sha256:
    return EVP_sha256();
  case DigestKind::md5:
    return EVP_md5();
  }
  return EVP_sha512();
}

// Reads of this size stay in the CPU's L2 cache between read() and the digest.
constexpr std::size_t k_read_size = std::size_t{128} << 10;

} // namespace

struct StreamDigest::Context {
  struct Deleter {
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Deleter> context{EVP_MD_CTX_new()};
};

StreamDigest::StreamDigest(DigestKind kind) : m_kind(kind), m_context(std::make_unique<Context>()) {
  reset();
}
StreamDigest::~StreamDigest() = default;
StreamDigest::StreamDigest(StreamDigest&&) noexcept = default;
StreamDigest& StreamDigest::operator=(StreamDigest&&) noexcept = default;

void StreamDigest::update(std::string_view bytes) {
  EVP_DigestUpdate(m_context->context.get(), bytes.data(), bytes.size());
  m_bytes += bytes.size();
}

void StreamDigest::reset() {
  EVP_DigestInit_ex(m_context->context.get(), algorithm(m_kind), nullptr);
  m_bytes = 0;
}

std::string StreamDigest::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(m_context->context.get(), digest, &size);
  reset();
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), size)); // NOLINT
}

Result<std::string> file_digest(const std::filesystem::path& path, DigestKind kind) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(ErrorKind::io, "cannot read " + path.string());
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  StreamDigest digest(kind);
  std::vector<char> buffer(k_read_size);
  ssize_t got = 0;
  while ((got = ::read(fd, buffer.data(), buffer.size())) != 0) {
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      ::close(fd);
      return fail(ErrorKind::io, "error while reading " + path.string());
    }
    digest.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  ::close(fd);
  return digest.finish_hex();
}

std::string text_digest(std::string_view text, DigestKind kind) {
  StreamDigest digest(kind);
  digest.update(text);
  return digest.finish_hex();
}

} // namespace ferry::infra::util
