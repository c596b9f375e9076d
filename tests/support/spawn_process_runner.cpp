#include "support/spawn_process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>

extern char** environ; // NOLINT: POSIX

namespace ferry::testing {

namespace {

using infra::process::Command;
using infra::process::ProcessResult;

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) {
      read = fds[0];
      write = fds[1];
    }
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read >= 0) {
      ::close(read);
      read = -1;
    }
  }
  void close_write() {
    if (write >= 0) {
      ::close(write);
      write = -1;
    }
  }
};

std::vector<std::string> environment_of(const Command& command) {
  std::map<std::string, std::string> env;
  if (command.inherit_environment) {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string kv(*entry);
      std::size_t eq = kv.find('=');
      if (eq != std::string::npos) {
        env[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
    }
  }
  for (const auto& [key, value] : command.env) {
    env[key] = value;
  }
  std::vector<std::string> list;
  for (const auto& [key, value] : env) {
    list.push_back(key + "=" + value);
  }
  return list;
}

std::string find_program(const std::string& name, const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  std::string path = "/usr/bin:/bin";
  for (const std::string& entry : env) {
    if (entry.starts_with("PATH=")) {
      path = entry.substr(5);
    }
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t colon = path.find(':', start);
    std::string candidate = path.substr(start, colon - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string::npos) {
      break;
    }
    start = colon + 1;
  }
  return "";
}

// Feeds stdin and drains stdout/stderr until both close or the deadline passes.
bool pump(Pipe& in, Pipe& out, Pipe& err, const Command& command, ProcessResult& result) {
  auto deadline = std::chrono::steady_clock::now() + command.timeout;
  std::size_t written = 0;
  if (command.stdin_data.empty()) {
    in.close_write();
  }
  char buffer[65536];
  while (out.read >= 0 || err.read >= 0) {
    pollfd fds[3] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}, {in.write, POLLOUT, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    if (::poll(fds, 3, static_cast<int>(std::min<long long>(left.count(), 1000))) < 0 &&
        errno != EINTR) {
      return false;
    }
    if ((fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t n = ::write(in.write, command.stdin_data.data() + written,
                          command.stdin_data.size() - written);
      written += n > 0 ? static_cast<std::size_t>(n) : 0;
      if (n <= 0 || written == command.stdin_data.size()) {
        in.close_write();
      }
    }
    for (int i = 0; i < 2; ++i) {
      Pipe& pipe = i == 0 ? out : err;
      std::string& sink = i == 0 ? result.out : result.err;
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        ssize_t n = ::read(pipe.read, buffer, sizeof buffer);
        if (n <= 0) {
          pipe.close_read();
        } else if (sink.size() < command.output_cap) {
          sink.append(buffer, static_cast<std::size_t>(n));
        }
      }
    }
  }
  return true;
}

class SpawnProcessRunner final : public infra::process::ProcessRunner {
public:
  Result<ProcessResult> run(const Command& command) override {
    std::vector<std::string> env = environment_of(command);
    std::string program = find_program(command.argv.at(0), env);
    if (program.empty()) {
      return fail(ErrorKind::process, "cannot find program '" + command.argv[0] + "'");
    }
    Pipe in, out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
    if (command.cwd) {
      posix_spawn_file_actions_addchdir_np(&actions, command.cwd->c_str());
    }
    std::vector<std::string> argv = command.argv;
    std::vector<char*> args;
    for (std::string& arg : argv) {
      args.push_back(arg.data());
    }
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& entry : env) {
      envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      return fail(ErrorKind::process, "cannot start '" + command.argv[0] + "'");
    }
    in.close_read();
    out.close_write();
    err.close_write();
    ProcessResult result;
    bool finished = pump(in, out, err, command, result);
    if (!finished) {
      ::kill(pid, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!finished) {
      return fail(ErrorKind::timeout, "'" + command.argv[0] + "' did not finish in time");
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
  }
};

} // namespace

std::unique_ptr<infra::process::ProcessRunner> make_spawn_process_runner() {
  return std::make_unique<SpawnProcessRunner>();
}

} // namespace ferry::testing
