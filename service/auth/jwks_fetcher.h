// Copyright 2026 The Thrombo Authors.
// Fetching a JWK Set document over HTTPS, behind an interface so tests can inject a fake.
#ifndef THROMBO_SERVICE_AUTH_JWKS_FETCHER_H_
#define THROMBO_SERVICE_AUTH_JWKS_FETCHER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/auth/jwk.h"
#include "service/net/curl_client.h"

namespace thrombo::service::auth {

// Returns the body of a JWKS URL. The verifier only ever passes URLs from its configured
// allowlist. Implementations must be thread-safe.
class JwksFetcher {
 public:
  virtual ~JwksFetcher() = default;

  // Errors: kInvalidArgument for a URL the fetcher refuses by policy; kUnavailable for
  // network, TLS, timeout or non-200 responses; kResourceExhausted for an oversized body.
  virtual absl::StatusOr<std::string> Fetch(const std::string& url) const = 0;
};

struct CurlJwksFetcherOptions {
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration total_timeout = absl::Seconds(5);
  size_t max_body_bytes = kMaxJwksBytes;
  // Tests only: also allow plain http:// to host 127.0.0.1. Otherwise https is required.
  bool allow_http_loopback_for_testing = false;
  // Trusted CAs for the https URLs: SSL_CERT_FILE / SSL_CERT_DIR by default (net::TrustStore).
  net::TrustStore trust = net::TrustStore::FromEnvironment();
};

// The libcurl fetcher: GET only, https only, with net::CurlClient's outbound policy (TLS 1.2+,
// certificate and host verification never turned off, trust from SSL_CERT_FILE / SSL_CERT_DIR,
// no redirects: a redirect could point anywhere, SSRF), bounded time and body size.
// Thread-safe: each Fetch uses its own easy handle.
class CurlJwksFetcher final : public JwksFetcher {
 public:
  explicit CurlJwksFetcher(CurlJwksFetcherOptions options = {});

  absl::StatusOr<std::string> Fetch(const std::string& url) const override;

 private:
  static net::CurlClientOptions ClientOptions(const CurlJwksFetcherOptions& options);

  const CurlJwksFetcherOptions options_;
  const net::CurlClient client_;
};

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JWKS_FETCHER_H_
