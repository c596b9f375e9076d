// Captures everything the process-wide logger writes for the lifetime of the object, at the
// given level, and restores the previous sink and level afterwards.
#pragma once

#include "infra/log/logger.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ferry::testing {

class ScopedLogCapture {
public:
  explicit ScopedLogCapture(infra::log::Level level = infra::log::Level::debug)
      : m_sink(std::make_shared<Sink>()), m_previous_level(infra::log::logger().level()) {
    m_previous = infra::log::logger().set_sink(m_sink);
    infra::log::logger().set_level(level);
  }
  ~ScopedLogCapture() {
    infra::log::logger().set_sink(m_previous);
    infra::log::logger().set_level(m_previous_level);
  }
  ScopedLogCapture(const ScopedLogCapture&) = delete;
  ScopedLogCapture& operator=(const ScopedLogCapture&) = delete;

  std::vector<std::string> lines() const {
    std::lock_guard lock(m_sink->mutex);
    return m_sink->lines;
  }
  std::string text() const {
    std::string all;
    for (const std::string& line : lines()) {
      all += line + "\n";
    }
    return all;
  }

private:
  struct Sink final : infra::log::Sink {
    void write(std::string_view line) override {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    }
    mutable std::mutex mutex;
    std::vector<std::string> lines;
  };
  std::shared_ptr<Sink> m_sink;
  std::shared_ptr<infra::log::Sink> m_previous;
  infra::log::Level m_previous_level;
};

} // namespace ferry::testing
