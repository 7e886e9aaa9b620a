// Copyright 2026 The Thrombo Authors.
// libcurl JWKS fetcher with scheme, host, time and size limits.
#include "service/auth/jwks_fetcher.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace thrombo::service::auth {
namespace {

struct CurlFree { void operator()(CURL* p) const { curl_easy_cleanup(p); } };
struct CurlUrlFree { void operator()(CURLU* p) const { curl_url_cleanup(p); } };
struct CurlStringFree { void operator()(char* p) const { curl_free(p); } };
using CurlPtr = std::unique_ptr<CURL, CurlFree>;
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlFree>;
using CurlStringPtr = std::unique_ptr<char, CurlStringFree>;

struct Body {
  std::string data;
  size_t limit = 0;
  bool overflow = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t bytes = size * count;
  if (body->data.size() + bytes > body->limit) {
    body->overflow = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  body->data.append(data, bytes);
  return bytes;
}

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return "";
  CurlStringPtr owned(raw);
  return raw;
}

// Parses the URL with libcurl's own parser and hands that parse to the transfer, so the host
// we check is the host libcurl connects to ("http://127.0.0.1:80@evil.example/" has host
// evil.example, which a prefix check would miss).
absl::StatusOr<CurlUrlPtr> CheckedUrl(const std::string& url, bool allow_http_loopback) {
  CurlUrlPtr parsed(curl_url());
  if (parsed == nullptr) return absl::InternalError("curl_url failed");
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("JWKS URL does not parse");
  }
  const std::string scheme = UrlPart(parsed.get(), CURLUPART_SCHEME);
  if (scheme == "https") return parsed;
  if (scheme == "http" && allow_http_loopback &&
      UrlPart(parsed.get(), CURLUPART_HOST) == "127.0.0.1") {
    return parsed;
  }
  return absl::InvalidArgumentError(absl::StrCat("JWKS URL must be https (got \"", scheme,
                                                 "\")"));
}

}  // namespace

CurlJwksFetcher::CurlJwksFetcher(CurlJwksFetcherOptions options) : options_(options) {
  // curl_global_init is not thread-safe; do it once, before any easy handle exists.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

absl::StatusOr<std::string> CurlJwksFetcher::Fetch(const std::string& url) const {
  auto parsed = CheckedUrl(url, options_.allow_http_loopback_for_testing);
  if (!parsed.ok()) return parsed.status();
  CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  Body body;
  body.limit = options_.max_body_bytes;
  const char* protocols = options_.allow_http_loopback_for_testing ? "http,https" : "https";
  CURL* c = curl.get();
  const bool configured =
      curl_easy_setopt(c, CURLOPT_CURLU, parsed->get()) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&  // no SIGALRM in threads
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout))) ==
          CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(absl::ToInt64Milliseconds(options_.total_timeout))) ==
          CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(options_.max_body_bytes)) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteBody) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_USERAGENT, "thrombo-cds-jwks/1") == CURLE_OK;
  if (!configured) return absl::InternalError("curl_easy_setopt failed");
  const CURLcode code = curl_easy_perform(c);
  if (body.overflow || code == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("JWKS response exceeds ", options_.max_body_bytes, " bytes"));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("JWKS fetch failed: ", curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("JWKS fetch returned HTTP ", status));
  }
  return std::move(body.data);
}

}  // namespace thrombo::service::auth
