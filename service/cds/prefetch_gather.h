// Copyright 2026 The Thrombo Authors.
// The prefetch loop of a hook call: each prefetch key from the request or from the EHR's FHIR
// server, with what came back incomplete said, never taken for the whole record.
#ifndef THROMBO_SERVICE_CDS_PREFETCH_GATHER_H_
#define THROMBO_SERVICE_CDS_PREFETCH_GATHER_H_

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "risk/facts.h"
#include "service/fhir_client/fhir_fetcher.h"

namespace thrombo::service {

// A record category the prefetch reads: the resource type its template searches, the
// DataAvailability flag that says whether it was obtained whole, and its name on the card.
struct DataCategory {
  const char* type;
  bool risk::DataAvailability::*flag;
  const char* label;
  bool medications;  // could hold a current anticoagulant or aspirin
};

// Every category, the medication lists first.
absl::Span<const DataCategory> DataCategories();

// How one prefetch key was satisfied, for metrics and the audit trail.
struct PrefetchOutcome {
  enum class Source { kPrefetch, kNull, kFetched, kMissing };
  std::string key;
  Source source = Source::kMissing;
  // Data arrived but not all of it: a next page that could not be fetched, more pages than the
  // page limit or the time allowed, or an error OperationOutcome among the entries.
  bool incomplete = false;
  std::string error;  // why a fetch failed or the data is incomplete (never a token)
};

// What the prefetch loop gathered for one call.
struct GatheredPrefetch {
  // The values to index the record over: in the request, or in `owned`.
  std::vector<const fhir::r4::ContainedResource*> sources;
  // Fetched values and merged pages; a deque, so earlier values stay put as more arrive.
  std::deque<fhir::r4::ContainedResource> owned;
  std::vector<PrefetchOutcome> outcomes;
  std::set<std::string> missing;      // keys with no data at all
  risk::DataAvailability available;   // false: missing or incomplete (its facts are UNKNOWN)
  // One line per missing or incomplete category, as the card shows it.
  std::vector<std::string> incomplete_data;
  // A list that could hold a current anticoagulant or aspirin is missing or incomplete.
  bool medications_incomplete = false;
};

// A prefetch value that is the client's report of a failed fetch, not data (CDS Hooks 2.0,
// "Prefetch": the service should check for it): an OperationOutcome, a Bundle of nothing but
// OperationOutcomes one of which is an error, or a resource of a type this service does not
// model (the tolerant reader leaves it empty). A Bundle whose only entries are warnings or
// information is a search that worked and found nothing.
bool IsFetchFailure(const fhir::r4::ContainedResource& value);

// Gathers every key of `templates` (key -> prefetch query template, from discovery) for
// `request`:
//   - A value the client sent is used; an OperationOutcome (or a Bundle of nothing else) is the
//     client's report of a failed fetch and counts as not sent; `null` means no data (complete).
//   - A searchset with a `next` link is page one: the rest is fetched through fhirServer with
//     the client's token, from that link, within `deadline` and the fetcher's page limit.
//   - A key not sent is fetched from fhirServer.
//   - fhirServer is called only with fhirAuthorization (CDS Hooks 2.0: every FHIR call presents
//     the client's access token); without it nothing is fetched.
//   - Whatever could not be had is missing; whatever arrived only in part (an unfollowed next
//     link, an error OperationOutcome among the entries) is incomplete: what is there counts,
//     and the category's DataAvailability flag is false so the rest is UNKNOWN.
// `fetcher` may be null (nothing is fetched). Never fails: errors become outcomes.
GatheredPrefetch GatherPrefetch(const v1::EvaluateHookRequest& request,
                                const std::map<std::string, std::string>& templates,
                                const FhirFetcher* fetcher, absl::Time deadline);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_PREFETCH_GATHER_H_
