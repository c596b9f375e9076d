#include "fakes/multipart.hpp"

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

} // namespace

std::optional<std::vector<FormPart>> parse_multipart(const TestRequest& request) {
  std::string type = request.header("Content-Type").value_or("");
  std::size_t at = type.find("boundary=");
  if (!type.starts_with("multipart/form-data") || at == std::string::npos) {
    return std::nullopt;
  }
  std::string delimiter = "--" + type.substr(at + 9);
  std::vector<FormPart> parts;
  std::size_t position = request.body.find(delimiter);
  while (position != std::string::npos) {
    position += delimiter.size();
    if (request.body.compare(position, 2, "--") == 0) {
      return parts;
    }
    std::size_t head_end = request.body.find("\r\n\r\n", position);
    std::size_t next = request.body.find("\r\n" + delimiter, head_end);
    if (head_end == std::string::npos || next == std::string::npos) {
      return std::nullopt;
    }
    std::string_view head(request.body.data() + position, head_end - position);
    std::size_t disposition = head.find("Content-Disposition:");
    if (disposition == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view line = head.substr(disposition, head.find("\r\n", disposition) - disposition);
    FormPart part;
    part.name = parameter(line, "name").value_or("");
    part.filename = parameter(line, "filename");
    part.content = request.body.substr(head_end + 4, next - head_end - 4);
    parts.push_back(std::move(part));
    position = next + 2;
  }
  return std::nullopt;
}

} // namespace ferry::testing
