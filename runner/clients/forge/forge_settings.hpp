// How to reach one forge instance: its API root, the token, and the bounds of the waits the
// client may make (fork creation, rate limits).
#pragma once

#include "infra/process/cancellation.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace ferry::clients::forge {

struct ForgeSettings {
  std::string api_url; // e.g. https://api.github.com, https://host/api/v1, https://host/api/v4
  std::string token;
  std::chrono::milliseconds fork_timeout{120'000};
  std::chrono::milliseconds fork_poll_interval{2'000};
  // Waiting for a rate-limit reset up to this long; beyond it the call fails with the time.
  std::chrono::milliseconds max_rate_limit_wait{120'000};
  std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds delay) {
    infra::process::wait_unless_cancelled(delay);
  };
};

} // namespace ferry::clients::forge
