#include "infra/util/url.hpp"

#include <catch2/catch.hpp>

using ferry::infra::util::redact_url;

TEST_CASE("a password in the URL's user-info is masked", "[infra][util]") {
  CHECK(redact_url("https://bot:tok3n@src.example.org/rpms/x.git") ==
        "https://bot:***@src.example.org/rpms/x.git");
  CHECK(redact_url("https://tok3n@example.org/") == "https://***@example.org/");
  CHECK(redact_url("https://example.org/a@b") == "https://example.org/a@b");
}

TEST_CASE("credential query parameters are masked, others kept", "[infra][util]") {
  CHECK(redact_url("https://h/p?per_page=100&access_token=abc&page=2#top") ==
        "https://h/p?per_page=100&access_token=***&page=2#top");
  CHECK(redact_url("https://h/p?Private_Token=abc") == "https://h/p?Private_Token=***");
  CHECK(redact_url("https://h/p?flag") == "https://h/p?flag");
}

TEST_CASE("URLs without secrets are unchanged", "[infra][util]") {
  CHECK(redact_url("https://api.github.com/repos/o/r/pulls?state=open") ==
        "https://api.github.com/repos/o/r/pulls?state=open");
  CHECK(redact_url("/local/path") == "/local/path");
}
