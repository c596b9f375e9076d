// Error values for every fallible operation in ferry.
//
// Expected failures are values: functions return Result<T> (std::expected<T, Error>) and are
// [[nodiscard]]. Exceptions are used only where a third-party parser throws, and are caught at
// that call. An Error carries its kind (what callers branch on), a message meant for the user
// (it says what went wrong and, when known, what to do next), a context chain added as it
// crosses layers ("while pushing to fork"), and the HTTP status or exit code behind it.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry {

enum class ErrorKind {
  usage,       // bad command line
  config,      // bad .packit.yaml or option value
  event,       // CI event payload missing or malformed
  network,     // connection failed, reset, DNS
  timeout,     // a deadline passed
  http_status, // the server answered with an unexpected status
  auth,        // 401/403, bad credentials, missing permission
  refused,     // the server's policy or quota said no, the credentials were fine
  not_found,   // the thing asked for does not exist
  conflict,    // someone else changed the thing (lease lost, PR exists)
  git,         // libgit2 reported a failure
  process,     // a child process failed to start or exited non-zero
  spec_parse,  // an RPM spec file could not be understood
  io,          // local file system
  internal,    // a bug in ferry
  cancelled,   // SIGTERM/SIGINT asked the run to stop
};

std::string_view to_string(ErrorKind kind);

class Error {
public:
  Error(ErrorKind kind, std::string message) : m_kind(kind), m_message(std::move(message)) {}

  ErrorKind kind() const { return m_kind; }
  const std::string& message() const { return m_message; }
  const std::vector<std::string>& context() const { return m_context; }
  std::optional<long> http_status() const { return m_http_status; }

  // Adds "while <what>" to the context chain; outermost context is added last.
  Error& add_context(std::string what) {
    m_context.push_back(std::move(what));
    return *this;
  }
  Error& with_http_status(long status) {
    m_http_status = status;
    return *this;
  }

  // "message (while a; while b)" — context innermost first.
  std::string describe() const;

private:
  ErrorKind m_kind;
  std::string m_message;
  std::vector<std::string> m_context;
  std::optional<long> m_http_status;
};

template <typename T> using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected<Error>(Error(kind, std::move(message)));
}

// Adds context to the error of a failed Result, passing success through untouched.
template <typename T> Result<T> with_context(Result<T> result, std::string what) {
  if (!result) {
    result.error().add_context(std::move(what));
  }
  return result;
}

[[noreturn]] void assertion_failed(const char* expression, const char* file, int line);

} // namespace ferry

// Evaluates a Result expression; on error returns it from the enclosing function.
#define FERRY_TRY(expr)                                                                            \
  do {                                                                                             \
    if (auto ferry_try_result_ = (expr); !ferry_try_result_) {                                     \
      return std::unexpected(std::move(ferry_try_result_).error());                                \
    }                                                                                              \
  } while (false)

// Evaluates a Result expression and moves its value into `var` — an existing variable, or a
// declaration such as `auto value` — or returns its error from the enclosing function.
#define FERRY_TRY_ASSIGN(var, expr)                                                                \
  FERRY_TRY_ASSIGN_IMPL(FERRY_CONCAT(ferry_try_, __COUNTER__), var, expr)
#define FERRY_TRY_ASSIGN_IMPL(tmp, var, expr)                                                      \
  auto tmp = (expr);                                                                               \
  if (!tmp) {                                                                                      \
    return std::unexpected(std::move(tmp).error());                                                \
  }                                                                                                \
  var = std::move(*tmp)
#define FERRY_CONCAT(a, b) FERRY_CONCAT_IMPL(a, b)
#define FERRY_CONCAT_IMPL(a, b) a##b

// Checks an invariant, in every build type; a failure is a bug and aborts.
#define FERRY_ASSERT(expr)                                                                         \
  do {                                                                                             \
    if (!(expr)) {                                                                                 \
      ::ferry::assertion_failed(#expr, __FILE__, __LINE__);                                        \
    }                                                                                              \
  } while (false)
