// libFuzzer target for the Koji XML-RPC codec: any bytes as a hub's answer and as a method
// call. Decoding must never crash or throw; whatever decodes must encode again and decode to
// the same value (the codec's round trip).
#include "clients/fedora/koji/xmlrpc.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

using namespace ferry::clients::fedora::koji::xmlrpc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto reply = decode_response(text, "fuzz");
  if (reply) {
    auto again = encode_response(*reply); // fails only for strings XML cannot carry
    if (again) {
      auto back = decode_response(*again, "fuzz");
      bool comparable = *reply == *reply; // false when a double is NaN
      if (!back || (comparable && !(*back == *reply))) {
        std::abort();
      }
    }
  }
  auto call = decode_call(text);
  if (call) {
    (void)encode_call(call->method, call->params);
  }
  return 0;
}
