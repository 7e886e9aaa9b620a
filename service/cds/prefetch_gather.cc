// Copyright 2026 The Thrombo Authors.
#include "service/cds/prefetch_gather.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "service/fhir_client/prefetch_template.h"

namespace thrombo::service {
namespace {

using fhir::r4::Bundle;
using fhir::r4::ContainedResource;

constexpr DataCategory kCategories[] = {
    {"MedicationRequest", &risk::DataAvailability::medication_requests,
     "Medication orders (MedicationRequest)", true},
    {"MedicationStatement", &risk::DataAvailability::medication_statements,
     "Home medications (MedicationStatement)", true},
    {"MedicationDispense", &risk::DataAvailability::medication_dispenses,
     "Dispensed medications (MedicationDispense)", true},
    {"MedicationAdministration", &risk::DataAvailability::medication_administrations,
     "Administered medications (MedicationAdministration)", true},
    {"Condition", &risk::DataAvailability::conditions, "Conditions", false},
    {"Observation", &risk::DataAvailability::observations,
     "Lab results and vital signs (Observation)", false},
    {"Procedure", &risk::DataAvailability::procedures, "Procedures", false},
    {"AllergyIntolerance", &risk::DataAvailability::allergies,
     "Allergies and intolerances (AllergyIntolerance)", false},
};

// The category a template reads, by the resource type it starts with ("Condition?patient=..."),
// so keys added to discovery later are still accounted for; nullptr for a read of the Patient.
const DataCategory* CategoryOf(std::string_view query_template) {
  size_t end = 0;  // a loop, not find_first_of: this runs for every key of every hook call
  while (end < query_template.size() && query_template[end] != '/' &&
         query_template[end] != '?') {
    ++end;
  }
  const std::string_view type = query_template.substr(0, end);
  for (const DataCategory& category : kCategories) {
    if (type == category.type) return &category;
  }
  return nullptr;
}

class Gatherer {
 public:
  Gatherer(const v1::EvaluateHookRequest& request, const FhirFetcher* fetcher,
           absl::Time deadline)
      : request_(request),
        fetcher_(fetcher),
        deadline_(deadline),
        // CDS Hooks 2.0: the service presents fhirAuthorization's access token on every call to
        // fhirServer, so without one it does not call at all.
        can_fetch_(fetcher != nullptr && !request.fhir_server().empty() &&
                   request.has_fhir_authorization() &&
                   !request.fhir_authorization().access_token().empty()) {}

  void Reserve(size_t keys) {
    out_.outcomes.reserve(keys);
    out_.sources.reserve(keys + static_cast<size_t>(request_.prefetch().size()));
  }

  void Key(const std::string& key, const std::string& query_template) {
    PrefetchOutcome outcome;
    outcome.key = key;
    const DataCategory* category = CategoryOf(query_template);
    auto given = request_.prefetch().find(key);
    const bool is_null = given == request_.prefetch().end() &&
                         std::find(request_.null_prefetch_keys().begin(),
                                   request_.null_prefetch_keys().end(),
                                   key) != request_.null_prefetch_keys().end();
    std::string partial;  // why the data is incomplete, as the card says it
    if (given != request_.prefetch().end() && !IsFetchFailure(given->second)) {
      outcome.source = PrefetchOutcome::Source::kPrefetch;
      const ContainedResource* value = &given->second;
      if (value->has_bundle() && HasMorePages(value->bundle())) {
        value = FollowPages(given->second, &outcome, &partial);
      }
      out_.sources.push_back(value);
      CheckOutcomes(*value, &outcome, &partial);
    } else if (is_null) {
      outcome.source = PrefetchOutcome::Source::kNull;  // the client had no data
    } else if (can_fetch_) {
      absl::StatusOr<ContainedResource> fetched = FetchQuery(query_template);
      if (fetched.ok() && !IsFetchFailure(*fetched)) {
        outcome.source = PrefetchOutcome::Source::kFetched;
        const ContainedResource& value = out_.owned.emplace_back(*std::move(fetched));
        out_.sources.push_back(&value);
        if (value.has_bundle() && HasMorePages(value.bundle())) {
          Incomplete("more pages than the page limit or the time allowed",
                     "only part of the list was received in the time allowed", &outcome,
                     &partial);
        }
        CheckOutcomes(value, &outcome, &partial);
      } else {
        outcome.error = fetched.ok() ? "the FHIR server answered with an OperationOutcome"
                                     : std::string(fetched.status().message());
      }
    } else if (!request_.fhir_server().empty() && !request_.has_fhir_authorization()) {
      outcome.error = "not sent, and no fhirAuthorization to fetch it with";
    }
    const bool missing = outcome.source == PrefetchOutcome::Source::kMissing;
    if (missing) out_.missing.insert(key);
    if (category != nullptr && (missing || outcome.incomplete)) {
      out_.available.*(category->flag) = false;
      out_.medications_incomplete |= category->medications;
      if (outcome.incomplete) {
        out_.incomplete_data.push_back(absl::StrCat(category->label, ": ", partial));
      } else if (category->medications) {
        out_.incomplete_data.push_back(absl::StrCat(category->label, ": could not be obtained"));
      }
    }
    out_.outcomes.push_back(std::move(outcome));
  }

  GatheredPrefetch Take() { return std::move(out_); }

 private:
  static void Incomplete(const std::string& error, const std::string& why,
                         PrefetchOutcome* outcome, std::string* partial) {
    outcome->incomplete = true;
    if (!outcome->error.empty()) outcome->error += "; ";
    outcome->error += error;
    if (!partial->empty()) *partial += "; ";
    *partial += why;
  }

  // Entries beside an error OperationOutcome: the server could not do all of the search.
  static void CheckOutcomes(const ContainedResource& value, PrefetchOutcome* outcome,
                            std::string* partial) {
    if (!value.has_bundle()) return;
    const std::string errors = SearchsetErrors(value.bundle());
    if (errors.empty()) return;
    Incomplete(absl::StrCat("error OperationOutcome in the searchset: ", errors),
               "the EHR reported an error for part of the search", outcome, partial);
  }

  absl::StatusOr<ContainedResource> FetchQuery(const std::string& query_template) const {
    // Built here, not per call: most calls fetch nothing.
    const std::map<std::string, std::string> context(request_.context().begin(),
                                                     request_.context().end());
    auto user = context.find("userId");
    absl::StatusOr<std::string> query = ResolvePrefetchTemplate(
        query_template, context, user == context.end() ? "" : user->second);
    if (!query.ok()) return query.status();
    FetchRequest fetch = Request();
    fetch.query = *std::move(query);
    return fetcher_->Fetch(fetch);
  }

  FetchRequest Request() const {
    FetchRequest fetch;
    fetch.fhir_server = request_.fhir_server();
    fetch.bearer_token = request_.fhir_authorization().access_token();
    fetch.deadline = deadline_;
    return fetch;
  }

  // `first` is page one of a searchset (CDS Hooks 2.0 lets a client prefetch paginated
  // results): the later pages are fetched from its next link and appended to a copy.
  const ContainedResource* FollowPages(const ContainedResource& first, PrefetchOutcome* outcome,
                                       std::string* partial) {
    ContainedResource& merged = out_.owned.emplace_back(first);
    Bundle* bundle = merged.mutable_bundle();
    const std::string next = TakeNextLink(bundle);
    if (!can_fetch_) {
      Incomplete("a next page was not fetched: no fhirServer with fhirAuthorization",
                 "only the first page of several was received, and the request gave no FHIR "
                 "access to fetch the rest",
                 outcome, partial);
      return &merged;
    }
    FetchRequest fetch = Request();
    fetch.page_url = next;
    absl::StatusOr<ContainedResource> rest = fetcher_->Fetch(fetch);
    if (!rest.ok() || !rest->has_bundle()) {
      Incomplete(rest.ok() ? std::string("the next page is not a Bundle")
                           : absl::StrCat("the next page could not be fetched: ",
                                          rest.status().message()),
                 "only the first page of several was received; the next page could not be "
                 "fetched",
                 outcome, partial);
      return &merged;
    }
    if (HasMorePages(rest->bundle())) {
      Incomplete("more pages than the page limit or the time allowed",
                 "only part of the list was received in the time allowed", outcome, partial);
    }
    CheckOutcomes(*rest, outcome, partial);
    for (Bundle::Entry& entry : *rest->mutable_bundle()->mutable_entry()) {
      bundle->add_entry()->Swap(&entry);
    }
    return &merged;
  }

  const v1::EvaluateHookRequest& request_;
  const FhirFetcher* fetcher_;
  const absl::Time deadline_;
  const bool can_fetch_;
  GatheredPrefetch out_;
};

}  // namespace

absl::Span<const DataCategory> DataCategories() { return kCategories; }

bool IsFetchFailure(const ContainedResource& value) {
  // A resource of a type this service does not model (the tolerant reader skips it): no data.
  if (value.resource_case() == ContainedResource::RESOURCE_NOT_SET) return true;
  if (value.has_operation_outcome()) return true;
  if (!value.has_bundle() || value.bundle().entry().empty()) return false;
  for (const Bundle::Entry& entry : value.bundle().entry()) {
    if (!entry.resource().has_operation_outcome()) return false;
  }
  return !SearchsetErrors(value.bundle()).empty();
}


GatheredPrefetch GatherPrefetch(const v1::EvaluateHookRequest& request,
                                const std::map<std::string, std::string>& templates,
                                const FhirFetcher* fetcher, absl::Time deadline) {
  Gatherer gatherer(request, fetcher, deadline);
  gatherer.Reserve(templates.size());
  for (const auto& [key, query_template] : templates) gatherer.Key(key, query_template);
  return gatherer.Take();
}

}  // namespace thrombo::service
