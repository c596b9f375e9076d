// ferry's log: leveled lines on stderr, CI-aware (GitHub/Forgejo workflow commands, GitLab
// collapsible sections), and redacted: every line passes through the Redactor, so a secret
// registered at start-up never reaches the log, whatever code produced the line.
//
// The process-wide logger is the one mutable global ferry allows (the log sink). Tests swap
// its sink with ScopedLogCapture. All members are thread-safe.
#pragma once

#include "infra/log/redactor.hpp"

#include <fmt/format.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace ferry::infra::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, quiet = 4 };

// How the CI system running ferry renders special log lines.
enum class CiFlavor {
  none,   // a terminal or plain log
  github, // GitHub Actions and Forgejo/Gitea Actions: ::group::, ::error::, ::add-mask::
  gitlab, // GitLab CI: section_start/section_end escape sequences
};

// Reads GITHUB_ACTIONS / GITEA_ACTIONS / FORGEJO_ACTIONS / GITLAB_CI from the environment.
CiFlavor detect_ci_flavor();

// Where finished lines go. write() receives one complete, already redacted line without '\n'.
class Sink {
public:
  virtual ~Sink() = default;
  virtual void write(std::string_view line) = 0;
};

class StderrSink final : public Sink {
public:
  void write(std::string_view line) override;
};

class Logger {
public:
  Logger();

  void set_level(Level level);
  Level level() const;
  void set_ci_flavor(CiFlavor flavor);
  // Replaces the sink; returns the previous one.
  std::shared_ptr<Sink> set_sink(std::shared_ptr<Sink> sink);

  // Registers a secret for redaction; on GitHub also emits ::add-mask:: for each of its forms,
  // which the runner hides from the log.
  void register_secret(std::string_view secret);
  std::string redact(std::string_view text) const;
  std::string redact_except(std::string_view text, const std::vector<std::string>& kept) const;

  bool enabled(Level level) const;
  void write(Level level, std::string_view message);
  void group_begin(std::string_view title);
  void group_end();

private:
  void emit(std::string_view line);

  mutable std::mutex m_mutex;
  Level m_level = Level::info;
  CiFlavor m_ci = CiFlavor::none;
  std::shared_ptr<Sink> m_sink;
  Redactor m_redactor;
  std::vector<std::string> m_open_groups; // GitLab needs the section id to close it
};

Logger& logger();

template <typename... Args> void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (logger().enabled(Level::debug)) {
    logger().write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args> void info(fmt::format_string<Args...> f, Args&&... args) {
  if (logger().enabled(Level::info)) {
    logger().write(Level::info, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args> void warning(fmt::format_string<Args...> f, Args&&... args) {
  logger().write(Level::warning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args> void error(fmt::format_string<Args...> f, Args&&... args) {
  logger().write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

// A collapsible group for the duration of a scope.
class Group {
public:
  explicit Group(std::string_view title) { logger().group_begin(title); }
  ~Group() { logger().group_end(); }
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
};

} // namespace ferry::infra::log
