// Copyright 2026 The Thrombo Authors.
#include "service/cds/hook_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fhir/parse_issue.h"
#include "fhir/patient_record.h"
#include "base/status_macros.h"
#include "risk/facts.h"
#include "service/cds/cards.h"
#include "service/cds/discovery.h"
#include "service/cds/hook_deviations.h"
#include "service/cds/order_relevance.h"
#include "service/cds/prefetch_gather.h"
#include "service/cds/uuid.h"
#include "service/fhir_client/prefetch_template.h"

namespace thrombo::service {
namespace {

using fhir::r4::Bundle;
using fhir::r4::ContainedResource;

absl::Status ValidateEnvelope(const v1::EvaluateHookRequest& request,
                              const v1::CdsService& service, bool tolerant) {
  using fhir::IssueType;
  using fhir::MakeParseError;
  if (request.hook().empty()) return MakeParseError(IssueType::kRequired, "hook is required", "hook");
  if (request.hook() != service.hook()) {
    return MakeParseError(IssueType::kValue,
                          absl::StrCat("hook '", request.hook(), "' does not match service '",
                                       service.id(), "', which answers '", service.hook(), "'"),
                          "hook");
  }
  if (request.hook_instance().empty() && !tolerant) {
    return MakeParseError(IssueType::kRequired, "hookInstance is required", "hookInstance");
  }
  const bool orders = service.hook() == "order-select" || service.hook() == "order-sign";
  for (const char* field : {"patientId", "userId"}) {
    // patient-view: only the patient decides what is assessed; userId (REQUIRED by the hook)
    // feeds no prefetch template of this service, so the tolerant path does without it.
    if (tolerant && !orders && std::string_view(field) == "userId") continue;
    auto it = request.context().find(field);
    if (it == request.context().end() || it->second.empty()) {
      return MakeParseError(IssueType::kRequired,
                            absl::StrCat("context.", field, " is required for ", service.hook()),
                            absl::StrCat("context.", field));
    }
  }
  if (orders && !request.has_draft_orders()) {
    return MakeParseError(
        IssueType::kRequired,
        absl::StrCat("context.draftOrders (a FHIR Bundle) is required for ", service.hook()),
        "context.draftOrders");
  }
  if (service.hook() == "order-select" && request.selections().empty()) {
    return MakeParseError(IssueType::kRequired, "context.selections is required for order-select",
                          "context.selections");
  }
  if (request.has_fhir_authorization() && request.fhir_server().empty()) {
    return MakeParseError(IssueType::kRequired,
                          "fhirServer is required when fhirAuthorization is present",
                          "fhirServer");
  }
  return absl::OkStatus();
}

// Categories a dropped element the decision reads made UNKNOWN (hook_deviations.h), said on the
// card beside what the prefetch left incomplete; medications among them leave no one-click order.
// Records a request without hookInstance as the deviation it is (accepted, and counted);
// true when it was one.
bool NoteMissingHookInstance(const v1::EvaluateHookRequest& request,
                             std::vector<HookDeviation>* deviations) {
  if (!request.hook_instance().empty()) return false;
  deviations->push_back({"missing_hook_instance", "hookInstance", "", ""});
  return true;
}

void AddUnreadableData(const DeviationEffects& effects, CardContext* context) {
  for (const DataCategory& category : DataCategories()) {
    if (effects.available.*category.flag) continue;
    context->incomplete_data.push_back(absl::StrCat(
        category.label, ": an element the decision reads could not be read, so it counts as "
        "unknown"));
    if (category.medications) context->medications_incomplete = true;
  }
}

// The observations the facts read: the policy's labs and vitals, and smoking status.
std::vector<std::string> ObservationCodes(const risk::Engine& engine) {
  std::vector<std::string> codes = engine.terminology().ObservationCodeTokens();
  codes.push_back(risk::kSmokingStatusLoinc);
  return codes;
}

}  // namespace

google::protobuf::ArenaOptions AssessmentArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 32 * 1024;
  options.max_block_size = 32 * 1024;
  return options;
}

std::string_view ActionName(const HookResult& result) {
  if (!result.assessed) return "NOT_ASSESSED";
  return v1::Recommendation::Action_Name(result.assessment().recommendation().action());
}

HookResult::HookResult()
    : arena_(std::make_unique<google::protobuf::Arena>(AssessmentArenaOptions())),
      assessment_(google::protobuf::Arena::CreateMessage<v1::Assessment>(arena_.get())) {}

v1::Assessment HookResult::CompleteAssessment() const {
  evidence_refs.Materialize();  // into the result's own messages, before they are copied
  v1::Assessment complete = *assessment_;
  risk::WriteComponents(score_terms.impede_vte,
                        complete.mutable_impede_vte()->mutable_components());
  risk::WriteComponents(score_terms.saved, complete.mutable_saved()->mutable_components());
  risk::WriteComponents(score_terms.imwg2008, complete.mutable_imwg2008()->mutable_components());
  return complete;
}

HookService::HookService(const risk::Engine& engine, const FhirFetcher* fetcher,
                         std::function<absl::Time()> clock, HookServiceOptions options)
    : engine_(engine),
      fetcher_(fetcher),
      clock_(std::move(clock)),
      options_(std::move(options)),
      discovery_(BuildDiscovery(ObservationCodes(engine))) {
  for (const v1::CdsService& service : discovery_.services()) {
    templates_[service.id()].insert(service.prefetch().begin(), service.prefetch().end());
  }
}

absl::StatusOr<HookResult> HookService::Evaluate(
    const v1::EvaluateHookRequest& request,
    const fhir::LabObservationTable* lab_observations) const {
  return Evaluate(request, {}, /*tolerant=*/false, lab_observations);
}

absl::StatusOr<HookResult> HookService::Evaluate(
    const v1::EvaluateHookRequest& request, std::vector<HookDeviation> deviations,
    const fhir::LabObservationTable* lab_observations) const {
  return Evaluate(request, std::move(deviations), /*tolerant=*/true, lab_observations);
}

absl::StatusOr<HookResult> HookService::Evaluate(
    const v1::EvaluateHookRequest& request, std::vector<HookDeviation> deviations,
    bool tolerant, const fhir::LabObservationTable* lab_observations) const {
  const v1::CdsService* service = FindService(discovery_, request.service_id());
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("no CDS service '", request.service_id(), "'"));
  }
  RETURN_IF_ERROR(ValidateEnvelope(request, *service, tolerant));
  const absl::Time now = request.has_evaluation_time()
                             ? absl::FromUnixSeconds(request.evaluation_time().seconds()) +
                                   absl::Nanoseconds(request.evaluation_time().nanos())
                             : clock_();
  const std::string& patient_id = request.context().at("patientId");

  // Order hooks: what is being ordered is read first, from the draft orders alone.
  const bool order_hook = service->hook() == "order-select" || service->hook() == "order-sign";
  std::optional<fhir::PatientRecord> drafts;
  absl::Status drafts_status;  // answered where the record's own errors are, as before
  if (request.has_draft_orders()) {
    absl::StatusOr<fhir::PatientRecord> indexed =
        fhir::PatientRecord::FromBundle(request.draft_orders(), "");
    if (indexed.ok()) {
      drafts = *std::move(indexed);
    } else {
      drafts_status = indexed.status();
    }
  }
  std::optional<OrderFocus> focus;
  if (order_hook && drafts.has_value()) {
    // Unreadable drafts are known from the parser's deviations, all recorded by now.
    const std::vector<std::string> selections(request.selections().begin(),
                                              request.selections().end());
    focus = ClassifyDraftOrders(*drafts, selections,
                                EffectsOf(deviations, request).unreadable_draft_ids,
                                engine_.terminology());
    // An order no patient gets a card for (amoxicillin, a diet, a draft naming no drug yet) is
    // answered without the record: its prefetch is neither required nor fetched, so a client
    // that sends none, or a FHIR server that cannot be reached, costs such an order neither a
    // 412 nor a round trip, and the service no assessment.
    if (options_.answer_unconcerned_orders_from_drafts && NoCardForAnyPatient(*focus)) {
      HookResult result;
      result.assessed = false;
      result.mutable_assessment()->set_policy_version(engine_.rules().policy_version);
      result.order_decision = focus->empty ? "no drug ordered yet (record not read)"
                                           : "no drug this service advises on (record not read)";
      NoteMissingHookInstance(request, &deviations);
      result.deviations = std::move(deviations);
      return result;
    }
  }

  HookResult result;
  // The record is indexed over the prefetch values where they are, in the request or in
  // `gathered.owned`: copying tens of kilobytes of FHIR into one Bundle, then freeing it, was a
  // sixth of a call's work.
  const std::map<std::string, std::string>& templates = templates_.at(service->id());
  GatheredPrefetch gathered = GatherPrefetch(request, templates, fetcher_,
                                             absl::Now() + options_.fetch_budget);
  result.prefetch = std::move(gathered.outcomes);
  std::vector<const ContainedResource*>& sources = gathered.sources;
  std::set<std::string>& missing = gathered.missing;
  const std::set<std::string> nulls(request.null_prefetch_keys().begin(),
                                    request.null_prefetch_keys().end());
  // Keys this service did not ask for (pre-2.0 clients, templates of other services): their
  // resources are read by type. They never stand in for a category this service asked for
  // (their query is unknown, so they may be partial), except the patient, which is one read.
  for (const auto& [key, value] : request.prefetch()) {
    if (templates.count(key) || IsFetchFailure(value)) continue;
    sources.push_back(&value);
    deviations.push_back({"unrequested_prefetch_key", absl::StrCat("prefetch.", key), "", ""});
    if (value.has_patient() && value.patient().id() == patient_id) missing.erase(kPrefetchPatient);
  }
  for (const char* required : {kPrefetchPatient, kPrefetchMedicationRequests}) {
    if (missing.count(required)) {
      return fhir::MakeFhirError(
          absl::StatusCode::kFailedPrecondition, fhir::IssueType::kRequired,
          absl::StrCat("prefetch '", required, "' was not sent and could not be fetched",
                       request.fhir_server().empty()         ? " (no fhirServer)"
                       : !request.has_fhir_authorization() ? " (no fhirAuthorization to fetch it with)"
                                                             : " from fhirServer"),
          absl::StrCat("prefetch.", required));
    }
  }

  if (nulls.count(kPrefetchPatient) && !request.prefetch().count(kPrefetchPatient)) {
    return fhir::MakeParseError(
        fhir::IssueType::kValue,
        absl::StrCat("prefetch.patient is null (the client found no such Patient), yet "
                     "context.patientId is ",
                     patient_id),
        "prefetch.patient");
  }
  ASSIGN_OR_RETURN(fhir::PatientRecord patient_record,
                   fhir::PatientRecord::FromResources(sources, patient_id, lab_observations));
  if (patient_record.patient() == nullptr || patient_record.patient()->id() != patient_id) {
    return fhir::MakeParseError(
        fhir::IssueType::kValue,
        absl::StrCat("prefetch.patient is not Patient/", patient_id, " (context.patientId)"),
        "prefetch.patient");
  }
  RETURN_IF_ERROR(drafts_status);
  // Every deviation is recorded before EffectsOf, which points into `deviations`.
  CardContext card_context;
  card_context.hook_instance = request.hook_instance();
  if (NoteMissingHookInstance(request, &deviations)) {
    // A client that sent no hookInstance still gets a stable, distinct call id for the cards'
    // context (card uuids do not depend on it: cards.h).
    card_context.hook_instance = NameBasedUuid(absl::StrCat(
        "no-hookInstance/", request.service_id(), "/", patient_id, "/", absl::ToUnixMicros(now)));
  }
  const DeviationEffects effects = EffectsOf(deviations, request);
  for (const HookDeviation* d : effects.costly) result.costly_deviation_paths.push_back(d->path);
  const risk::DataAvailability available = Both(gathered.available, effects.available);
  RETURN_IF_ERROR(engine_.AssessInto(patient_record, drafts ? &*drafts : nullptr, now, available,
                                     result.mutable_assessment(), &result.score_terms,
                                     options_.evidence_text_beside ? &result.evidence_refs
                                                                   : nullptr));

  card_context.patient_id = patient_id;
  auto encounter = request.context().find("encounterId");
  if (encounter != request.context().end()) card_context.encounter_id = encounter->second;
  card_context.now = now;
  card_context.source_url = options_.source_url;
  card_context.hook = request.hook();
  card_context.incomplete_data = gathered.incomplete_data;
  card_context.medications_incomplete = gathered.medications_incomplete;
  card_context.evidence_refs = &result.evidence_refs;
  AddUnreadableData(effects, &card_context);
  result.incomplete_data = card_context.incomplete_data;
  std::vector<BuiltCard> cards =
      BuildCardsWithKinds(result.assessment(), card_context, &result.score_terms);
  if (focus.has_value()) {
    ASSIGN_OR_RETURN(cards, CardsForOrders(request, *focus, patient_record, available, now,
                                           card_context, std::move(cards), &result));
  }
  result.cards.reserve(cards.size());
  for (BuiltCard& built : cards) result.cards.push_back(std::move(built.card));
  result.deviations = std::move(deviations);
  return result;
}

absl::StatusOr<std::vector<BuiltCard>> HookService::CardsForOrders(
    const v1::EvaluateHookRequest& request, const OrderFocus& focus,
    const fhir::PatientRecord& record, const risk::DataAvailability& available, absl::Time now,
    const CardContext& card_context, std::vector<BuiltCard> cards, HookResult* result) const {
  const v1::Recommendation::Action action = result->assessment().recommendation().action();
  const bool on_imid = action != v1::Recommendation::NO_RECOMMENDATION &&
                       action != v1::Recommendation::ACTION_UNSPECIFIED;
  const CardPlan plan = PlanCards(focus, on_imid);
  if (plan.prophylaxis) {
    result->order_decision = focus.imid ? "IMiD ordered" : "an order whose drug cannot be read";
    return cards;
  }
  std::vector<BuiltCard> kept;
  for (BuiltCard& built : cards) {
    if ((plan.esa && built.kind == CardKind::kEsa) ||
        (plan.estrogen && built.kind == CardKind::kEstrogen)) {
      kept.push_back(std::move(built));
    }
  }
  if (!kept.empty()) result->order_decision = "co-therapy ordered with an IMiD";
  if (plan.check_antithrombotic) {
    // Compare with the recommendation made without the antithrombotic orders: what the engine
    // would advise had the clinician not chosen one.
    fhir::r4::Bundle without;
    without.set_type(request.draft_orders().type());
    std::vector<std::string> ordered;
    for (const OrderedAgent& agent : focus.antithrombotics) ordered.push_back(agent.order_id);
    for (const fhir::r4::Bundle::Entry& entry : request.draft_orders().entry()) {
      const std::string id =
          absl::StrCat("MedicationRequest/", entry.resource().medication_request().id());
      if (entry.resource().has_medication_request() &&
          std::find(ordered.begin(), ordered.end(), id) != ordered.end()) {
        continue;
      }
      *without.add_entry() = entry;
    }
    ASSIGN_OR_RETURN(fhir::PatientRecord other_drafts, fhir::PatientRecord::FromBundle(without));
    // On its own arena: only the cards built from it outlive this block.
    google::protobuf::Arena arena(AssessmentArenaOptions());
    v1::Assessment& baseline = *google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
    risk::ScoreTerms baseline_terms;
    RETURN_IF_ERROR(
        engine_.AssessInto(record, &other_drafts, now, available, &baseline, &baseline_terms));
    std::string why;
    for (const OrderedAgent& agent : focus.antithrombotics) {
      const std::string reason = OrderDisagrees(agent, baseline.recommendation());
      if (!reason.empty() && why.empty()) why = absl::StrCat(agent.ingredient, ": ", reason);
    }
    if (!why.empty()) {
      for (BuiltCard& built : BuildCardsWithKinds(baseline, card_context, &baseline_terms)) {
        if (built.kind == CardKind::kProphylaxis) kept.insert(kept.begin(), std::move(built));
      }
      result->order_decision = absl::StrCat("antithrombotic order disagrees (", why, ")");
    } else {
      result->order_decision = "antithrombotic order agrees with the recommendation";
    }
  }
  if (result->order_decision.empty()) {
    result->order_decision = focus.empty ? "no drug ordered yet" :
                             on_imid      ? "no drug this service advises on"
                                          : "no IMiD active or ordered";
  }
  return kept;
}

}  // namespace thrombo::service
