#include "core/spec/expression.hpp"

#include "core/spec/rpmvercmp.hpp"
#include "core/spec/text_util.hpp"

#include <fmt/format.h>

#include <limits>
#include <utility>

namespace ferry::core::spec {

std::string ExpressionValue::to_string() const {
  return type == Type::integer ? std::to_string(integer) : text;
}

namespace {

using Value = ExpressionValue;
using Type = ExpressionValue::Type;

constexpr int k_max_depth = 128;

class ExpressionParser {
public:
  explicit ExpressionParser(std::string_view text) : m_text(text) {}

  Result<Value> parse() {
    Value value;
    FERRY_TRY_ASSIGN(value, ternary());
    skip_space();
    if (m_pos != m_text.size()) {
      return syntax_error();
    }
    return value;
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  int m_depth = 0;

  void skip_space() {
    while (m_pos < m_text.size() && is_space(m_text[m_pos]))
      ++m_pos;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (m_text.substr(m_pos, token.size()) == token) {
      m_pos += token.size();
      return true;
    }
    return false;
  }
  // Accepts `op` unless it is the start of a longer operator (`<` vs `<=`, `|` vs `||`).
  bool accept_exact(std::string_view op, char not_followed_by) {
    skip_space();
    if (m_text.substr(m_pos, op.size()) != op) {
      return false;
    }
    std::size_t after = m_pos + op.size();
    if (not_followed_by != '\0' && after < m_text.size() && m_text[after] == not_followed_by) {
      return false;
    }
    m_pos = after;
    return true;
  }
  std::unexpected<Error> syntax_error() const {
    return fail(ErrorKind::spec_parse,
                fmt::format("syntax error in expression near '{}'",
                            m_text.substr(std::min(m_pos, m_text.size()), 20)));
  }
  static std::unexpected<Error> type_error(std::string_view op) {
    return fail(ErrorKind::spec_parse, fmt::format("types must match for '{}'", op));
  }

  Result<Value> ternary() {
    if (++m_depth > k_max_depth) {
      return fail(ErrorKind::spec_parse, "expression nested too deeply");
    }
    Value cond;
    FERRY_TRY_ASSIGN(cond, logical_or());
    if (accept("?")) {
      Value yes;
      FERRY_TRY_ASSIGN(yes, ternary());
      if (!accept(":")) {
        return syntax_error();
      }
      Value no;
      FERRY_TRY_ASSIGN(no, ternary());
      --m_depth;
      return cond.truthy() ? yes : no;
    }
    --m_depth;
    return cond;
  }

  Result<Value> logical_or() {
    Value left;
    FERRY_TRY_ASSIGN(left, logical_and());
    while (accept("||")) {
      Value right;
      FERRY_TRY_ASSIGN(right, logical_and());
      if (left.type != right.type) {
        return type_error("||");
      }
      if (!left.truthy()) {
        left = std::move(right);
      }
    }
    return left;
  }

  Result<Value> logical_and() {
    Value left;
    FERRY_TRY_ASSIGN(left, comparison());
    while (accept("&&")) {
      Value right;
      FERRY_TRY_ASSIGN(right, comparison());
      if (left.type != right.type) {
        return type_error("&&");
      }
      if (left.truthy()) {
        left = std::move(right);
      }
    }
    return left;
  }

  std::string_view comparison_operator() {
    for (std::string_view op : {"==", "!=", "<=", ">="}) {
      if (accept(op)) {
        return op;
      }
    }
    if (accept_exact("<", '\0')) {
      return "<";
    }
    if (accept_exact(">", '\0')) {
      return ">";
    }
    return {};
  }

  static int compare(const Value& a, const Value& b) {
    if (a.type == Type::integer) {
      return a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
    }
    if (a.type == Type::version) {
      return compare_evr(parse_evr(a.text), parse_evr(b.text));
    }
    int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }

  static bool holds(std::string_view op, int c) {
    if (op == "==")
      return c == 0;
    if (op == "!=")
      return c != 0;
    if (op == "<")
      return c < 0;
    if (op == "<=")
      return c <= 0;
    if (op == ">")
      return c > 0;
    return c >= 0;
  }

  Result<Value> comparison() {
    Value left;
    FERRY_TRY_ASSIGN(left, additive());
    while (true) {
      std::string_view op = comparison_operator();
      if (op.empty()) {
        return left;
      }
      Value right;
      FERRY_TRY_ASSIGN(right, additive());
      if (left.type != right.type) {
        return type_error(op);
      }
      Value result;
      result.integer = holds(op, compare(left, right)) ? 1 : 0;
      left = std::move(result);
    }
  }

  Result<Value> additive() {
    Value left;
    FERRY_TRY_ASSIGN(left, multiplicative());
    while (true) {
      bool plus = accept("+");
      if (!plus && !accept_exact("-", '\0')) {
        return left;
      }
      Value right;
      FERRY_TRY_ASSIGN(right, multiplicative());
      if (left.type != right.type || left.type == Type::version) {
        return type_error(plus ? "+" : "-");
      }
      if (left.type == Type::string) {
        if (!plus) {
          return type_error("-");
        }
        left.text += right.text;
      } else {
        left.integer = plus ? wrap_add(left.integer, right.integer)
                            : wrap_add(left.integer, -clamp_neg(right.integer));
      }
    }
  }

  static std::int64_t clamp_neg(std::int64_t v) {
    return v == std::numeric_limits<std::int64_t>::min() ? v + 1 : v;
  }
  static std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
  }

  Result<Value> multiplicative() {
    Value left;
    FERRY_TRY_ASSIGN(left, unary());
    while (true) {
      bool times = accept("*");
      if (!times && !accept("/")) {
        return left;
      }
      Value right;
      FERRY_TRY_ASSIGN(right, unary());
      if (left.type != Type::integer || right.type != Type::integer) {
        return type_error(times ? "*" : "/");
      }
      if (!times && right.integer == 0) {
        return fail(ErrorKind::spec_parse, "division by zero in expression");
      }
      if (times) {
        left.integer = static_cast<std::int64_t>(static_cast<std::uint64_t>(left.integer) *
                                                 static_cast<std::uint64_t>(right.integer));
      } else if (!(left.integer == std::numeric_limits<std::int64_t>::min() &&
                   right.integer == -1)) {
        left.integer /= right.integer;
      }
    }
  }

  Result<Value> unary() {
    if (++m_depth > k_max_depth) {
      return fail(ErrorKind::spec_parse, "expression nested too deeply");
    }
    Result<Value> result = unary_inner();
    --m_depth;
    return result;
  }

  Result<Value> unary_inner() {
    if (accept_exact("!", '=')) {
      Value v;
      FERRY_TRY_ASSIGN(v, unary());
      Value result;
      result.integer = v.truthy() ? 0 : 1;
      return result;
    }
    if (accept_exact("-", '\0')) {
      Value v;
      FERRY_TRY_ASSIGN(v, unary());
      if (v.type != Type::integer) {
        return type_error("-");
      }
      v.integer = -clamp_neg(v.integer);
      return v;
    }
    return primary();
  }

  Result<Value> primary() {
    skip_space();
    if (m_pos >= m_text.size()) {
      return syntax_error();
    }
    char c = m_text[m_pos];
    if (c == '(') {
      ++m_pos;
      Value v;
      FERRY_TRY_ASSIGN(v, ternary());
      if (!accept(")")) {
        return syntax_error();
      }
      return v;
    }
    if (is_digit(c)) {
      return number();
    }
    if (c == '"') {
      return quoted(Type::string);
    }
    if (c == 'v' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
      ++m_pos;
      return quoted(Type::version);
    }
    return fail(ErrorKind::spec_parse,
                fmt::format("bare words are not supported in expressions, use \"...\": near '{}'",
                            m_text.substr(m_pos, 20)));
  }

  Result<Value> number() {
    Value v;
    while (m_pos < m_text.size() && is_digit(m_text[m_pos])) {
      std::int64_t digit = m_text[m_pos] - '0';
      if (v.integer > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
        return fail(ErrorKind::spec_parse, "number too large in expression");
      }
      v.integer = v.integer * 10 + digit;
      ++m_pos;
    }
    if (m_pos < m_text.size() && (is_alpha(m_text[m_pos]) || m_text[m_pos] == '_')) {
      return syntax_error();
    }
    return v;
  }

  Result<Value> quoted(Type type) {
    std::size_t close = m_text.find('"', m_pos + 1);
    if (close == std::string_view::npos) {
      return fail(ErrorKind::spec_parse, "unterminated string in expression");
    }
    Value v;
    v.type = type;
    v.text = std::string(m_text.substr(m_pos + 1, close - m_pos - 1));
    m_pos = close + 1;
    return v;
  }
};

} // namespace

Result<ExpressionValue> evaluate_expression(std::string_view expression) {
  if (trim(expression).empty()) {
    return fail(ErrorKind::spec_parse, "empty expression");
  }
  return ExpressionParser(expression).parse();
}

} // namespace ferry::core::spec
