#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/process/process_runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/asio/write.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <functional>

extern char** environ; // NOLINT: POSIX

namespace ferry::infra::process {

namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

// Reads one stream to its end, keeping at most `cap` bytes.
class StreamReader {
public:
  StreamReader(asio::readable_pipe& pipe, std::string& sink, bool& truncated, std::size_t cap)
      : m_pipe(pipe), m_sink(sink), m_truncated(truncated), m_cap(cap) {}

  void start() {
    m_pipe.async_read_some(asio::buffer(m_buffer),
                           [this](boost::system::error_code ec, std::size_t n) {
                             std::size_t room = m_cap - std::min(m_cap, m_sink.size());
                             m_sink.append(m_buffer.data(), std::min(n, room));
                             if (n > room) {
                               m_truncated = true;
                             }
                             if (!ec) {
                               start();
                             }
                           });
  }

private:
  asio::readable_pipe& m_pipe;
  std::string& m_sink;
  bool& m_truncated;
  std::size_t m_cap;
  std::array<char, 16384> m_buffer{};
};

std::map<std::string, std::string> effective_environment(const Command& command) {
  std::map<std::string, std::string> env;
  if (command.inherit_environment) {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string_view kv(*entry);
      std::size_t eq = kv.find('=');
      if (eq != std::string_view::npos) {
        env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
      }
    }
  }
  for (const auto& [key, value] : command.env) {
    env[key] = value;
  }
  return env;
}

Result<std::filesystem::path> resolve_executable(const std::string& name,
                                                 const std::map<std::string, std::string>& env) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) {
      return fail(ErrorKind::process, "cannot execute '" + name + "': not found or not executable");
    }
    return std::filesystem::path(name);
  }
  auto path_entry = env.find("PATH");
  const char* parent_path = std::getenv("PATH");
  std::string search =
      path_entry != env.end() ? path_entry->second : (parent_path != nullptr ? parent_path : "");
  std::string_view rest = search;
  while (true) {
    std::size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (!dir.empty()) {
      std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
        return candidate;
      }
    }
    if (colon == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(colon + 1);
  }
  return fail(ErrorKind::process, "cannot find program '" + name + "' in PATH");
}

// Boost.Process v2 (1.81) allocates in the child between fork and exec (asio's notify_fork).
// glibc's malloc is fork-safe, so ferry itself is fine; under GCC 12's ASan a child can wait
// for ever for an allocator lock another thread held at fork time, which is why the test
// servers (which spawn from their own threads) use posix_spawn instead.
class BoostProcessRunner final : public ProcessRunner {
public:
  Result<ProcessResult> run(const Command& command) override {
    if (command.argv.empty()) {
      return fail(ErrorKind::internal, "empty argv");
    }
    std::map<std::string, std::string> env = effective_environment(command);
    std::filesystem::path exe;
    FERRY_TRY_ASSIGN(exe, resolve_executable(command.argv[0], env));
    std::vector<std::string> env_strings;
    for (const auto& [key, value] : env) {
      env_strings.push_back(key + "=" + value);
    }
    std::vector<std::string> args(command.argv.begin() + 1, command.argv.end());
    log::debug("run: {}", describe_argv(command.argv));

    auto started = std::chrono::steady_clock::now();
    asio::io_context context;
    asio::readable_pipe out_pipe(context);
    asio::readable_pipe err_pipe(context);
    asio::writable_pipe in_pipe(context);
    boost::system::error_code start_error;
    std::filesystem::path cwd = command.cwd.value_or(std::filesystem::current_path());
    bp::process child(context.get_executor(), bp::filesystem::path(exe.string()), args, start_error,
                      bp::process_stdio{in_pipe, out_pipe, err_pipe},
                      bp::process_start_dir{bp::filesystem::path(cwd.string())},
                      bp::process_environment{env_strings});
    if (start_error) {
      return fail(ErrorKind::process,
                  "cannot start '" + command.argv[0] + "': " + start_error.message());
    }

    ProcessResult result;
    StreamReader out_reader(out_pipe, result.out, result.out_truncated, command.output_cap);
    StreamReader err_reader(err_pipe, result.err, result.err_truncated, command.output_cap);
    out_reader.start();
    err_reader.start();
    feed_stdin(in_pipe, command.stdin_data);

    bool cancelled = false;
    bool exited = false; // a poll already queued when the child exits must not re-arm
    asio::steady_timer cancel_poll(context);
    bool timed_out = false;
    asio::steady_timer timer(context, command.timeout);
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) {
        timed_out = true;
        boost::system::error_code ignored;
        cancel_poll.cancel();
        child.terminate(ignored);
        out_pipe.close(ignored);
        err_pipe.close(ignored);
      }
    });
    // A cancel (SIGTERM/SIGINT to ferry) stops the child too: looked at every 100 ms.
    std::function<void()> poll_cancel = [&] {
      cancel_poll.expires_after(std::chrono::milliseconds(100));
      cancel_poll.async_wait([&](boost::system::error_code ec) {
        if (ec || exited || timed_out) {
          return;
        }
        if (cancel_requested()) {
          cancelled = true;
          boost::system::error_code ignored;
          child.terminate(ignored);
          out_pipe.close(ignored);
          err_pipe.close(ignored);
          return;
        }
        poll_cancel();
      });
    };
    poll_cancel();
    child.async_wait([&](boost::system::error_code, int exit_code) {
      result.exit_code = exit_code;
      exited = true;
      timer.cancel();
      cancel_poll.cancel();
    });
    context.run();
    if (cancelled) {
      FERRY_TRY(check_not_cancelled());
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (timed_out) {
      return fail(ErrorKind::timeout, "'" + command.argv[0] + "' did not finish within " +
                                          std::to_string(command.timeout.count() / 1000) +
                                          " s and was stopped");
    }
    return result;
  }

private:
  static void feed_stdin(asio::writable_pipe& pipe, const std::string& data) {
    if (data.empty()) {
      boost::system::error_code ignored;
      pipe.close(ignored);
      return;
    }
    asio::async_write(pipe, asio::buffer(data), [&pipe](boost::system::error_code, std::size_t) {
      boost::system::error_code ignored;
      pipe.close(ignored); // EOF for the child; an early exit (EPIPE) is not our failure
    });
  }
};

} // namespace

std::unique_ptr<ProcessRunner> make_boost_process_runner() {
  return std::make_unique<BoostProcessRunner>();
}

std::string describe_argv(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) {
    if (!text.empty()) {
      text += ' ';
    }
    bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    if (plain) {
      text += arg;
      continue;
    }
    text += '\'';
    for (char c : arg) {
      text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    text += '\'';
  }
  return text;
}

} // namespace ferry::infra::process
