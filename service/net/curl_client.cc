// Copyright 2026 The Thrombo Authors.
// The shared libcurl GET.
#include "service/net/curl_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace thrombo::service::net {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

// Collects the body, refusing to grow past `limit` (a short count makes libcurl abort with
// CURLE_WRITE_ERROR).
struct BodySink {
  std::string data;
  size_t limit = 0;
  bool overflow = false;
};

size_t WriteBody(char* bytes, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t n = size * count;
  if (sink->data.size() + n > sink->limit) {
    sink->overflow = true;
    return 0;
  }
  sink->data.append(bytes, n);
  return n;
}

long Milliseconds(absl::Duration duration) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(duration)));
}

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// Applies the policy; false when libcurl rejects an option (e.g. a build without TLS 1.2).
bool Configure(CURL* curl, const CurlClientOptions& options, const std::string& url,
               curl_slist* headers, absl::Duration timeout, BodySink* sink, char* error) {
  const char* protocols = options.allow_http ? "http,https" : "https";
  bool ok = curl_easy_setopt(curl, CURLOPT_URL, url.c_str()) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK &&
            // A redirect could send a bearer token, or the request, anywhere (SSRF).
            curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
            // libcurl's defaults, set explicitly so no later edit can weaken them unseen.
            curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2}) ==
                CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&  // no SIGALRM in threads
            curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                             Milliseconds(std::min(options.connect_timeout, timeout))) ==
                CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, Milliseconds(timeout)) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                             static_cast<curl_off_t>(options.max_body_bytes)) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error) == CURLE_OK &&
            curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str()) == CURLE_OK;
  if (ok && !options.trust.ca_file.empty()) {
    ok = curl_easy_setopt(curl, CURLOPT_CAINFO, options.trust.ca_file.c_str()) == CURLE_OK;
  }
  if (ok && !options.trust.ca_dir.empty()) {
    ok = curl_easy_setopt(curl, CURLOPT_CAPATH, options.trust.ca_dir.c_str()) == CURLE_OK;
  }
  if (ok && !options.use_environment_proxy) {
    ok = curl_easy_setopt(curl, CURLOPT_PROXY, "") == CURLE_OK;  // "" disables any proxy
  }
  return ok;
}

absl::Status TransportError(CURLcode code, const char* detail) {
  const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(absl::StrCat("timed out (", why, ")"));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError(why);
    default:
      return absl::UnavailableError(why);
  }
}

}  // namespace

TrustStore TrustStore::FromEnvironment() {
  TrustStore trust;
  trust.ca_file = Environment("SSL_CERT_FILE");
  trust.ca_dir = Environment("SSL_CERT_DIR");
  return trust;
}

CurlClient::CurlClient(CurlClientOptions options) : options_(std::move(options)) {
  // curl_global_init is not thread-safe; run it once, before any easy handle exists.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

absl::StatusOr<CurlResponse> CurlClient::Get(const std::string& url,
                                             const std::vector<std::string>& headers,
                                             absl::Duration timeout) const {
  CurlHandle curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("libcurl out of memory");
  HeaderList list;
  for (const std::string& header : headers) {
    curl_slist* grown = curl_slist_append(list.get(), header.c_str());
    if (grown == nullptr) return absl::InternalError("libcurl out of memory");
    list.release();
    list.reset(grown);
  }
  BodySink sink;
  sink.limit = options_.max_body_bytes;
  char error[CURL_ERROR_SIZE] = "";
  if (!Configure(curl.get(), options_, url, list.get(), timeout, &sink, error)) {
    return absl::InternalError("libcurl rejected an option");
  }
  const CURLcode code = curl_easy_perform(curl.get());
  if (sink.overflow || code == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the response is larger than ", options_.max_body_bytes, " bytes"));
  }
  if (code != CURLE_OK) return TransportError(code, error);
  CurlResponse response;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(sink.data);
  return response;
}

}  // namespace thrombo::service::net
