// Writes a stream of bytes to a new file past the page cache (O_DIRECT), from a background
// thread, as a file server would store large uploads. On the CI's virtual machines a page-cache
// write of fresh memory costs ~3 s of CPU per GiB and a direct one ~0.1 s: this keeps a fake
// server's storage from competing with the client it measures. Where the file system refuses
// O_DIRECT (tmpfs), it writes normally.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace ferry::testing {

class DirectFileWriter {
public:
  explicit DirectFileWriter(const std::filesystem::path& path);
  ~DirectFileWriter();
  DirectFileWriter(const DirectFileWriter&) = delete;
  DirectFileWriter& operator=(const DirectFileWriter&) = delete;

  void write(std::string_view bytes);
  // Writes what is buffered, sets the file's size and closes it; false when any write failed.
  bool finish();
  std::uint64_t size() const { return m_size; }

private:
  struct Block {
    char* data = nullptr;
    std::size_t used = 0;
  };
  struct FreeDeleter {
    void operator()(char* data) const noexcept;
  };

  void submit(Block block);
  Block take_free_block();
  void write_blocks();
  bool write_fully(const char* data, std::size_t size);

  int m_fd = -1;
  std::uint64_t m_size = 0;
  bool m_finished = false;
  Block m_current;
  std::vector<std::unique_ptr<char, FreeDeleter>> m_storage;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Block> m_free;
  std::deque<Block> m_full;
  bool m_failed = false;
  bool m_closing = false;
  std::thread m_writer;
};

} // namespace ferry::testing
