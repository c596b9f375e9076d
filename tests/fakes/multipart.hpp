// multipart/form-data request bodies, as the fakes receive them (RFC 7578): whole, or streamed
// part by part with file contents going to a sink of the fake's choosing (large uploads).
#pragma once

#include "support/http_test_server.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

struct FormPart {
  std::string name;
  std::optional<std::string> filename; // set for file parts
  std::string content;                 // empty when the content went to `sink`
  std::shared_ptr<BodySink> sink;
};

// Parses a body as it arrives. File parts go to the sink `open_file` returns for them (or stay
// in `content` when it returns nullptr); text parts stay in `content`.
class MultipartReader final : public BodySink {
public:
  using FileOpener = std::function<std::shared_ptr<BodySink>(const FormPart& part)>;
  // nullptr when the request is not multipart/form-data with a boundary.
  static std::shared_ptr<MultipartReader> for_request(const TestRequest& head,
                                                      FileOpener open_file = {});

  MultipartReader(const std::string& boundary, FileOpener open_file);
  void write(std::string_view bytes) override;
  // The parts, once the closing delimiter went by; nullopt when the body was malformed or cut.
  std::optional<std::vector<FormPart>> parts() const;

private:
  enum class State { before_part, after_delimiter, headers, content, done, malformed };
  bool step();
  std::string_view stream_content(std::string_view bytes);
  bool start_part(std::string_view head);
  void emit(std::string_view bytes);

  std::string m_delimiter; // "\r\n--<boundary>"
  FileOpener m_open_file;
  State m_state = State::before_part;
  std::string m_pending;
  std::vector<FormPart> m_parts;
};

// The parts of a buffered multipart/form-data request; nullopt when it is not one or is malformed.
std::optional<std::vector<FormPart>> parse_multipart(const TestRequest& request);

} // namespace ferry::testing
