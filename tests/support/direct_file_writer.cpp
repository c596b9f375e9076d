#include "support/direct_file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ferry::testing {

namespace {

constexpr std::size_t k_block_size = std::size_t{1} << 20;
constexpr std::size_t k_alignment = 4096;
constexpr int k_blocks = 4;

} // namespace

void DirectFileWriter::FreeDeleter::operator()(char* data) const noexcept {
  std::free(data); // NOLINT: allocated by std::aligned_alloc
}

DirectFileWriter::DirectFileWriter(const std::filesystem::path& path) {
  m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, 0644);
  if (m_fd < 0 && errno == EINVAL) {
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  m_failed = m_fd < 0;
  for (int i = 0; i < k_blocks; ++i) {
    m_storage.emplace_back(static_cast<char*>(std::aligned_alloc(k_alignment, k_block_size)));
    m_free.push_back(Block{m_storage.back().get(), 0});
  }
  m_current = take_free_block();
  m_writer = std::thread([this] { write_blocks(); });
}

DirectFileWriter::~DirectFileWriter() {
  finish();
}

void DirectFileWriter::write(std::string_view bytes) {
  m_size += bytes.size();
  while (!bytes.empty()) {
    std::size_t n = std::min(bytes.size(), k_block_size - m_current.used);
    std::memcpy(m_current.data + m_current.used, bytes.data(), n);
    m_current.used += n;
    bytes.remove_prefix(n);
    if (m_current.used == k_block_size) {
      submit(m_current);
      m_current = take_free_block();
    }
  }
}

bool DirectFileWriter::finish() {
  if (m_finished) {
    return !m_failed;
  }
  m_finished = true;
  // O_DIRECT writes whole aligned blocks: pad the last one, then cut the file to its size.
  std::size_t padded = (m_current.used + k_alignment - 1) / k_alignment * k_alignment;
  std::memset(m_current.data + m_current.used, 0, padded - m_current.used);
  m_current.used = padded;
  submit(m_current);
  {
    std::lock_guard lock(m_mutex);
    m_closing = true;
  }
  m_changed.notify_all();
  m_writer.join();
  if (m_fd >= 0) {
    m_failed = m_failed || ::ftruncate(m_fd, static_cast<off_t>(m_size)) != 0;
    m_failed = ::close(m_fd) != 0 || m_failed;
    m_fd = -1;
  }
  return !m_failed;
}

void DirectFileWriter::submit(Block block) {
  {
    std::lock_guard lock(m_mutex);
    m_full.push_back(block);
  }
  m_changed.notify_all();
}

DirectFileWriter::Block DirectFileWriter::take_free_block() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return !m_free.empty(); });
  Block block = m_free.front();
  m_free.pop_front();
  block.used = 0;
  return block;
}

void DirectFileWriter::write_blocks() {
  while (true) {
    Block block;
    {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [this] { return !m_full.empty() || m_closing; });
      if (m_full.empty()) {
        return;
      }
      block = m_full.front();
      m_full.pop_front();
    }
    bool written = write_fully(block.data, block.used);
    {
      std::lock_guard lock(m_mutex);
      m_failed = m_failed || !written;
      m_free.push_back(block);
    }
    m_changed.notify_all();
  }
}

bool DirectFileWriter::write_fully(const char* data, std::size_t size) {
  while (size > 0 && m_fd >= 0) {
    ssize_t n = ::write(m_fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return m_fd >= 0;
}

} // namespace ferry::testing
