#include "infra/util/digest.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra::util;

TEST_CASE("digests match the standard test vectors", "[infra][util]") {
  CHECK(text_digest("abc", DigestKind::sha512) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(text_digest("abc", DigestKind::sha256) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(text_digest("", DigestKind::md5) == "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_CASE("a file's digest is streamed and equals the digest of its bytes", "[infra][util]") {
  ferry::testing::TempDir dir;
  std::string content(3 * 1024 * 1024 + 5, 'x');
  auto file = dir.write("big.bin", content);
  CHECK(file_digest(file, DigestKind::sha512).value() == text_digest(content, DigestKind::sha512));
  auto missing = file_digest(dir / "missing", DigestKind::sha512);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ferry::ErrorKind::io);
}

TEST_CASE("a stream digest fed in pieces equals the digest of the whole, and can start over",
          "[infra][util]") {
  std::string text = "The quick brown fox jumps over the lazy dog";
  StreamDigest digest(DigestKind::sha512);
  digest.update("garbage from a first attempt");
  digest.reset();
  for (std::size_t at = 0; at < text.size(); at += 5) {
    digest.update(std::string_view(text).substr(at, 5));
  }
  CHECK(digest.bytes() == text.size());
  CHECK(digest.finish_hex() == text_digest(text, DigestKind::sha512));
  CHECK(digest.bytes() == 0);
  CHECK(digest.finish_hex() == text_digest("", DigestKind::sha512));
}
