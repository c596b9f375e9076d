#include "infra/http/retry_policy.hpp"

#include <catch2/catch.hpp>

using namespace ferry::infra::http;
using std::chrono::milliseconds;

TEST_CASE("backoff doubles from the base delay and stops at the cap", "[infra][http]") {
  RetryPolicy policy;
  policy.base_delay = milliseconds(100);
  policy.max_delay = milliseconds(1000);
  policy.jitter = 0.0;
  CHECK(backoff_delay(policy, 1, 0.5) == milliseconds(100));
  CHECK(backoff_delay(policy, 2, 0.5) == milliseconds(200));
  CHECK(backoff_delay(policy, 3, 0.5) == milliseconds(400));
  CHECK(backoff_delay(policy, 5, 0.5) == milliseconds(1000));
  CHECK(backoff_delay(policy, 60, 0.5) == milliseconds(1000));
}

TEST_CASE("jitter spreads a delay within its bounds and never past the cap", "[infra][http]") {
  RetryPolicy policy;
  policy.base_delay = milliseconds(1000);
  policy.max_delay = milliseconds(30'000);
  policy.jitter = 0.25;
  CHECK(backoff_delay(policy, 1, 0.0) == milliseconds(750));
  CHECK(backoff_delay(policy, 1, 0.999) >= milliseconds(1240));
  CHECK(backoff_delay(policy, 1, 0.999) <= milliseconds(1250));
  CHECK(backoff_delay(policy, 10, 0.999) == milliseconds(30'000));
}

TEST_CASE("retryable statuses are the transient ones", "[infra][http]") {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) {
    CHECK(is_retryable_status(status));
  }
  for (long status : {200L, 301L, 400L, 401L, 403L, 404L, 409L, 422L, 501L}) {
    CHECK_FALSE(is_retryable_status(status));
  }
  CHECK(is_status_safe_to_repeat(429));
  CHECK(is_status_safe_to_repeat(503));
  CHECK_FALSE(is_status_safe_to_repeat(502));
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[infra][http]") {
  auto now = std::chrono::system_clock::from_time_t(784111777); // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after("120", now) == milliseconds(120'000));
  CHECK(parse_retry_after(" 0 ", now) == milliseconds(0));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now) == milliseconds(30'000));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == milliseconds(0));
  CHECK_FALSE(parse_retry_after("soon", now).has_value());
  CHECK_FALSE(parse_retry_after("-5", now).has_value());
  CHECK_FALSE(parse_retry_after("", now).has_value());
}
