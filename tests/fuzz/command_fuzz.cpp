// libFuzzer target for the comment-command parser: any bytes as a comment. Parsing must never
// crash or throw; a parsed command must be one ferry knows and come from an honoured prefix.
#include "core/command/comment_command.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = ferry::core::command::parse_comment(body);
  if (!parsed || !parsed->has_value()) {
    return 0;
  }
  const auto& command = **parsed;
  const auto& names = ferry::core::command::command_names();
  if (std::find(names.begin(), names.end(), command.name) == names.end() ||
      (command.prefix != "/packit" && command.prefix != "/ferry")) {
    std::abort();
  }
  (void)ferry::core::command::jobs_for_command(command.name);
  return 0;
}
