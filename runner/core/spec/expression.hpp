// rpm's expression language, as used by %if, %elif and %[...]: integers, "strings",
// v"versions", ! - * / + - < > <= >= == != && || and ?:, with rpm's typing rules.
#pragma once

#include "error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::core::spec {

struct ExpressionValue {
  enum class Type { integer, string, version } type = Type::integer;
  std::int64_t integer = 0;
  std::string text; // string or version

  bool truthy() const { return type == Type::integer ? integer != 0 : !text.empty(); }
  // "3", "abc": how %[...] prints the value.
  std::string to_string() const;
};

// Evaluates an already macro-expanded expression. Errors (ErrorKind::spec_parse) name the
// problem ("types must match", "division by zero", "syntax error near ...") but no location.
[[nodiscard]] Result<ExpressionValue> evaluate_expression(std::string_view expression);

} // namespace ferry::core::spec
