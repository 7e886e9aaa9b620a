// Copyright 2026 The Thrombo Authors.
// FhirFetcher over libcurl: bounded, same-origin, token-safe FHIR reads and paged searches.
#ifndef THROMBO_SERVICE_FHIR_CLIENT_CURL_FHIR_FETCHER_H_
#define THROMBO_SERVICE_FHIR_CLIENT_CURL_FHIR_FETCHER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/fhir_client/fhir_fetcher.h"
#include "service/net/curl_client.h"

namespace thrombo::service {

struct CurlFhirFetcherOptions {
  // To establish the TCP (and TLS) connection, per page; the deadline still wins if sooner.
  absl::Duration connect_timeout = absl::Seconds(3);
  // The longest one Fetch may take, all pages included, when FetchRequest::deadline is later
  // (or infinite): a hook call must never wait on the EHR without bound.
  absl::Duration max_fetch_time = absl::Seconds(10);
  // Per response body, after any transfer decoding; a larger body aborts the transfer as soon
  // as the limit is passed (InvalidArgument). Also the FHIR parser's document limit.
  size_t max_response_bytes = size_t{8} << 20;
  // GETs per Fetch, the first page included; values below 1 are treated as 1.
  int max_pages = 10;
  // Also allow http:// fhirServer URLs (tests, local demos). Production is https only.
  bool allow_http = false;
  // Honour http_proxy/https_proxy/no_proxy from the environment (libcurl's behaviour); tests
  // turn it off so a developer's proxy settings cannot capture 127.0.0.1 traffic.
  bool use_environment_proxy = true;
  // Trusted CAs for https fhirServers: SSL_CERT_FILE / SSL_CERT_DIR by default (net::TrustStore).
  net::TrustStore trust = net::TrustStore::FromEnvironment();
};

// Sends GET {fhir_server}/{query} with "Accept: application/fhir+json" (and the bearer token
// when given), parses the body with the FHIR codec (fhir/json_parser.h, lenient: elements the
// codec does not model are skipped) and, for a searchset Bundle, follows link[relation=next]
// and appends each page's entries to the first page's Bundle (whose other links, total and id
// are kept). Policy:
//   - The query is normalized with EncodeRelativeQuery ('|' -> %7C etc.) and joined to the
//     base with exactly one '/'; the result must stay under fhir_server (no "../" escapes).
//   - Schemes: https, plus http only with allow_http. TLS 1.2+, peer and host verification always on
//     (net::CurlClient, the transport shared with the JWKS fetcher).
//   - Redirects are never followed (one could send the token elsewhere); a 3xx is an error.
//   - Next links must have the base URL's origin (scheme, host, port); another origin is an
//     InvalidArgument error and is never contacted.
//   - FetchRequest::page_url continues a search from that next link (same origin rule), with
//     the same paging as a search's own later pages.
//   - Paging stops after max_pages GETs, or when the deadline passes after the first page;
//     the partial Bundle is returned with the unfetched next link kept (HasMorePages).
//   - The deadline is min(FetchRequest::deadline, start + max_fetch_time); each GET gets the
//     remaining time as its libcurl timeout.
//   - The bearer token is checked to be visible ASCII (no header injection) and is redacted
//     from any error text, even text a hostile server echoes back.
// Error codes are those of FhirFetcher::Fetch.
//
// Thread-safe: Fetch may be called concurrently; each call uses its own easy handle, and
// curl_global_init runs once (in the first constructor).
class CurlFhirFetcher final : public FhirFetcher {
 public:
  explicit CurlFhirFetcher(CurlFhirFetcherOptions options = {});

  absl::StatusOr<fhir::r4::ContainedResource> Fetch(const FetchRequest& request) const override;

 private:
  static net::CurlClientOptions ClientOptions(const CurlFhirFetcherOptions& options);

  CurlFhirFetcherOptions options_;
  net::CurlClient client_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_FHIR_CLIENT_CURL_FHIR_FETCHER_H_
