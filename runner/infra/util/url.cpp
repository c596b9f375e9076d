#include "infra/util/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace ferry::infra::util {

namespace {

bool is_secret_parameter(std::string_view name) {
  static constexpr std::array<std::string_view, 10> k_names = {
      "token",  "access_token", "private_token", "key", "api_key",
      "apikey", "password",     "secret",        "sig", "signature"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(k_names.begin(), k_names.end(), lower) != k_names.end();
}

std::string redact_userinfo(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return std::string(url);
  }
  std::size_t authority = scheme + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority);
  std::string_view host_part = url.substr(authority, authority_end - authority);
  std::size_t at = host_part.rfind('@');
  if (at == std::string_view::npos) {
    return std::string(url);
  }
  std::string_view userinfo = host_part.substr(0, at);
  std::size_t colon = userinfo.find(':');
  std::string user(colon == std::string_view::npos ? std::string_view("***")
                                                   : userinfo.substr(0, colon));
  std::string result(url.substr(0, authority));
  result += user + (colon == std::string_view::npos ? "" : ":***") + "@";
  result += url.substr(authority + at + 1);
  return result;
}

std::string redact_query(std::string_view url) {
  std::size_t query = url.find('?');
  if (query == std::string_view::npos) {
    return std::string(url);
  }
  std::size_t fragment = url.find('#', query);
  std::string result(url.substr(0, query + 1));
  std::string_view params = url.substr(query + 1, fragment - query - 1);
  bool first = true;
  while (true) {
    std::size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    std::size_t eq = param.find('=');
    if (!first) {
      result += '&';
    }
    first = false;
    if (eq != std::string_view::npos && is_secret_parameter(param.substr(0, eq))) {
      result += std::string(param.substr(0, eq)) + "=***";
    } else {
      result += param;
    }
    if (amp == std::string_view::npos) {
      break;
    }
    params.remove_prefix(amp + 1);
  }
  if (fragment != std::string_view::npos) {
    result += url.substr(fragment);
  }
  return result;
}

} // namespace

std::string redact_url(std::string_view url) {
  return redact_query(redact_userinfo(url));
}

} // namespace ferry::infra::util
