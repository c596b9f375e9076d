// A ProcessRunner for the test servers themselves (git http-backend, git, the KDC tools).
//
// Why not ferry's BoostProcessRunner: Boost.Process v2 (1.81) allocates memory in the child
// between fork and exec (asio's notify_fork). glibc's malloc survives that, but the ASan
// allocator of GCC 12 does not: when another thread of the test process (an HTTP fake serving
// a request) holds the allocator lock at the moment of fork, the child waits for it for ever.
// posix_spawn allocates nothing in the child, so the fakes can spawn from any thread.
#pragma once

#include "infra/process/process_runner.hpp"

#include <memory>

namespace ferry::testing {

std::unique_ptr<infra::process::ProcessRunner> make_spawn_process_runner();

} // namespace ferry::testing
