#include "infra/log/logger.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace ferry::infra::log {

namespace {

bool env_is_true(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::string_view(value) == "true";
}

// GitHub workflow command data: '%', '\r' and '\n' must be escaped or the command breaks
// (and a crafted message could inject a second command).
std::string escape_workflow_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    default:
      out += c;
    }
  }
  return out;
}

// A line of untrusted text must not start a workflow command ("::") on its own.
std::string neutralise_commands(std::string_view line, CiFlavor ci) {
  if (ci == CiFlavor::github && line.starts_with("::")) {
    return " " + std::string(line);
  }
  return std::string(line);
}

std::string_view level_prefix(Level level) {
  switch (level) {
  case Level::debug:
    return "debug: ";
  case Level::warning:
    return "warning: ";
  case Level::error:
    return "error: ";
  default:
    return "";
  }
}

std::string section_id(std::string_view title, std::size_t depth) {
  std::string id = "ferry_" + std::to_string(depth) + "_";
  for (char c : title) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    id += word ? c : '_';
    if (id.size() > 48) {
      break;
    }
  }
  return id;
}

long long unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

CiFlavor detect_ci_flavor() {
  if (env_is_true("GITHUB_ACTIONS") || env_is_true("GITEA_ACTIONS") ||
      env_is_true("FORGEJO_ACTIONS")) {
    return CiFlavor::github;
  }
  if (env_is_true("GITLAB_CI")) {
    return CiFlavor::gitlab;
  }
  return CiFlavor::none;
}

void StderrSink::write(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

Logger::Logger() : m_sink(std::make_shared<StderrSink>()) {}

void Logger::set_level(Level level) {
  std::lock_guard lock(m_mutex);
  m_level = level;
}

Level Logger::level() const {
  std::lock_guard lock(m_mutex);
  return m_level;
}

void Logger::set_ci_flavor(CiFlavor flavor) {
  std::lock_guard lock(m_mutex);
  m_ci = flavor;
}

std::shared_ptr<Sink> Logger::set_sink(std::shared_ptr<Sink> sink) {
  std::lock_guard lock(m_mutex);
  std::swap(m_sink, sink);
  return sink;
}

void Logger::register_secret(std::string_view secret) {
  if (!m_redactor.add(secret)) {
    return;
  }
  std::lock_guard lock(m_mutex);
  if (m_ci == CiFlavor::github) {
    for (const std::string& form : secret_forms(secret)) {
      m_sink->write("::add-mask::" + escape_workflow_data(form));
    }
  }
}

std::string Logger::redact(std::string_view text) const {
  return m_redactor.redact(text);
}

std::string Logger::redact_except(std::string_view text,
                                  const std::vector<std::string>& kept) const {
  return m_redactor.redact_except(text, kept);
}

bool Logger::enabled(Level level) const {
  std::lock_guard lock(m_mutex);
  return level >= m_level;
}

void Logger::write(Level level, std::string_view message) {
  std::string clean = m_redactor.redact(message);
  std::lock_guard lock(m_mutex);
  if (level < m_level) {
    return;
  }
  if (m_ci == CiFlavor::github && (level == Level::error || level == Level::warning)) {
    std::string_view command = level == Level::error ? "::error::" : "::warning::";
    m_sink->write(std::string(command) + escape_workflow_data(clean));
    return;
  }
  std::string_view prefix = level_prefix(level);
  std::string_view rest = clean;
  while (true) {
    std::size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    m_sink->write(std::string(prefix) + neutralise_commands(line, m_ci));
    if (newline == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(newline + 1);
  }
}

void Logger::group_begin(std::string_view title) {
  std::string clean = m_redactor.redact(title);
  std::lock_guard lock(m_mutex);
  switch (m_ci) {
  case CiFlavor::github:
    m_sink->write("::group::" + escape_workflow_data(clean));
    break;
  case CiFlavor::gitlab: {
    std::string id = section_id(clean, m_open_groups.size());
    m_sink->write("\x1b[0Ksection_start:" + std::to_string(unix_seconds()) + ":" + id +
                  "[collapsed=true]\r\x1b[0K" + clean);
    m_open_groups.push_back(std::move(id));
    break;
  }
  case CiFlavor::none:
    if (m_level <= Level::info) {
      m_sink->write("== " + clean);
    }
    break;
  }
}

void Logger::group_end() {
  std::lock_guard lock(m_mutex);
  if (m_ci == CiFlavor::github) {
    m_sink->write("::endgroup::");
  } else if (m_ci == CiFlavor::gitlab && !m_open_groups.empty()) {
    m_sink->write("\x1b[0Ksection_end:" + std::to_string(unix_seconds()) + ":" +
                  m_open_groups.back() + "\r\x1b[0K");
    m_open_groups.pop_back();
  }
}

Logger& logger() {
  static Logger instance;
  return instance;
}

} // namespace ferry::infra::log
