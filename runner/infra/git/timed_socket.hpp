// libgit2's plain socket stream, replaced by one that gives up: a read or write fails when no
// byte moves for the stall timeout or the attempt's deadline passes, and a connect fails after
// the connect timeout. libgit2 1.5 (Debian 12, and the static build) has no socket timeouts of
// its own (GIT_OPT_SET_SERVER_TIMEOUT came with 1.7), so a server that accepts and then stalls
// held clone and push forever. libgit2's TLS streams run over this socket, so https:// remotes
// get the same bounds; local paths open no socket.
#pragma once

#include <chrono>

namespace ferry::infra::git {

// Why a transfer attempt was abandoned.
enum class Expiry { none, connect, stall, total };

// The bounds of one transfer attempt, and what ended it.
struct TransferBounds {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds stall_timeout{30'000};
  std::chrono::steady_clock::time_point deadline;
  Expiry expired = Expiry::none;
};

// While it lives, every socket libgit2 opens on the calling thread obeys `bounds` and records
// in it why it gave up. Scopes nest; the innermost wins.
class TransferScope {
public:
  explicit TransferScope(TransferBounds& bounds);
  ~TransferScope();
  TransferScope(const TransferScope&) = delete;
  TransferScope& operator=(const TransferScope&) = delete;

private:
  TransferBounds* m_previous;
};

// Makes libgit2 open every plain socket through the timed stream. Process-wide; called by
// GitLibraryGuard after git_libgit2_init. False if libgit2 refused the registration.
bool register_timed_socket();

} // namespace ferry::infra::git
