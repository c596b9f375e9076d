#include "infra/http/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace ferry::infra::http {

bool is_retryable_status(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

bool is_status_safe_to_repeat(long status) {
  return status == 429 || status == 503;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01) {
  double exponent = std::clamp(retry - 1, 0, 30);
  double base = static_cast<double>(policy.base_delay.count()) * std::pow(2.0, exponent);
  double capped = std::min(base, static_cast<double>(policy.max_delay.count()));
  double factor = 1.0 - policy.jitter + 2.0 * policy.jitter * std::clamp(random01, 0.0, 1.0);
  double jittered = std::min(capped * factor, static_cast<double>(policy.max_delay.count()));
  return std::chrono::milliseconds(static_cast<long long>(std::max(0.0, jittered)));
}

namespace {

// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value) {
  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  std::time_t seconds = timegm(&tm);
  if (seconds == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(seconds);
}

} // namespace

std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  long long seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(std::min(seconds, 86'400LL) * 1000);
  }
  auto date = parse_http_date(value);
  if (!date) {
    return std::nullopt;
  }
  auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(*date - now);
  return std::max(delta, std::chrono::milliseconds(0));
}

} // namespace ferry::infra::http
