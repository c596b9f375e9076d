#include "infra/log/redactor.hpp"
#include "infra/util/encoding.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra;

namespace {
constexpr std::string_view k_secret = "ghp_Zq8s/T0k+en=42xY";
}

TEST_CASE("a registered secret is masked as given", "[infra][log]") {
  log::Redactor redactor;
  REQUIRE(redactor.add(k_secret));
  CHECK(redactor.redact("token " + std::string(k_secret) + " used twice " +
                        std::string(k_secret)) == "token *** used twice ***");
}

TEST_CASE("a secret is masked when percent-encoded in a URL", "[infra][log]") {
  log::Redactor redactor;
  redactor.add(k_secret);
  std::string url = "https://bot:" + util::percent_encode(k_secret) + "@example.org/x";
  CHECK(redactor.redact(url) == "https://bot:***@example.org/x");
}

TEST_CASE("a secret is masked when base64-encoded alone or inside Basic credentials",
          "[infra][log]") {
  log::Redactor redactor;
  redactor.add(k_secret);
  CHECK(redactor.redact(util::base64_encode(k_secret)).find("***") != std::string::npos);
  for (std::string user : {"x", "xy", "x-access-token", "ferry-bot"}) {
    std::string header =
        "Authorization: Basic " + util::base64_encode(user + ":" + std::string(k_secret));
    std::string redacted = redactor.redact(header);
    INFO(user << " -> " << redacted);
    CHECK(redacted.find("***") != std::string::npos);
    // No 8-character run of the original encoding of the secret part survives.
    std::string alone = util::base64_encode(k_secret);
    CHECK(redacted.find(alone.substr(4, 8)) == std::string::npos);
  }
}

TEST_CASE("secrets too short to be meaningful are refused", "[infra][log]") {
  log::Redactor redactor;
  CHECK_FALSE(redactor.add("abc"));
  CHECK(redactor.empty());
  CHECK(redactor.redact("abc") == "abc");
}

TEST_CASE("a longer secret is masked whole even when it contains a shorter one", "[infra][log]") {
  log::Redactor redactor;
  redactor.add("secret-one");
  redactor.add("secret-one-and-more");
  CHECK(redactor.redact("x secret-one-and-more y") == "x *** y");
}

TEST_CASE("a body that carries one secret on purpose keeps it and masks every other",
          "[infra][log]") {
  log::Redactor redactor;
  REQUIRE(redactor.add(k_secret));
  REQUIRE(redactor.add("csrf-token-value-1234"));
  std::string form = "csrf_token=csrf-token-value-1234&notes=leaked " + std::string(k_secret);
  CHECK(redactor.redact_except(form, {"csrf-token-value-1234"}) ==
        "csrf_token=csrf-token-value-1234&notes=leaked ***");
  CHECK(redactor.redact(form) == "csrf_token=***&notes=leaked ***");
}
