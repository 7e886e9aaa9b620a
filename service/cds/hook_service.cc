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
  // `gathered.owned`: copying tens of kilobytes of FHIR into one Bundle, then freeing it, was a
  // sixth of a call's work.
  const std::map<std::string, std::string> templates(service->prefetch().begin(),
                                                     service->prefetch().end());
  GatheredPrefetch gathered = GatherPrefetch(request, templates, fetcher_,
                                             absl::Now() + options_.fetch_budget);
  result.prefetch = std::move(gathered.outcomes);
  result.incomplete_data = gathered.incomplete_data;
  const std::set<std::string>& missing = gathered.missing;
  const std::set<std::string> nulls(request.null_prefetch_keys().begin(),
                                    request.null_prefetch_keys().end());
  for (const char* required : {kPrefetchPatient, kPrefetchMedicationRequests}) {
    if (missing.count(required)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "prefetch '", required, "' was not sent and could not be fetched",
          request.fhir_server().empty()         ? " (no fhirServer)"
          : !request.has_fhir_authorization() ? " (no fhirAuthorization to fetch it with)"
                                                : " from fhirServer",
          " at prefetch.", required));
    }
  }

  if (nulls.count(kPrefetchPatient) && !request.prefetch().count(kPrefetchPatient)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "prefetch.patient is null (the client found no such Patient), yet context.patientId is ",
        patient_id, " at prefetch.patient"));
  }
  ASSIGN_OR_RETURN(fhir::PatientRecord patient_record,
                   fhir::PatientRecord::FromResources(gathered.sources, patient_id));
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
                                  gathered.available));

  CardContext card_context;
  card_context.hook_instance = request.hook_instance();
  card_context.patient_id = patient_id;
  auto encounter = request.context().find("encounterId");
  if (encounter != request.context().end()) card_context.encounter_id = encounter->second;
  card_context.now = now;
  card_context.source_url = options_.source_url;
  card_context.hook = request.hook();
  card_context.incomplete_data = std::move(gathered.incomplete_data);
  card_context.medications_incomplete = gathered.medications_incomplete;
  for (v1::CdsCard& card : BuildCards(result.assessment, card_context)) {
    *result.response.add_cards() = std::move(card);
  }
  return result;
}

}  // namespace thrombo::service
