// RAII owners for libcurl handles: one unique_ptr alias with a stateless deleter per type.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace ferry::infra::http {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime* mime) const noexcept { curl_mime_free(mime); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlMime = std::unique_ptr<curl_mime, CurlMimeDeleter>;

} // namespace ferry::infra::http
