// Copyright 2026 The Thrombo Authors.
// FhirFetcher over libcurl.
#include "service/fhir_client/curl_fhir_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "fhir/json_parser.h"
#include "base/status_macros.h"
#include "base/string_compat.h"
#include "service/fhir_client/url_encoding.h"
#include "service/net/curl_client.h"

namespace thrombo::service {

using base::Absl;
using fhir::r4::Bundle;
using fhir::r4::ContainedResource;

namespace {

// A parsed absolute URL.
struct Url {
  std::string full;    // as libcurl normalized it; what is requested
  std::string origin;  // "scheme://host:port", lowercase, port always present
  std::string path;    // for messages: never the query (it may hold identifiers)
};

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; "" when absent.
std::string UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return "";
  std::string value(text);
  curl_free(text);
  return value;
}

// Parses `text`, resolved against `base` when given (for relative next links).
absl::StatusOr<UrlHandle> ParseUrlHandle(const std::string& text, const Url* base) {
  UrlHandle url(curl_url());
  if (url == nullptr) return absl::InternalError("curl_url failed");
  if (base != nullptr &&
      curl_url_set(url.get(), CURLUPART_URL, base->full.c_str(), 0) != CURLUE_OK) {
    return absl::InternalError("cannot re-parse a URL libcurl produced");
  }
  if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("not a valid absolute URL");
  }
  return url;
}

absl::StatusOr<Url> ToUrl(CURLU* handle) {
  Url url;
  url.full = UrlPart(handle, CURLUPART_URL);
  const std::string scheme = absl::AsciiStrToLower(UrlPart(handle, CURLUPART_SCHEME));
  const std::string host = absl::AsciiStrToLower(UrlPart(handle, CURLUPART_HOST));
  const std::string port = UrlPart(handle, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (url.full.empty() || host.empty()) return absl::InvalidArgumentError("URL has no host");
  url.origin = absl::StrCat(scheme, "://", host, ":", port);
  url.path = UrlPart(handle, CURLUPART_PATH);
  return url;
}

// The request's fhirServer: an absolute URL with an allowed scheme, no credentials, no query.
absl::StatusOr<Url> ParseBaseUrl(const std::string& fhir_server, bool allow_http) {
  absl::StatusOr<UrlHandle> handle = ParseUrlHandle(fhir_server, nullptr);
  if (!handle.ok()) return absl::InvalidArgumentError("fhirServer is not a valid absolute URL");
  const std::string scheme = absl::AsciiStrToLower(UrlPart(handle->get(), CURLUPART_SCHEME));
  if (scheme != "https" && !(allow_http && scheme == "http")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fhirServer scheme \"", scheme, "\" is not allowed (", allow_http ? "http or " : "",
        "https only)"));
  }
  if (!UrlPart(handle->get(), CURLUPART_USER).empty() ||
      !UrlPart(handle->get(), CURLUPART_QUERY).empty() ||
      !UrlPart(handle->get(), CURLUPART_FRAGMENT).empty()) {
    return absl::InvalidArgumentError(
        "fhirServer must not carry credentials, a query or a fragment");
  }
  return ToUrl(handle->get());
}

std::string_view StripSlashes(std::string_view text, bool leading) {
  while (!text.empty() && (leading ? text.front() : text.back()) == '/') {
    leading ? text.remove_prefix(1) : text.remove_suffix(1);
  }
  return text;
}

// {fhir_server}/{query}, which must stay under the base path and origin.
absl::StatusOr<Url> ResolveQuery(const std::string& fhir_server, const Url& base,
                                 std::string_view query) {
  const std::string_view relative = StripSlashes(query, /*leading=*/true);
  const bool absolute =
      relative.substr(0, relative.find('?')).find("://") != std::string_view::npos;
  if (relative.empty() || absolute) {
    return absl::InvalidArgumentError("the FHIR query must be a non-empty relative URL");
  }
  const std::string joined = absl::StrCat(Absl(StripSlashes(fhir_server, /*leading=*/false)),
                                          "/", EncodeRelativeQuery(relative));
  absl::StatusOr<UrlHandle> handle = ParseUrlHandle(joined, nullptr);
  if (!handle.ok()) return absl::InvalidArgumentError("the FHIR query does not form a valid URL");
  ASSIGN_OR_RETURN(Url url, ToUrl(handle->get()));
  const std::string base_path = absl::StrCat(Absl(StripSlashes(base.path, false)), "/");
  if (url.origin != base.origin || url.path.compare(0, base_path.size(), base_path) != 0) {
    return absl::InvalidArgumentError("the FHIR query leaves the fhirServer base URL");
  }
  return url;
}

// A next link, absolute or relative to the base; only the base's origin is allowed, since
// the bearer token goes with every page.
absl::StatusOr<Url> ResolveNextLink(const Url& base, const std::string& link) {
  absl::StatusOr<UrlHandle> handle = ParseUrlHandle(link, &base);
  if (!handle.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("GET ", base.path, ": the next link is not a valid URL"));
  }
  ASSIGN_OR_RETURN(Url url, ToUrl(handle->get()));
  if (url.origin != base.origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("GET ", base.path, ": the next link points to another origin (",
                     url.origin, "); it was not followed"));
  }
  return url;
}

// RFC 6750 tokens are visible ASCII; anything else could split the header.
absl::Status CheckToken(const std::string& token) {
  for (char c : token) {
    if (c < 0x21 || c > 0x7E) {
      return absl::InvalidArgumentError(
          "the bearer token has characters not allowed in an HTTP header");
    }
  }
  return absl::OkStatus();
}

absl::StatusCode CodeForHttpStatus(long status) {
  if (status >= 300 && status < 400) return absl::StatusCode::kFailedPrecondition;
  switch (status) {
    case 400: case 422: return absl::StatusCode::kInvalidArgument;
    case 401: case 403: return absl::StatusCode::kPermissionDenied;
    case 404: case 410: return absl::StatusCode::kNotFound;
    case 408: case 429: return absl::StatusCode::kUnavailable;
    default: break;
  }
  if (status >= 400 && status < 500) return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kUnavailable;  // 5xx, and anything unexpected
}

// The server's text goes into status messages and from there into logs: keep it short by
// cutting out the middle (the parser's " at <FHIR path>" is at the end), and redact the token
// before cutting, so no piece of it can survive the cut.
std::string ServerText(std::string text, const std::string& token) {
  if (!token.empty()) text = absl::StrReplaceAll(text, {{token, "[redacted]"}});
  constexpr size_t kKeep = 250;  // each end
  if (text.size() <= 2 * kKeep) return text;
  return absl::StrCat(text.substr(0, kKeep), " ... ", text.substr(text.size() - kKeep));
}

// ": <diagnostics>" of an OperationOutcome body, or "" when the body is not one.
std::string OutcomeDiagnostics(const std::string& body, const std::string& token) {
  fhir::ParseOptions lenient;
  lenient.check_required = false;
  absl::StatusOr<fhir::r4::OperationOutcome> outcome =
      fhir::ParseAs<fhir::r4::OperationOutcome>(body, lenient);
  if (!outcome.ok()) return "";
  std::vector<std::string> texts;
  for (const auto& issue : outcome->issue()) {
    const std::string& text =
        issue.diagnostics().empty() ? issue.details().text() : issue.diagnostics();
    if (!text.empty()) texts.push_back(text);
  }
  const std::string joined = absl::StrJoin(texts, "; ");
  return joined.empty() ? "" : absl::StrCat(": ", ServerText(joined, token));
}

absl::StatusOr<ContainedResource> Interpret(const net::CurlResponse& response,
                                            const std::string& what, size_t max_bytes,
                                            const std::string& token) {
  if (response.status < 200 || response.status >= 300) {
    const char* note = response.status >= 300 && response.status < 400
                           ? " (redirects are not followed)"
                           : "";
    return absl::Status(CodeForHttpStatus(response.status),
                        absl::StrCat(what, ": HTTP ", response.status, note,
                                     OutcomeDiagnostics(response.body, token)));
  }
  fhir::ParseOptions options;
  options.max_document_bytes = max_bytes;
  absl::StatusOr<fhir::ParsedResource> parsed = fhir::ParseResource(response.body, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": the response is not FHIR JSON of a supported resource: ",
        ServerText(std::string(parsed.status().message()), token)));
  }
  return std::move(parsed->resource);
}

std::vector<std::string> RequestHeaders(const std::string& token) {
  std::vector<std::string> headers = {"Accept: application/fhir+json"};
  if (!token.empty()) headers.push_back(absl::StrCat("Authorization: Bearer ", token));
  return headers;
}

void PutNextLink(std::string url, Bundle* bundle) {
  Bundle::Link* link = bundle->add_link();
  link->set_relation("next");
  link->set_url(std::move(url));
}

// What one Fetch call works with.
struct FetchContext {
  const CurlFhirFetcherOptions& options;
  const net::CurlClient& client;
};

// One GET: the response parsed as a FHIR resource, or the error it maps to.
absl::StatusOr<ContainedResource> GetResource(const FetchContext& fetch, const Url& url,
                                              const std::string& token, absl::Time deadline) {
  const std::string what = absl::StrCat("GET ", url.path);
  const absl::Duration remaining = deadline - absl::Now();
  if (remaining <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError(absl::StrCat(what, ": the deadline passed before it began"));
  }
  absl::StatusOr<net::CurlResponse> response =
      fetch.client.Get(url.full, RequestHeaders(token), remaining);
  if (absl::IsResourceExhausted(response.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": the response is larger than ", fetch.options.max_response_bytes, " bytes"));
  }
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat(what, ": ", response.status().message()));
  }
  return Interpret(*response, what, fetch.options.max_response_bytes, token);
}

// Appends the pages after `merged` (the first page, fetched from `first`) to it, until there
// is no next link, the page cap, or the deadline; an unfetched next link is put back.
absl::Status FollowNextLinks(const FetchContext& fetch, const Url& first,
                             const std::string& token, absl::Time deadline, Bundle* merged) {
  std::string next = TakeNextLink(merged);
  for (int pages = 1; !next.empty(); ++pages) {
    if (pages >= fetch.options.max_pages || absl::Now() >= deadline) break;
    ASSIGN_OR_RETURN(const Url url, ResolveNextLink(first, next));
    absl::StatusOr<ContainedResource> page = GetResource(fetch, url, token, deadline);
    if (absl::IsDeadlineExceeded(page.status())) break;  // keep what arrived; flagged below
    RETURN_IF_ERROR(page.status());
    if (!page->has_bundle()) {
      return absl::InvalidArgumentError(
          absl::StrCat("GET ", url.path, ": a next page is not a Bundle"));
    }
    Bundle* bundle = page->mutable_bundle();
    next = TakeNextLink(bundle);
    for (Bundle::Entry& entry : *bundle->mutable_entry()) merged->add_entry()->Swap(&entry);
  }
  if (!next.empty()) PutNextLink(std::move(next), merged);
  return absl::OkStatus();
}

absl::StatusOr<ContainedResource> FetchUnredacted(const FetchContext& fetch,
                                                  const FetchRequest& request) {
  const absl::Time deadline =
      std::min(request.deadline, absl::Now() + fetch.options.max_fetch_time);
  RETURN_IF_ERROR(CheckToken(request.bearer_token));
  ASSIGN_OR_RETURN(const Url base, ParseBaseUrl(request.fhir_server, fetch.options.allow_http));
  if (!request.page_url.empty()) {
    // A later page of a search someone else began (an EHR's paginated prefetch): the same
    // origin rule as for the next links this fetcher follows itself.
    ASSIGN_OR_RETURN(const Url url, ResolveNextLink(base, request.page_url));
    ASSIGN_OR_RETURN(ContainedResource page,
                     GetResource(fetch, url, request.bearer_token, deadline));
    if (!page.has_bundle()) {
      return absl::InvalidArgumentError(
          absl::StrCat("GET ", url.path, ": a next page is not a Bundle"));
    }
    RETURN_IF_ERROR(FollowNextLinks(fetch, url, request.bearer_token, deadline,
                                    page.mutable_bundle()));
    return page;
  }
  ASSIGN_OR_RETURN(const Url url, ResolveQuery(request.fhir_server, base, request.query));
  ASSIGN_OR_RETURN(ContainedResource resource,
                   GetResource(fetch, url, request.bearer_token, deadline));
  if (resource.has_bundle() && resource.bundle().type() == fhir::r4::BundleTypeCode::SEARCHSET) {
    RETURN_IF_ERROR(FollowNextLinks(fetch, url, request.bearer_token, deadline,
                                    resource.mutable_bundle()));
  }
  return resource;
}

}  // namespace

net::CurlClientOptions CurlFhirFetcher::ClientOptions(const CurlFhirFetcherOptions& options) {
  net::CurlClientOptions client;
  client.user_agent = "thrombo-cds-fhir-client/1";
  client.allow_http = options.allow_http;
  client.use_environment_proxy = options.use_environment_proxy;
  client.connect_timeout = options.connect_timeout;
  client.max_body_bytes = options.max_response_bytes;
  client.trust = options.trust;
  return client;
}

CurlFhirFetcher::CurlFhirFetcher(CurlFhirFetcherOptions options)
    : options_(std::move(options)), client_(ClientOptions(options_)) {
  options_.max_pages = std::max(options_.max_pages, 1);
}

absl::StatusOr<ContainedResource> CurlFhirFetcher::Fetch(const FetchRequest& request) const {
  absl::StatusOr<ContainedResource> result =
      FetchUnredacted(FetchContext{options_, client_}, request);
  if (result.ok() || request.bearer_token.empty()) return result;
  // Defense in depth: libcurl's error text or a path could still carry it.
  const std::string message = absl::StrReplaceAll(
      result.status().message(), {{request.bearer_token, "[redacted]"}});
  return absl::Status(result.status().code(), message);
}

}  // namespace thrombo::service
