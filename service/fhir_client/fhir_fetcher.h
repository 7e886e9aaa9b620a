// Copyright 2026 The Thrombo Authors.
// The FHIR read/search interface behind CDS Hooks fetch-on-miss, so hook handlers can be tested
// with fakes.
#ifndef THROMBO_SERVICE_FHIR_CLIENT_FHIR_FETCHER_H_
#define THROMBO_SERVICE_FHIR_CLIENT_FHIR_FETCHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/fhir/r4/resources.pb.h"
// Callers build FetchRequest::query from a discovery template; keep the two together.
#include "service/fhir_client/prefetch_template.h"

namespace thrombo::service {

// One FHIR read or search against the EHR's server (CDS Hooks 2.0.1 "Calling a CDS Service", "Prefetch").
struct FetchRequest {
  // The request's fhirServer: the FHIR base URL, e.g. "https://ehr.example.org/fhir". A
  // trailing '/' is allowed. It must not carry a query or fragment.
  std::string fhir_server;
  // Relative to fhir_server: a read ("Patient/123") or a search
  // ("Observation?patient=123&code=http://loinc.org|777-3"), typically the output of
  // ResolvePrefetchTemplate. Never an absolute URL.
  std::string query;
  // fhirAuthorization.access_token, sent as "Authorization: Bearer <token>"; empty sends no
  // Authorization header. Implementations never log it or put it in a status message.
  std::string bearer_token;
  // When set, a search is continued instead of started: `query` is ignored and this next-page
  // link of an earlier searchset (absolute, or relative to fhir_server) is fetched, then its
  // own next links, exactly as a search's later pages. It must have fhir_server's origin
  // (scheme, host, port), since the bearer token goes with it; another origin is an
  // InvalidArgument error and is never contacted. The answer must be a searchset Bundle.
  std::string page_url;
  // Everything, all pages included, must finish by then. The default means "no deadline of
  // the caller's own"; implementations still apply their own cap.
  absl::Time deadline = absl::InfiniteFuture();
};

// Fetches FHIR resources. Implementations must be thread-safe: one instance serves
// concurrent hook calls.
class FhirFetcher {
 public:
  virtual ~FhirFetcher() = default;

  // Returns the resource the server answered with: the resource for a read, a Bundle for a
  // search. A searchset Bundle has all its pages merged into one Bundle; when pages were left
  // unfetched (a page cap, or the deadline after the first page), the merged Bundle keeps a
  // link with relation "next" to the first page not fetched (see HasMorePages), exactly as an
  // EHR's own paginated prefetch would look. A 2xx OperationOutcome body is returned as the
  // resource: the caller checks for it as it does for prefetch (§A4).
  //
  // Errors: DeadlineExceeded (the deadline passed before the first page arrived);
  // Unavailable (no connection, TLS failure, HTTP 5xx, 408 or 429); NotFound (404, 410);
  // PermissionDenied (401, 403); InvalidArgument (an unusable fhir_server or query, HTTP 400
  // or 422, a body that is not FHIR JSON of a modelled resource type, a body over the size
  // cap, or a next link to another origin); FailedPrecondition (a redirect, which is never
  // followed, or another 4xx). For a non-2xx answer carrying an OperationOutcome, the
  // message includes its diagnostics. Messages name the URL path, never the token.
  virtual absl::StatusOr<fhir::r4::ContainedResource> Fetch(const FetchRequest& request) const = 0;
};

// True when `bundle` has a link with relation "next": the server has results that the
// Bundle does not hold (a truncated fetch, or an EHR prefetch the client did not page).
bool HasMorePages(const fhir::r4::Bundle& bundle);

// Removes every link with relation "next" from `bundle` and returns the first one's URL ("" when
// there is none): how a searchset's later pages are found before they are merged into it.
std::string TakeNextLink(fhir::r4::Bundle* bundle);

// Why a searchset that holds data is not the whole answer: the diagnostics of each
// OperationOutcome entry with an issue of severity error or fatal (the server reporting a part
// of the search it could not do, usually with entry.search.mode "outcome"), joined with "; ";
// "" when there is none. An outcome that carries only warnings or information (an ignored
// parameter, a note) does not make the results incomplete. Diagnostics are cut to 200
// characters each: they go into logs and card text.
std::string SearchsetErrors(const fhir::r4::Bundle& bundle);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_FHIR_CLIENT_FHIR_FETCHER_H_
