#include "fakes/multipart.hpp"

#include <cstring>

namespace ferry::testing {

namespace {

std::optional<std::string> parameter(std::string_view header, std::string_view key) {
  std::string needle = std::string(key) + "=\"";
  std::size_t start = header.find(needle);
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  start += needle.size();
  std::size_t end = header.find('"', start);
  return end == std::string_view::npos
             ? std::nullopt
             : std::optional<std::string>(header.substr(start, end - start));
}

std::size_t find_bytes(std::string_view haystack, std::string_view needle) {
  const void* at = ::memmem(haystack.data(), haystack.size(), needle.data(), needle.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(at) - haystack.data());
}

} // namespace

std::shared_ptr<MultipartReader> MultipartReader::for_request(const TestRequest& head,
                                                              FileOpener open_file) {
  std::string type = head.header("Content-Type").value_or("");
  std::size_t at = type.find("boundary=");
  if (!type.starts_with("multipart/form-data") || at == std::string::npos) {
    return nullptr;
  }
  return std::make_shared<MultipartReader>(type.substr(at + 9), std::move(open_file));
}

// The body is read as if it began with "\r\n", so every delimiter looks the same.
MultipartReader::MultipartReader(const std::string& boundary, FileOpener open_file)
    : m_delimiter("\r\n--" + boundary), m_open_file(std::move(open_file)), m_pending("\r\n") {}

void MultipartReader::write(std::string_view bytes) {
  if (m_state == State::content && bytes.size() > 2 * m_delimiter.size()) {
    bytes = stream_content(bytes);
  }
  if (m_state == State::done || m_state == State::malformed) {
    return;
  }
  m_pending.append(bytes);
  while (step()) {
  }
}

// The fast path through a large file part: emits what is surely content straight from `bytes`
// (no copy into m_pending) and returns the rest, which starts at the next delimiter or is the
// tail that may begin one.
std::string_view MultipartReader::stream_content(std::string_view bytes) {
  std::string junction = m_pending + std::string(bytes.substr(0, m_delimiter.size()));
  if (find_bytes(junction, m_delimiter) != std::string::npos) {
    return bytes; // a delimiter straddles the pieces: the careful path takes it
  }
  emit(m_pending);
  m_pending.clear();
  std::size_t at = find_bytes(bytes, m_delimiter);
  std::size_t content = at != std::string_view::npos ? at : bytes.size() - m_delimiter.size();
  emit(bytes.substr(0, content));
  return bytes.substr(content);
}

// Consumes what it can of m_pending; false when it needs more bytes (or has finished).
bool MultipartReader::step() {
  switch (m_state) {
  case State::before_part: {
    std::size_t at = find_bytes(m_pending, m_delimiter);
    if (at == std::string::npos) {
      return false;
    }
    m_pending.erase(0, at + m_delimiter.size());
    m_state = State::after_delimiter;
    return true;
  }
  case State::after_delimiter:
    if (m_pending.size() < 2) {
      return false;
    }
    m_state = m_pending.starts_with("--")     ? State::done
              : m_pending.starts_with("\r\n") ? State::headers
                                              : State::malformed;
    m_pending.erase(0, 2);
    return m_state == State::headers;
  case State::headers: {
    std::size_t end = m_pending.find("\r\n\r\n");
    if (end == std::string::npos) {
      return false;
    }
    bool started = start_part(std::string_view(m_pending).substr(0, end));
    m_pending.erase(0, end + 4);
    m_state = started ? State::content : State::malformed;
    return started;
  }
  case State::content: {
    std::size_t at = find_bytes(m_pending, m_delimiter);
    if (at == std::string::npos) { // keep what may be the start of a delimiter
      std::size_t safe =
          m_pending.size() > m_delimiter.size() ? m_pending.size() - m_delimiter.size() : 0;
      emit(std::string_view(m_pending).substr(0, safe));
      m_pending.erase(0, safe);
      return false;
    }
    emit(std::string_view(m_pending).substr(0, at));
    m_pending.erase(0, at + m_delimiter.size());
    m_state = State::after_delimiter;
    return true;
  }
  case State::done:
  case State::malformed:
    return false;
  }
  return false;
}

bool MultipartReader::start_part(std::string_view head) {
  std::size_t disposition = head.find("Content-Disposition:");
  if (disposition == std::string_view::npos) {
    return false;
  }
  std::string_view line = head.substr(disposition, head.find("\r\n", disposition) - disposition);
  FormPart part;
  part.name = parameter(line, "name").value_or("");
  part.filename = parameter(line, "filename");
  if (part.filename && m_open_file) {
    part.sink = m_open_file(part);
  }
  m_parts.push_back(std::move(part));
  return true;
}

void MultipartReader::emit(std::string_view bytes) {
  FormPart& part = m_parts.back();
  if (part.sink) {
    part.sink->write(bytes);
  } else {
    part.content.append(bytes);
  }
}

std::optional<std::vector<FormPart>> MultipartReader::parts() const {
  return m_state == State::done ? std::optional(m_parts) : std::nullopt;
}

std::optional<std::vector<FormPart>> parse_multipart(const TestRequest& request) {
  auto reader = MultipartReader::for_request(request);
  if (!reader) {
    return std::nullopt;
  }
  reader->write(request.body);
  return reader->parts();
}

} // namespace ferry::testing
