// multipart/form-data request bodies, as the fakes receive them (RFC 7578).
#pragma once

#include "support/http_test_server.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

struct FormPart {
  std::string name;
  std::optional<std::string> filename; // set for file parts
  std::string content;
};

// The parts of a multipart/form-data request; nullopt when it is not one or is malformed.
std::optional<std::vector<FormPart>> parse_multipart(const TestRequest& request);

} // namespace ferry::testing
