// Copyright 2026 The Thrombo Authors.
// libcurl JWKS fetcher with scheme, host, time and size limits.
#include "service/auth/jwks_fetcher.h"

#include <curl/curl.h>

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/net/curl_client.h"

namespace thrombo::service::auth {
namespace {

struct CurlUrlFree { void operator()(CURLU* p) const { curl_url_cleanup(p); } };
struct CurlStringFree { void operator()(char* p) const { curl_free(p); } };
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlFree>;
using CurlStringPtr = std::unique_ptr<char, CurlStringFree>;

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return "";
  CurlStringPtr owned(raw);
  return raw;
}

// Parses the URL with libcurl's own parser; the transfer gets libcurl's rendering of that
// parse, so the host we check is the host libcurl connects to
// ("http://127.0.0.1:80@evil.example/" has host evil.example, which a prefix check would miss).
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

CurlJwksFetcher::CurlJwksFetcher(CurlJwksFetcherOptions options)
    : options_(options), client_(ClientOptions(options)) {}

net::CurlClientOptions CurlJwksFetcher::ClientOptions(const CurlJwksFetcherOptions& options) {
  net::CurlClientOptions client;
  client.user_agent = "thrombo-cds-jwks/1";
  client.allow_http = options.allow_http_loopback_for_testing;  // CheckedUrl keeps it loopback
  client.connect_timeout = options.connect_timeout;
  client.max_body_bytes = options.max_body_bytes;
  client.trust = options.trust;
  return client;
}

absl::StatusOr<std::string> CurlJwksFetcher::Fetch(const std::string& url) const {
  auto parsed = CheckedUrl(url, options_.allow_http_loopback_for_testing);
  if (!parsed.ok()) return parsed.status();
  // libcurl's own normalization of the URL it just checked, so the host it connects to is the
  // host checked above.
  const std::string checked = UrlPart(parsed->get(), CURLUPART_URL);
  absl::StatusOr<net::CurlResponse> response = client_.Get(checked, {}, options_.total_timeout);
  if (absl::IsResourceExhausted(response.status())) {
    return absl::ResourceExhaustedError(
        absl::StrCat("JWKS response exceeds ", options_.max_body_bytes, " bytes"));
  }
  if (!response.ok()) {
    return absl::UnavailableError(
        absl::StrCat("JWKS fetch failed: ", response.status().message()));
  }
  if (response->status != 200) {
    return absl::UnavailableError(absl::StrCat("JWKS fetch returned HTTP ", response->status));
  }
  return std::move(response->body);
}

}  // namespace thrombo::service::auth
