// URL helpers that need no network library.
#pragma once

#include <string>
#include <string_view>

namespace ferry::infra::util {

// The URL as it may be logged: a password in the user-info part and the values of query
// parameters that usually carry credentials (token, access_token, private_token, key, api_key,
// password, secret, sig, signature) are replaced by "***".
std::string redact_url(std::string_view url);

} // namespace ferry::infra::util
