// Copyright 2026 The Thrombo Authors.
// One libcurl GET with the outbound policy every fetcher shares: https only (http only when a
// caller allows it), TLS 1.2 or later, certificate and host verification always on, trust taken
// from SSL_CERT_FILE / SSL_CERT_DIR when set, no redirects, bounded time and body size.
#ifndef THROMBO_SERVICE_NET_CURL_CLIENT_H_
#define THROMBO_SERVICE_NET_CURL_CLIENT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace thrombo::service::net {

// Where outbound TLS finds its trusted CA certificates. Empty members keep libcurl's built-in
// default (Debian: /etc/ssl/certs/ca-certificates.crt).
struct TrustStore {
  std::string ca_file;  // CURLOPT_CAINFO: a PEM bundle
  std::string ca_dir;   // CURLOPT_CAPATH: a c_rehash'd directory

  // The OpenSSL convention that libcurl itself ignores: SSL_CERT_FILE replaces the default
  // bundle and SSL_CERT_DIR the default directory, so a site CA installed the usual way (or a
  // test CA) is trusted without a flag of our own.
  static TrustStore FromEnvironment();
};

struct CurlClientOptions {
  // Sent as User-Agent, so a server's logs name the caller ("thrombo-cds-jwks/1").
  std::string user_agent = "thrombo/1";
  // Also allow plain http:// (tests, local demos). https is never affected: it is verified.
  bool allow_http = false;
  // Honour http_proxy/https_proxy/no_proxy (libcurl's behaviour); tests turn it off so a
  // developer's proxy cannot capture 127.0.0.1 traffic.
  bool use_environment_proxy = true;
  absl::Duration connect_timeout = absl::Seconds(3);
  // A larger body aborts the transfer as soon as the limit is passed.
  size_t max_body_bytes = size_t{8} << 20;
  TrustStore trust = TrustStore::FromEnvironment();
};

struct CurlResponse {
  long status = 0;  // the HTTP status; any status is returned, 3xx included (never followed)
  std::string body;
};

// Thread-safe: each Get uses its own easy handle; curl_global_init runs once, in the first
// constructor.
class CurlClient final {
 public:
  explicit CurlClient(CurlClientOptions options);

  // GET `url` with extra request header lines ("Accept: ..."), within `timeout` in total.
  // Errors (the message names what failed, never the URL's query):
  //   InvalidArgument    a URL libcurl cannot parse, or a scheme the policy refuses;
  //   DeadlineExceeded   the timeout passed;
  //   ResourceExhausted  the body is larger than max_body_bytes;
  //   Unavailable        connection, DNS or TLS failure (an untrusted, expired or wrong-host
  //                      certificate included);
  //   Internal           libcurl refused an option or ran out of memory.
  absl::StatusOr<CurlResponse> Get(const std::string& url, const std::vector<std::string>& headers,
                                   absl::Duration timeout) const;

  const CurlClientOptions& options() const { return options_; }

 private:
  const CurlClientOptions options_;
};

}  // namespace thrombo::service::net

#endif  // THROMBO_SERVICE_NET_CURL_CLIENT_H_
