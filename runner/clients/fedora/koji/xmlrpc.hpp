// XML-RPC as Koji speaks it (fedora-protocols §4.1): the standard value types plus `<nil/>` and
// `<i8>`, Koji's keyword arguments (a final struct with "__starstar": true), faults and
// `system.multicall`. The encoder writes what Python's xmlrpc.client (Koji's own marshaller)
// writes, byte for byte; the decoder accepts what any XML-RPC peer may send and turns every
// malformed document into an error naming what is wrong, never an exception.
// A private codec of the Koji client; pugixml does the XML.
#pragma once

#include "error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ferry::clients::fedora::koji::xmlrpc {

class Value;

struct Nil {
  bool operator==(const Nil&) const = default;
};
// dateTime.iso8601 as sent ("20250101T12:00:00"); Koji itself sends times as strings.
struct DateTime {
  std::string text;
  bool operator==(const DateTime&) const = default;
};
// base64: the decoded bytes.
struct Binary {
  std::string bytes;
  bool operator==(const Binary&) const = default;
};

using Array = std::vector<Value>;

// A struct keeps its members in order (Python dicts do too), so encoding is deterministic.
class Struct {
public:
  Struct() = default;
  Struct(std::initializer_list<std::pair<std::string, Value>> members);

  // Replaces the value of an existing member, or appends one.
  Struct& set(std::string name, Value value);
  const Value* find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  const std::vector<std::pair<std::string, Value>>& members() const { return m_members; }
  bool empty() const;
  bool operator==(const Struct& other) const;

private:
  std::vector<std::pair<std::string, Value>> m_members;
};

enum class Type { nil, boolean, integer, floating, string, datetime, binary, array, structure };
std::string_view to_string(Type type);

class Value {
public:
  Value() = default; // nil
  Value(Nil) {}
  Value(bool value) : m_data(value) {}
  Value(int value) : m_data(std::int64_t{value}) {}
  Value(long value) : m_data(std::int64_t{value}) {}
  Value(long long value) : m_data(static_cast<std::int64_t>(value)) {}
  Value(double value) : m_data(value) {}
  Value(std::string value) : m_data(std::move(value)) {}
  Value(std::string_view value) : m_data(std::string(value)) {}
  Value(const char* value) : m_data(std::string(value)) {}
  Value(DateTime value) : m_data(std::move(value)) {}
  Value(Binary value) : m_data(std::move(value)) {}
  Value(Array value) : m_data(std::move(value)) {}
  Value(Struct value) : m_data(std::move(value)) {}

  Type type() const { return static_cast<Type>(m_data.index()); }
  bool is_nil() const { return type() == Type::nil; }

  // The value when it has that type, else nullptr.
  const bool* as_bool() const { return std::get_if<bool>(&m_data); }
  const std::int64_t* as_int() const { return std::get_if<std::int64_t>(&m_data); }
  const double* as_double() const { return std::get_if<double>(&m_data); }
  const std::string* as_string() const { return std::get_if<std::string>(&m_data); }
  const DateTime* as_datetime() const { return std::get_if<DateTime>(&m_data); }
  const Binary* as_binary() const { return std::get_if<Binary>(&m_data); }
  const Array* as_array() const { return std::get_if<Array>(&m_data); }
  const Struct* as_struct() const { return std::get_if<Struct>(&m_data); }

  // Struct member access: nullptr / nullopt when this is not a struct, the member is missing,
  // or it has another type.
  const Value* member(std::string_view name) const;
  std::optional<std::int64_t> int_member(std::string_view name) const;
  std::optional<std::string> string_member(std::string_view name) const;
  std::optional<bool> bool_member(std::string_view name) const;

  bool operator==(const Value& other) const { return m_data == other.m_data; }

private:
  std::variant<Nil, bool, std::int64_t, double, std::string, DateTime, Binary, Array, Struct>
      m_data;
};

// A method call: its name and positional parameters (keyword arguments, if any, are the final
// struct carrying "__starstar": true).
struct MethodCall {
  std::string method;
  Array params;
};

// An XML-RPC fault as the server sent it.
struct Fault {
  std::int64_t code = 0;
  std::string message;
  bool operator==(const Fault&) const = default;
};

// The answer to one call: a value or a fault.
using Reply = std::variant<Value, Fault>;

// The parameter list for `args` plus Koji keyword arguments: when `kwargs` is not empty it is
// appended as a struct with "__starstar": true added last (koji.encode_args).
Array with_kwargs(Array args, Struct kwargs);

// <?xml version='1.0'?><methodCall>… as Python's xmlrpc.client.dumps(params, method) writes it.
// Fails (ErrorKind::internal) only for a string XML 1.0 cannot carry (NUL and other control
// characters) or a double that is not finite.
[[nodiscard]] Result<std::string> encode_call(std::string_view method, const Array& params);
// A methodResponse holding one value, or a fault (what a hub sends back).
[[nodiscard]] Result<std::string> encode_response(const Reply& reply);

// system.multicall([{methodName, params}, …]).
[[nodiscard]] Result<std::string> encode_multicall(const std::vector<MethodCall>& calls);

// Parses a methodResponse. Errors are ErrorKind::http_status with a message saying what was
// malformed; `what` names the call for that message ("Koji getTaskInfo").
[[nodiscard]] Result<Reply> decode_response(std::string_view xml, std::string_view what);
// Parses a methodCall (a hub's view; used by tests and the fuzz target).
[[nodiscard]] Result<MethodCall> decode_call(std::string_view xml);
// The results of a system.multicall: each entry `[value]` or a fault struct.
[[nodiscard]] Result<std::vector<Reply>> decode_multicall_results(const Value& value,
                                                                  std::string_view what);

// A fault struct {faultCode, faultString} as a Fault; nullopt when `value` is not one.
std::optional<Fault> as_fault(const Value& value);

} // namespace ferry::clients::fedora::koji::xmlrpc
