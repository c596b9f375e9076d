#include "clients/fedora/koji/xmlrpc.hpp"

#include "infra/util/encoding.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace ferry::clients::fedora::koji::xmlrpc {

// ---- values ----------------------------------------------------------------------------------

Struct::Struct(std::initializer_list<std::pair<std::string, Value>> members) {
  for (const auto& [name, value] : members) {
    set(name, value);
  }
}

Struct& Struct::set(std::string name, Value value) {
  for (auto& [existing, old] : m_members) {
    if (existing == name) {
      old = std::move(value);
      return *this;
    }
  }
  m_members.emplace_back(std::move(name), std::move(value));
  return *this;
}

const Value* Struct::find(std::string_view name) const {
  for (const auto& [existing, value] : m_members) {
    if (existing == name) {
      return &value;
    }
  }
  return nullptr;
}

bool Struct::empty() const {
  return m_members.empty();
}

bool Struct::operator==(const Struct& other) const {
  return m_members == other.m_members;
}

std::string_view to_string(Type type) {
  switch (type) {
  case Type::nil:
    return "nil";
  case Type::boolean:
    return "boolean";
  case Type::integer:
    return "int";
  case Type::floating:
    return "double";
  case Type::string:
    return "string";
  case Type::datetime:
    return "dateTime.iso8601";
  case Type::binary:
    return "base64";
  case Type::array:
    return "array";
  case Type::structure:
    return "struct";
  }
  return "?";
}

const Value* Value::member(std::string_view name) const {
  const Struct* object = as_struct();
  return object == nullptr ? nullptr : object->find(name);
}

std::optional<std::int64_t> Value::int_member(std::string_view name) const {
  const Value* value = member(name);
  if (value == nullptr || value->as_int() == nullptr) {
    return std::nullopt;
  }
  return *value->as_int();
}

std::optional<std::string> Value::string_member(std::string_view name) const {
  const Value* value = member(name);
  if (value == nullptr || value->as_string() == nullptr) {
    return std::nullopt;
  }
  return *value->as_string();
}

std::optional<bool> Value::bool_member(std::string_view name) const {
  const Value* value = member(name);
  if (value == nullptr || value->as_bool() == nullptr) {
    return std::nullopt;
  }
  return *value->as_bool();
}

Array with_kwargs(Array args, Struct kwargs) {
  if (!kwargs.empty()) {
    kwargs.set("__starstar", true);
    args.emplace_back(std::move(kwargs));
  }
  return args;
}

std::optional<Fault> as_fault(const Value& value) {
  auto code = value.int_member("faultCode");
  auto message = value.string_member("faultString");
  if (!code || !message) {
    return std::nullopt;
  }
  return Fault{*code, *message};
}

// ---- encoding --------------------------------------------------------------------------------

namespace {

constexpr std::int64_t k_max_i4 = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t k_min_i4 = std::numeric_limits<std::int32_t>::min();

// Characters XML 1.0 cannot carry at all, even escaped.
bool is_forbidden_in_xml(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

class Writer {
public:
  Status value(const Value& value) {
    switch (value.type()) {
    case Type::nil:
      m_out += "<value><nil/></value>"; // xmlrpc.client writes no newline after nil
      return {};
    case Type::boolean:
      m_out += *value.as_bool() ? "<value><boolean>1</boolean></value>\n"
                                : "<value><boolean>0</boolean></value>\n";
      return {};
    case Type::integer:
      integer(*value.as_int());
      return {};
    case Type::floating:
      return floating(*value.as_double());
    case Type::string:
      m_out += "<value><string>";
      FERRY_TRY(escaped(*value.as_string()));
      m_out += "</string></value>\n";
      return {};
    case Type::datetime:
      m_out += "<value><dateTime.iso8601>";
      FERRY_TRY(escaped(value.as_datetime()->text));
      m_out += "</dateTime.iso8601></value>\n";
      return {};
    case Type::binary:
      binary(value.as_binary()->bytes);
      return {};
    case Type::array:
      return array(*value.as_array());
    case Type::structure:
      return structure(*value.as_struct());
    }
    return {};
  }

  Status params(const Array& params) {
    m_out += "<params>\n";
    for (const Value& param : params) {
      m_out += "<param>\n";
      FERRY_TRY(value(param));
      m_out += "</param>\n";
    }
    m_out += "</params>\n";
    return {};
  }

  Status escaped(std::string_view text) {
    for (char c : text) {
      switch (c) {
      case '&':
        m_out += "&amp;";
        break;
      case '<':
        m_out += "&lt;";
        break;
      case '>':
        m_out += "&gt;";
        break;
      case '\r': // a raw CR would reach the other side as LF
        m_out += "&#13;";
        break;
      default:
        if (is_forbidden_in_xml(static_cast<unsigned char>(c))) {
          return fail(ErrorKind::internal,
                      fmt::format("XML-RPC cannot carry the control character {:#04x} in a string",
                                  static_cast<unsigned>(static_cast<unsigned char>(c))));
        }
        m_out += c;
      }
    }
    return {};
  }

  std::string& out() { return m_out; }

private:
  void integer(std::int64_t number) {
    const char* tag = number > k_max_i4 || number < k_min_i4 ? "i8" : "int";
    m_out += fmt::format("<value><{0}>{1}</{0}></value>\n", tag, number);
  }

  Status floating(double number) {
    if (!std::isfinite(number)) {
      return fail(ErrorKind::internal, "XML-RPC cannot carry a double that is not finite");
    }
    m_out += "<value><double>" + python_repr(number) + "</double></value>\n";
    return {};
  }

  // repr(float): the shortest digits that read back the same, fixed notation for exponents
  // from -4 to 15 (with ".0" when integral), scientific ("1e+22", "1e-05") otherwise.
  static std::string python_repr(double number) {
    char buffer[64];
    auto scientific =
        std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::scientific);
    std::string_view text(buffer, static_cast<std::size_t>(scientific.ptr - buffer));
    std::string_view digits = text.substr(text.find('e') + 1);
    if (digits.starts_with('+')) {
      digits.remove_prefix(1);
    }
    int exponent = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (exponent < -4 || exponent >= 16) {
      return std::string(text);
    }
    auto fixed = std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::fixed);
    std::string result(buffer, fixed.ptr);
    if (result.find('.') == std::string::npos) {
      result += ".0";
    }
    return result;
  }

  void binary(std::string_view bytes) {
    // base64.encodebytes: lines of 76 characters, each ending in a newline.
    std::string encoded = infra::util::base64_encode(bytes);
    m_out += "<value><base64>\n";
    for (std::size_t at = 0; at < encoded.size(); at += 76) {
      m_out += encoded.substr(at, 76) + "\n";
    }
    m_out += "</base64></value>\n";
  }

  Status array(const Array& items) {
    m_out += "<value><array><data>\n";
    for (const Value& item : items) {
      FERRY_TRY(value(item));
    }
    m_out += "</data></array></value>\n";
    return {};
  }

  Status structure(const Struct& object) {
    m_out += "<value><struct>\n";
    for (const auto& [name, member] : object.members()) {
      m_out += "<member>\n<name>";
      FERRY_TRY(escaped(name));
      m_out += "</name>\n";
      FERRY_TRY(value(member));
      m_out += "</member>\n";
    }
    m_out += "</struct></value>\n";
    return {};
  }

  std::string m_out;
};

constexpr std::string_view k_prolog = "<?xml version='1.0'?>\n";

} // namespace

Result<std::string> encode_call(std::string_view method, const Array& params) {
  Writer writer;
  writer.out() = std::string(k_prolog) + "<methodCall>\n<methodName>";
  FERRY_TRY(writer.escaped(method));
  writer.out() += "</methodName>\n";
  FERRY_TRY(writer.params(params));
  writer.out() += "</methodCall>\n";
  return std::move(writer.out());
}

Result<std::string> encode_response(const Reply& reply) {
  Writer writer;
  writer.out() = std::string(k_prolog) + "<methodResponse>\n";
  if (const Fault* fault = std::get_if<Fault>(&reply)) {
    writer.out() += "<fault>\n";
    FERRY_TRY(writer.value(Struct{{"faultCode", fault->code}, {"faultString", fault->message}}));
    writer.out() += "</fault>\n";
  } else {
    FERRY_TRY(writer.params(Array{std::get<Value>(reply)}));
  }
  writer.out() += "</methodResponse>\n";
  return std::move(writer.out());
}

Result<std::string> encode_multicall(const std::vector<MethodCall>& calls) {
  Array entries;
  for (const MethodCall& call : calls) {
    entries.emplace_back(Struct{{"methodName", call.method}, {"params", call.params}});
  }
  return encode_call("system.multicall", Array{Value(std::move(entries))});
}

// ---- decoding --------------------------------------------------------------------------------

namespace {

constexpr int k_max_depth = 64; // deeper nesting is refused rather than recursed into

using Node = pugi::xml_node;

// The element children of a node (comments and processing instructions skipped).
std::vector<Node> elements(Node node) {
  std::vector<Node> children;
  for (Node child : node.children()) {
    if (child.type() == pugi::node_element) {
      children.push_back(child);
    }
  }
  return children;
}

bool has_text(Node node) {
  for (Node child : node.children()) {
    if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) &&
        std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// All character data directly inside a node (text and CDATA sections, in order).
std::string text_of(Node node) {
  std::string text;
  for (Node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

std::string_view trimmed(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

class Reader {
public:
  explicit Reader(std::string_view what) : m_what(what) {}

  Result<Value> value(Node node, int depth) {
    if (depth > k_max_depth) {
      return malformed("values nested more than " + std::to_string(k_max_depth) + " deep");
    }
    std::vector<Node> typed = elements(node);
    if (typed.empty()) {
      return Value(text_of(node)); // a bare <value>text</value> is a string
    }
    if (typed.size() > 1 || has_text(node)) {
      return malformed("a <value> holds more than one value");
    }
    Node inner = typed.front();
    std::string_view tag = inner.name();
    if (tag == "string") {
      return Value(text_of(inner));
    }
    if (tag == "int" || tag == "i4" || tag == "i8" || tag == "i1" || tag == "i2" ||
        tag == "biginteger") {
      return integer(inner);
    }
    if (tag == "boolean") {
      return boolean(inner);
    }
    if (tag == "double") {
      return floating(inner);
    }
    if (tag == "nil" || tag == "ex:nil") {
      return Value(Nil{});
    }
    if (tag == "dateTime.iso8601") {
      return Value(DateTime{std::string(trimmed(text_of(inner)))});
    }
    if (tag == "base64") {
      auto bytes = infra::util::base64_decode(text_of(inner));
      if (!bytes) {
        return malformed("a <base64> value is not base64");
      }
      return Value(Binary{std::move(*bytes)});
    }
    if (tag == "array") {
      return array(inner, depth);
    }
    if (tag == "struct") {
      return structure(inner, depth);
    }
    return malformed("unknown value type <" + std::string(tag) + ">");
  }

  Result<Array> params(Node node) {
    Array params;
    for (Node param : elements(node)) {
      if (std::string_view(param.name()) != "param") {
        return malformed("<params> holds a <" + std::string(param.name()) + ">");
      }
      FERRY_TRY_ASSIGN(Node value_node, single_value(param, "<param>"));
      FERRY_TRY_ASSIGN(auto parsed, value(value_node, 0));
      params.push_back(std::move(parsed));
    }
    return params;
  }

  Result<Node> single_value(Node parent, std::string_view where) {
    std::vector<Node> children = elements(parent);
    if (children.size() != 1 || std::string_view(children.front().name()) != "value") {
      return malformed(std::string(where) + " must hold exactly one <value>");
    }
    return children.front();
  }

  std::unexpected<Error> malformed(const std::string& problem) const {
    return fail(ErrorKind::http_status,
                fmt::format("{} answered with malformed XML-RPC: {}", m_what, problem));
  }

private:
  Result<Value> integer(Node node) {
    std::string raw = text_of(node);
    std::string_view text = trimmed(raw);
    if (!text.empty() && text.front() == '+') {
      text.remove_prefix(1);
    }
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return malformed("<" + std::string(node.name()) + "> holds '" +
                       std::string(text.substr(0, 40)) + "', not a 64-bit integer");
    }
    return Value(number);
  }

  Result<Value> boolean(Node node) {
    std::string raw = text_of(node);
    std::string_view text = trimmed(raw);
    if (text == "0" || text == "1") {
      return Value(text == "1");
    }
    return malformed("<boolean> holds '" + std::string(text.substr(0, 40)) + "', not 0 or 1");
  }

  Result<Value> floating(Node node) {
    std::string raw = text_of(node);
    std::string_view text = trimmed(raw);
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return malformed("<double> holds '" + std::string(text.substr(0, 40)) + "', not a number");
    }
    return Value(number);
  }

  Result<Value> array(Node node, int depth) {
    std::vector<Node> children = elements(node);
    if (children.size() != 1 || std::string_view(children.front().name()) != "data") {
      return malformed("an <array> must hold one <data>");
    }
    Array items;
    for (Node item : elements(children.front())) {
      if (std::string_view(item.name()) != "value") {
        return malformed("<data> holds a <" + std::string(item.name()) + ">");
      }
      FERRY_TRY_ASSIGN(auto parsed, value(item, depth + 1));
      items.push_back(std::move(parsed));
    }
    return Value(std::move(items));
  }

  Result<Value> structure(Node node, int depth) {
    Struct object;
    for (Node member : elements(node)) {
      if (std::string_view(member.name()) != "member") {
        return malformed("<struct> holds a <" + std::string(member.name()) + ">");
      }
      Node name = member.child("name");
      Node value_node = member.child("value");
      if (!name || !value_node || elements(member).size() != 2) {
        return malformed("a struct <member> needs one <name> and one <value>");
      }
      FERRY_TRY_ASSIGN(auto parsed, value(value_node, depth + 1));
      object.set(text_of(name), std::move(parsed));
    }
    return Value(std::move(object));
  }

  std::string m_what;
};

// Parses a whole document; `root` names the expected root element.
Status parse_document(pugi::xml_document& document, std::string_view xml, const char* root,
                      const Reader& reader) {
  // Keep whitespace-only text when it is a node's only child: <string> </string> is " ".
  // pugixml expands only the predefined and numeric entities, never DTD-declared ones.
  unsigned options = pugi::parse_default | pugi::parse_ws_pcdata_single;
  pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size(), options);
  if (!parsed) {
    return reader.malformed(fmt::format("{} at byte {}", parsed.description(), parsed.offset));
  }
  std::vector<Node> roots = elements(document);
  if (roots.size() != 1 || std::string_view(roots.front().name()) != root) {
    return reader.malformed(fmt::format("the document is not one <{}>", root));
  }
  return {};
}

} // namespace

Result<Reply> decode_response(std::string_view xml, std::string_view what) {
  Reader reader(what);
  pugi::xml_document document;
  FERRY_TRY(parse_document(document, xml, "methodResponse", reader));
  std::vector<Node> parts = elements(document.child("methodResponse"));
  if (parts.size() != 1) {
    return reader.malformed("a <methodResponse> must hold <params> or <fault>");
  }
  std::string_view tag = parts.front().name();
  if (tag == "fault") {
    FERRY_TRY_ASSIGN(Node value_node, reader.single_value(parts.front(), "<fault>"));
    FERRY_TRY_ASSIGN(auto value, reader.value(value_node, 0));
    auto fault = as_fault(value);
    if (!fault) {
      return reader.malformed("a <fault> lacks faultCode or faultString");
    }
    return Reply(std::move(*fault));
  }
  if (tag != "params") {
    return reader.malformed("a <methodResponse> holds a <" + std::string(tag) + ">");
  }
  FERRY_TRY_ASSIGN(Array params, reader.params(parts.front()));
  if (params.size() != 1) {
    return reader.malformed("a response must carry exactly one value, not " +
                            std::to_string(params.size()));
  }
  return Reply(std::move(params.front()));
}

Result<MethodCall> decode_call(std::string_view xml) {
  Reader reader("the XML-RPC client");
  pugi::xml_document document;
  FERRY_TRY(parse_document(document, xml, "methodCall", reader));
  Node call = document.child("methodCall");
  Node name = call.child("methodName");
  std::string method(trimmed(text_of(name)));
  if (!name || method.empty()) {
    return reader.malformed("a <methodCall> needs a <methodName>");
  }
  MethodCall decoded{std::move(method), {}};
  if (Node params = call.child("params")) {
    FERRY_TRY_ASSIGN(decoded.params, reader.params(params));
  }
  return decoded;
}

Result<std::vector<Reply>> decode_multicall_results(const Value& value, std::string_view what) {
  Reader reader(what);
  const Array* entries = value.as_array();
  if (entries == nullptr) {
    return reader.malformed("system.multicall returned a " + std::string(to_string(value.type())) +
                            ", not an array");
  }
  std::vector<Reply> replies;
  for (const Value& entry : *entries) {
    if (const Array* single = entry.as_array(); single != nullptr && single->size() == 1) {
      replies.emplace_back(single->front());
    } else if (auto fault = as_fault(entry)) {
      replies.emplace_back(std::move(*fault));
    } else {
      return reader.malformed("a system.multicall result is neither [value] nor a fault");
    }
  }
  return replies;
}

} // namespace ferry::clients::fedora::koji::xmlrpc
