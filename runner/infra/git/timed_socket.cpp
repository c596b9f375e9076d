#include "infra/git/timed_socket.hpp"

#include <git2.h>
#include <git2/sys/stream.h>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ferry::infra::git {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

thread_local TransferBounds* t_current_bounds = nullptr;

// The first four members are laid out as libgit2's own socket stream (git_socket_stream in
// src/libgit2/streams/socket.h), whose descriptor libgit2's SSH transport reads directly: an
// ssh:// remote keeps working over this stream. Everything is trivial, so the struct is
// standard-layout and a git_stream* is a pointer to it.
struct TimedSocket {
  git_stream parent;
  char* host;
  char* port;
  int fd;
  TransferBounds* bounds; // the scope's, or `own` when the socket was opened outside a scope
  TransferBounds own;
};

TimedSocket* timed(git_stream* stream) {
  return reinterpret_cast<TimedSocket*>(stream); // NOLINT: parent is the first member
}

std::string where(const TimedSocket& socket) {
  return std::string(socket.host) + ":" + socket.port;
}

long long seconds_of(milliseconds duration) {
  return std::max(1LL, static_cast<long long>((duration.count() + 999) / 1000));
}

// Records why the socket gave up, in the words the caller will see if it shows libgit2's.
int expire(TimedSocket& socket, Expiry why) {
  socket.bounds->expired = why;
  std::string text;
  switch (why) {
  case Expiry::connect:
    text = "no connection to " + where(socket) + " within " +
           std::to_string(seconds_of(socket.bounds->connect_timeout)) + " s";
    break;
  case Expiry::stall:
    text = "no data from " + where(socket) + " for " +
           std::to_string(seconds_of(socket.bounds->stall_timeout)) + " s";
    break;
  default:
    text = "the transfer with " + where(socket) + " ran past its time limit";
    break;
  }
  git_error_set_str(GIT_ERROR_NET, text.c_str());
  return -1;
}

int os_error(const TimedSocket& socket, const char* what) {
  std::string text = std::string(what) + " " + where(socket) + ": " + std::strerror(errno);
  git_error_set_str(GIT_ERROR_OS, text.c_str());
  return -1;
}

// Waits until `events` are possible on the socket: 0, or -1 with the error set. Each wait
// lasts at most the stall timeout (`limit` for connect) and never past the deadline.
int wait_for(TimedSocket& socket, short events, milliseconds limit, Expiry on_limit) {
  while (true) {
    auto left =
        std::chrono::duration_cast<milliseconds>(socket.bounds->deadline - steady_clock::now());
    if (left <= milliseconds(0)) {
      return expire(socket, Expiry::total);
    }
    bool deadline_first = left < limit;
    pollfd entry{socket.fd, events, 0};
    int ready = ::poll(&entry, 1, static_cast<int>(std::min(left, limit).count()));
    if (ready > 0) {
      return 0;
    }
    if (ready == 0) {
      return expire(socket, deadline_first ? Expiry::total : on_limit);
    }
    if (errno != EINTR) {
      return os_error(socket, "cannot wait for");
    }
  }
}

bool past_deadline(const TimedSocket& socket) {
  return steady_clock::now() >= socket.bounds->deadline;
}

// A non-blocking connect to one address, bounded by the connect timeout.
int connect_to(TimedSocket& socket, const addrinfo& address) {
  socket.fd = ::socket(address.ai_family, address.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                       address.ai_protocol);
  if (socket.fd < 0) {
    return os_error(socket, "cannot open a socket to");
  }
  if (::connect(socket.fd, address.ai_addr, address.ai_addrlen) == 0) {
    return 0;
  }
  if (errno != EINPROGRESS) {
    return os_error(socket, "cannot connect to");
  }
  if (wait_for(socket, POLLOUT, socket.bounds->connect_timeout, Expiry::connect) != 0) {
    return -1;
  }
  int failure = 0;
  socklen_t size = sizeof failure;
  if (::getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &failure, &size) != 0 || failure != 0) {
    errno = failure != 0 ? failure : errno;
    return os_error(socket, "cannot connect to");
  }
  return 0;
}

void close_fd(TimedSocket& socket) {
  if (socket.fd >= 0) {
    ::close(socket.fd);
    socket.fd = -1;
  }
}

int timed_connect(git_stream* stream) {
  TimedSocket& socket = *timed(stream);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(socket.host, socket.port, &hints, &found); rc != 0) {
    std::string text = "cannot resolve " + std::string(socket.host) + ": " + ::gai_strerror(rc);
    git_error_set_str(GIT_ERROR_NET, text.c_str());
    return -1;
  }
  int rc = -1;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    rc = connect_to(socket, *address);
    if (rc == 0 || socket.bounds->expired == Expiry::total) {
      break;
    }
    close_fd(socket);
  }
  ::freeaddrinfo(found);
  return rc;
}

ssize_t timed_read(git_stream* stream, void* data, std::size_t size) {
  TimedSocket& socket = *timed(stream);
  while (true) {
    if (past_deadline(socket)) {
      return expire(socket, Expiry::total);
    }
    ssize_t got = ::recv(socket.fd, data, size, 0);
    if (got >= 0) {
      return got;
    }
    if (errno == EAGAIN) { // EWOULDBLOCK is the same on Linux
      if (wait_for(socket, POLLIN, socket.bounds->stall_timeout, Expiry::stall) != 0) {
        return -1;
      }
    } else if (errno != EINTR) {
      return os_error(socket, "cannot receive from");
    }
  }
}

ssize_t timed_write(git_stream* stream, const char* data, std::size_t size, int flags) {
  TimedSocket& socket = *timed(stream);
  while (true) {
    if (past_deadline(socket)) {
      return expire(socket, Expiry::total);
    }
    ssize_t sent = ::send(socket.fd, data, size, flags | MSG_NOSIGNAL);
    if (sent >= 0) {
      return sent;
    }
    if (errno == EAGAIN) { // EWOULDBLOCK is the same on Linux
      if (wait_for(socket, POLLOUT, socket.bounds->stall_timeout, Expiry::stall) != 0) {
        return -1;
      }
    } else if (errno != EINTR) {
      return os_error(socket, "cannot send to");
    }
  }
}

int timed_close(git_stream* stream) {
  close_fd(*timed(stream));
  return 0;
}

void timed_free(git_stream* stream) {
  TimedSocket* socket = timed(stream);
  close_fd(*socket);
  std::free(socket->host);
  std::free(socket->port);
  delete socket;
}

int open_timed_socket(git_stream** out, const char* host, const char* port) {
  auto* socket = new TimedSocket{};
  socket->parent.version = GIT_STREAM_VERSION;
  socket->parent.connect = timed_connect;
  socket->parent.read = timed_read;
  socket->parent.write = timed_write;
  socket->parent.close = timed_close;
  socket->parent.free = timed_free;
  socket->host = ::strdup(host);
  socket->port = ::strdup(port != nullptr ? port : "");
  socket->fd = -1;
  socket->own.deadline = steady_clock::time_point::max();
  socket->bounds = t_current_bounds != nullptr ? t_current_bounds : &socket->own;
  *out = &socket->parent;
  return 0;
}

} // namespace

TransferScope::TransferScope(TransferBounds& bounds) : m_previous(t_current_bounds) {
  t_current_bounds = &bounds;
}

TransferScope::~TransferScope() {
  t_current_bounds = m_previous;
}

bool register_timed_socket() {
  git_stream_registration registration{};
  registration.version = GIT_STREAM_VERSION;
  registration.init = open_timed_socket;
  return git_stream_register(GIT_STREAM_STANDARD, &registration) == 0;
}

} // namespace ferry::infra::git
