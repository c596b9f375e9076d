// Progress of long transfers, as log lines a person watching CI can follow: at most one line
// every `interval` (and one at completion), e.g.
//   "upload hello-1.3.0.tar.gz: 45% (117.0 MiB of 260.0 MiB, 38.2 MiB/s)".
#pragma once

#include "infra/http/http_client.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace ferry::infra::http {

using Clock = std::function<std::chrono::steady_clock::time_point()>;

// A ProgressCallback that logs at info level. `clock` is injectable for tests.
ProgressCallback make_progress_log(std::string label,
                                   std::chrono::milliseconds interval = std::chrono::seconds(5),
                                   Clock clock = {});

// "117.0 MiB"
std::string format_bytes(std::uint64_t bytes);

} // namespace ferry::infra::http
