#include "infra/git/libgit2_handles.hpp"

#include <cstdlib>
#include <string>

namespace ferry::infra::git {

namespace {

// The status in libgit2's "unexpected http status code: 503"; 0 when the text is another.
long unexpected_status(const std::string& detail) {
  constexpr std::string_view k_prefix = "unexpected http status code: ";
  std::size_t at = detail.find(k_prefix);
  return at == std::string::npos ? 0
                                 : std::strtol(detail.c_str() + at + k_prefix.size(), nullptr, 10);
}

} // namespace

Status check(int rc, std::string_view what) {
  if (rc >= 0) {
    return {};
  }
  const git_error* last = git_error_last();
  std::string detail =
      last != nullptr && last->message != nullptr ? last->message : "unknown error";
  ErrorKind kind = ErrorKind::git;
  if (rc == GIT_ENOTFOUND) {
    kind = ErrorKind::not_found;
  } else if (rc == GIT_EAUTH || detail.find("authentication") != std::string::npos ||
             detail.find("401") != std::string::npos || detail.find("403") != std::string::npos) {
    kind = ErrorKind::auth;
  } else if (rc == GIT_ENONFASTFORWARD || rc == GIT_ECONFLICT || rc == GIT_EMODIFIED) {
    kind = ErrorKind::conflict;
  } else if (last != nullptr && last->klass == GIT_ERROR_NET) {
    kind = ErrorKind::network;
  } else if (long status = unexpected_status(detail); status != 0) {
    return std::unexpected(
        Error(ErrorKind::http_status, std::string(what) + ": " + detail).with_http_status(status));
  }
  return fail(kind, std::string(what) + ": " + detail);
}

} // namespace ferry::infra::git
