#include "core/spec/spec_io.hpp"

#include "infra/util/tree_path.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace ferry::core::spec {

namespace fs = std::filesystem;

Result<std::string> read_text_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return fail(ErrorKind::io, fmt::format("{}: is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::io,
                fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  std::string content;
  std::error_code size_error;
  auto size = fs::file_size(path, size_error);
  if (!size_error) {
    content.resize(static_cast<std::size_t>(size));
    in.read(content.data(), static_cast<std::streamsize>(size));
    content.resize(static_cast<std::size_t>(in.gcount()));
  }
  // Whatever is left (a growing file, a pipe) is appended.
  content.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return fail(ErrorKind::io, fmt::format("{}: read failed", path.string()));
  }
  return content;
}

Result<SpecFile> load_spec_file(const fs::path& path) {
  std::string content;
  FERRY_TRY_ASSIGN(content, read_text_file(path));
  return SpecFile::parse(std::move(content), path.string());
}

EvalOptions disk_eval_options(const fs::path& spec_path) {
  EvalOptions options;
  std::error_code ec;
  fs::path dir = fs::absolute(spec_path, ec).lexically_normal().parent_path();
  options.spec_dir = dir.empty() ? "." : dir.string();
  // %include and %{load:} stay inside the spec's folder: a spec from a repository must not read
  // the runner's files (a token in ~/.netrc, /proc/self/environ) into what ferry publishes.
  options.read_file = [dir](std::string_view path) {
    return infra::util::read_in_tree(dir,
                                     fs::path(path).lexically_normal().lexically_relative(dir));
  };
  return options;
}

namespace {

Status write_all(int fd, std::string_view content, const fs::path& temp) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(ErrorKind::io,
                  fmt::format("{}: write failed: {}", temp.string(), std::strerror(errno)));
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

} // namespace

Status write_file_atomically(const fs::path& path, std::string_view content) {
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::string pattern = (dir / ("." + path.filename().string() + ".ferry-XXXXXX")).string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return fail(ErrorKind::io, fmt::format("{}: cannot create a temporary file: {}", dir.string(),
                                           std::strerror(errno)));
  }
  fs::path temp(pattern);
  std::error_code ec;
  fs::file_status existing = fs::status(path, ec);
  fs::permissions(temp,
                  fs::exists(existing) ? existing.permissions()
                                       : fs::perms::owner_read | fs::perms::owner_write |
                                             fs::perms::group_read | fs::perms::others_read,
                  ec);
  Status status = write_all(fd, content, temp);
  if (::close(fd) != 0 && status) {
    status = fail(ErrorKind::io,
                  fmt::format("{}: close failed: {}", temp.string(), std::strerror(errno)));
  }
  if (status) {
    fs::rename(temp, path, ec);
    if (ec) {
      status =
          fail(ErrorKind::io, fmt::format("{}: cannot replace: {}", path.string(), ec.message()));
    }
  }
  if (!status) {
    fs::remove(temp, ec);
  }
  return status;
}

} // namespace ferry::core::spec
