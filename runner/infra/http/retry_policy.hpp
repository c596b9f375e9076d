// When and how long to wait before trying a request again: capped exponential back-off with
// jitter, and the server's Retry-After honoured. Pure functions, so the schedule is testable.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace ferry::infra::http {

struct RetryPolicy {
  int max_attempts = 5; // including the first
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  double jitter = 0.25; // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
  // A Retry-After longer than this is not waited for: the response is returned as it is.
  std::chrono::milliseconds max_retry_after{120'000};
};

// 408, 429, 500, 502, 503, 504.
bool is_retryable_status(long status);
// Statuses that say the server did not act on the request, so even POST may be repeated.
bool is_status_safe_to_repeat(long status);

// Delay before retry number `retry` (1 for the first retry). `random01` is in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01);

// Parses Retry-After: delta-seconds or an HTTP-date (relative to `now`). nullopt if malformed.
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

} // namespace ferry::infra::http
