#include "clients/forge/forge.hpp"

namespace ferry::clients::forge {

std::string_view to_string(Permission permission) {
  switch (permission) {
  case Permission::none:
    return "none";
  case Permission::read:
    return "read";
  case Permission::write:
    return "write";
  case Permission::admin:
    return "admin";
  }
  return "none";
}

} // namespace ferry::clients::forge
