#include "infra/util/digest.hpp"

#include "infra/util/encoding.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace ferry::infra::util {

namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

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

DigestContext start(DigestKind kind) {
  DigestContext context(EVP_MD_CTX_new());
  EVP_DigestInit_ex(context.get(), algorithm(kind), nullptr);
  return context;
}

std::string finish(EVP_MD_CTX* context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context, digest, &size);
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), size)); // NOLINT
}

} // namespace

Result<std::string> file_digest(const std::filesystem::path& path, DigestKind kind) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    return fail(ErrorKind::io, "cannot read " + path.string());
  }
  DigestContext context = start(kind);
  std::vector<char> buffer(std::size_t{1} << 20);
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    EVP_DigestUpdate(context.get(), buffer.data(), read);
  }
  if (std::ferror(file.get()) != 0) {
    return fail(ErrorKind::io, "error while reading " + path.string());
  }
  return finish(context.get());
}

std::string text_digest(std::string_view text, DigestKind kind) {
  DigestContext context = start(kind);
  EVP_DigestUpdate(context.get(), text.data(), text.size());
  return finish(context.get());
}

} // namespace ferry::infra::util
