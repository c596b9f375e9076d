// Message digests, streamed: a 1 GiB archive is hashed as it is read, downloaded or sent, and
// never sits in memory.
#pragma once

#include "error.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace ferry::infra::util {

enum class DigestKind { sha512, sha256, md5 };

// A digest fed piece by piece (OpenSSL's implementation).
class StreamDigest {
public:
  explicit StreamDigest(DigestKind kind = DigestKind::sha512);
  ~StreamDigest();
  StreamDigest(StreamDigest&&) noexcept;
  StreamDigest& operator=(StreamDigest&&) noexcept;
  StreamDigest(const StreamDigest&) = delete;
  StreamDigest& operator=(const StreamDigest&) = delete;

  void update(std::string_view bytes);
  // Starts over (a transfer that is repeated from its first byte).
  void reset();
  // Lower-case hex digest of everything fed since the start; the digest then starts over.
  std::string finish_hex();
  std::uint64_t bytes() const { return m_bytes; }

private:
  struct Context;
  DigestKind m_kind;
  std::unique_ptr<Context> m_context;
  std::uint64_t m_bytes = 0;
};

// Lower-case hex digest of the file's bytes; ErrorKind::io when it cannot be read.
[[nodiscard]] Result<std::string> file_digest(const std::filesystem::path& path, DigestKind kind);
// Lower-case hex digest of a string.
std::string text_digest(std::string_view text, DigestKind kind);

} // namespace ferry::infra::util
