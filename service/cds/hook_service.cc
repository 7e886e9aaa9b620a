// Copyright 2026 The Thrombo Authors.
#include "service/cds/hook_service.h"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fhir/patient_record.h"
#include "fhir/status_macros.h"
#include "risk/facts.h"
#include "service/cds/cards.h"
#include "service/cds/discovery.h"
#include "service/fhir_client/prefetch_template.h"

namespace thrombo::service {
namespace {

using fhir::r4::Bundle;
using fhir::r4::ContainedResource;

// A prefetch value that is an OperationOutcome (or a Bundle of nothing but OperationOutcomes) is
// the client's report of a failed fetch, not data (cds-hooks.md §A4).
bool IsFetchFailure(const ContainedResource& value) {
  if (value.has_operation_outcome()) return true;
  if (!value.has_bundle() || value.bundle().entry().empty()) return false;
  for (const Bundle::Entry& entry : value.bundle().entry()) {
    if (!entry.resource().has_operation_outcome()) return false;
  }
  return true;
}

absl::Status ValidateEnvelope(const v1::EvaluateHookRequest& request,
                              const v1::CdsService& service) {
  if (request.hook() != service.hook()) {
    return absl::InvalidArgumentError(
        absl::StrCat("hook '", request.hook(), "' does not match service '", service.id(),
                     "', which answers '", service.hook(), "' at hook"));
  }
  if (request.hook_instance().empty()) {
    return absl::InvalidArgumentError("hookInstance is required at hookInstance");
  }
  for (const char* field : {"patientId", "userId"}) {
    auto it = request.context().find(field);
    if (it == request.context().end() || it->second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("context.", field, " is required for ", service.hook(), " at context.",
                       field));
    }
  }
  const bool orders = service.hook() == "order-select" || service.hook() == "order-sign";
  if (orders && !request.has_draft_orders()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.draftOrders (a FHIR Bundle) is required for ", service.hook(),
        " at context.draftOrders"));
  }
  if (service.hook() == "order-select" && request.selections().empty()) {
    return absl::InvalidArgumentError(
        "context.selections is required for order-select at context.selections");
  }
  if (request.has_fhir_authorization() && request.fhir_server().empty()) {
    return absl::InvalidArgumentError(
        "fhirServer is required when fhirAuthorization is present at fhirServer");
  }
  return absl::OkStatus();
}

risk::DataAvailability Availability(const std::set<std::string>& missing) {
  risk::DataAvailability available;
  available.conditions = !missing.count(kPrefetchConditions);
  available.observations = !missing.count(kPrefetchObservations);
  available.procedures = !missing.count(kPrefetchProcedures);
  available.allergies = !missing.count(kPrefetchAllergies);
  available.medication_statements = !missing.count(kPrefetchMedicationStatements);
  return available;
}

// The observations the facts read: the policy's labs and vitals, and smoking status.
std::vector<std::string> ObservationCodes(const risk::Engine& engine) {
  std::vector<std::string> codes = engine.terminology().ObservationCodeTokens();
  codes.push_back(risk::kSmokingStatusLoinc);
  return codes;
}

}  // namespace

HookService::HookService(const risk::Engine& engine, const FhirFetcher* fetcher,
                         std::function<absl::Time()> clock, HookServiceOptions options)
    : engine_(engine),
      fetcher_(fetcher),
      clock_(std::move(clock)),
      options_(std::move(options)),
      discovery_(BuildDiscovery(ObservationCodes(engine))) {}

absl::StatusOr<HookResult> HookService::Evaluate(const v1::EvaluateHookRequest& request) const {
  const v1::CdsService* service = FindService(discovery_, request.service_id());
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("no CDS service '", request.service_id(), "'"));
  }
  RETURN_IF_ERROR(ValidateEnvelope(request, *service));
  const absl::Time now = request.has_evaluation_time()
                             ? absl::FromUnixSeconds(request.evaluation_time().seconds()) +
                                   absl::Nanoseconds(request.evaluation_time().nanos())
                             : clock_();
  const std::string& patient_id = request.context().at("patientId");

  HookResult result;
  // The record is indexed over the prefetch values where they are, in the request or in
  // `fetched_values` (a deque, so earlier values stay put as more arrive): copying tens of
  // kilobytes of FHIR into one Bundle, then freeing it, was a sixth of a call's work.
  std::vector<const ContainedResource*> sources;
  std::deque<ContainedResource> fetched_values;
  std::set<std::string> missing;
  const std::set<std::string> nulls(request.null_prefetch_keys().begin(),
                                    request.null_prefetch_keys().end());
  const absl::Time deadline = absl::Now() + options_.fetch_budget;
  const std::map<std::string, std::string> context(request.context().begin(),
                                                   request.context().end());
  const std::map<std::string, std::string> templates(service->prefetch().begin(),
                                                     service->prefetch().end());
  for (const auto& [key, query_template] : templates) {
    PrefetchOutcome outcome;
    outcome.key = key;
    auto given = request.prefetch().find(key);
    if (given != request.prefetch().end() && !IsFetchFailure(given->second)) {
      outcome.source = PrefetchOutcome::Source::kPrefetch;
      sources.push_back(&given->second);
    } else if (given == request.prefetch().end() && nulls.count(key)) {
      outcome.source = PrefetchOutcome::Source::kNull;  // the client had no data
    } else if (fetcher_ != nullptr && !request.fhir_server().empty()) {
      absl::StatusOr<ContainedResource> fetched = [&, &query_template = query_template]()
          -> absl::StatusOr<ContainedResource> {
        ASSIGN_OR_RETURN(std::string query,
                         ResolvePrefetchTemplate(query_template, context,
                                                 context.count("userId") ? context.at("userId")
                                                                         : ""));
        FetchRequest fetch;
        fetch.fhir_server = request.fhir_server();
        fetch.query = query;
        fetch.bearer_token = request.fhir_authorization().access_token();
        fetch.deadline = deadline;
        return fetcher_->Fetch(fetch);
      }();
      if (fetched.ok() && !IsFetchFailure(*fetched)) {
        outcome.source = PrefetchOutcome::Source::kFetched;
        sources.push_back(&fetched_values.emplace_back(*std::move(fetched)));
      } else {
        outcome.error = fetched.ok() ? "the FHIR server answered with an OperationOutcome"
                                     : std::string(fetched.status().message());
        missing.insert(key);
      }
    } else {
      missing.insert(key);
    }
    result.prefetch.push_back(std::move(outcome));
  }
  for (const char* required : {kPrefetchPatient, kPrefetchMedicationRequests}) {
    if (missing.count(required)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "prefetch '", required, "' was not sent and could not be fetched",
          request.fhir_server().empty() ? " (no fhirServer)" : " from fhirServer",
          " at prefetch.", required));
    }
  }

  if (nulls.count(kPrefetchPatient) && !request.prefetch().count(kPrefetchPatient)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "prefetch.patient is null (the client found no such Patient), yet context.patientId is ",
        patient_id, " at prefetch.patient"));
  }
  ASSIGN_OR_RETURN(fhir::PatientRecord patient_record,
                   fhir::PatientRecord::FromResources(sources, patient_id));
  if (patient_record.patient() == nullptr || patient_record.patient()->id() != patient_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "prefetch.patient is not Patient/", patient_id, " (context.patientId) at prefetch.patient"));
  }
  std::optional<fhir::PatientRecord> drafts;
  if (request.has_draft_orders()) {
    ASSIGN_OR_RETURN(drafts, fhir::PatientRecord::FromBundle(request.draft_orders(), ""));
  }
  ASSIGN_OR_RETURN(result.assessment,
                   engine_.Assess(patient_record, drafts ? &*drafts : nullptr, now,
                                  Availability(missing)));

  CardContext card_context;
  card_context.hook_instance = request.hook_instance();
  card_context.patient_id = patient_id;
  auto encounter = request.context().find("encounterId");
  if (encounter != request.context().end()) card_context.encounter_id = encounter->second;
  card_context.now = now;
  card_context.source_url = options_.source_url;
  for (v1::CdsCard& card : BuildCards(result.assessment, card_context)) {
    *result.response.add_cards() = std::move(card);
  }
  return result;
}

}  // namespace thrombo::service
