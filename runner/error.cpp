#include "error.hpp"

#include <cstdio>
#include <cstdlib>

namespace ferry {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::usage:
    return "usage";
  case ErrorKind::config:
    return "config";
  case ErrorKind::event:
    return "event";
  case ErrorKind::network:
    return "network";
  case ErrorKind::timeout:
    return "timeout";
  case ErrorKind::http_status:
    return "http_status";
  case ErrorKind::auth:
    return "auth";
  case ErrorKind::refused:
    return "refused";
  case ErrorKind::not_found:
    return "not_found";
  case ErrorKind::conflict:
    return "conflict";
  case ErrorKind::git:
    return "git";
  case ErrorKind::process:
    return "process";
  case ErrorKind::spec_parse:
    return "spec_parse";
  case ErrorKind::io:
    return "io";
  case ErrorKind::internal:
    return "internal";
  case ErrorKind::cancelled:
    return "cancelled";
  }
  return "internal";
}

std::string Error::describe() const {
  std::string text = m_message;
  if (!m_context.empty()) {
    text += " (";
    for (std::size_t i = 0; i < m_context.size(); ++i) {
      text += (i == 0 ? "while " : "; while ");
      text += m_context[i];
    }
    text += ")";
  }
  return text;
}

void assertion_failed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "ferry: internal error: assertion '%s' failed at %s:%d\n", expression, file,
               line);
  std::abort();
}

} // namespace ferry
