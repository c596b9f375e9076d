// Cancellation: SIGTERM and SIGINT (what a CI sends when a run is cancelled or times out) ask
// the run to stop instead of killing it. The handler only records the signal; the step runner
// stops before the next step, HTTP transfers and waits give up at once, and child processes are
// terminated, so the run unwinds normally: work dir removed, summary and outputs written
// ("cancelled"), exit code 128 + the signal's number, and no half-done step (a push either
// happened or did not).
#pragma once

#include "error.hpp"

#include <chrono>
#include <string>

namespace ferry::infra::process {

// Installs the handlers (once, at start-up, before threads start). A second signal ends the
// process at once.
void install_cancellation_handlers();

// True once SIGTERM or SIGINT arrived.
bool cancel_requested();
// The signal that asked (SIGTERM, SIGINT), 0 if none.
int cancel_signal();
// "SIGTERM" / "SIGINT".
std::string cancel_signal_name();

// ErrorKind::cancelled naming the signal, when a cancel was requested; success otherwise.
[[nodiscard]] Status check_not_cancelled();

// Sleeps for `duration`, waking early when a cancel is requested. Every wait of ferry's
// (retries, polls, archive waits) goes through it.
void wait_unless_cancelled(std::chrono::milliseconds duration);

// For tests: forget a recorded request.
void reset_cancellation_for_tests();

} // namespace ferry::infra::process
