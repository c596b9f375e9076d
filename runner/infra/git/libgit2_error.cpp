#include "infra/git/libgit2_handles.hpp"

#include <string>

namespace ferry::infra::git {

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
  }
  return fail(kind, std::string(what) + ": " + detail);
}

} // namespace ferry::infra::git
