// Copyright 2026 The Thrombo Authors.
// CDS Hooks semantics, shared by HTTP and gRPC: validate the call, assemble the record from
// prefetch (fetching what is missing), assess, and build the cards.
#ifndef THROMBO_SERVICE_CDS_HOOK_SERVICE_H_
#define THROMBO_SERVICE_CDS_HOOK_SERVICE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "risk/engine.h"
#include "service/cds/cards.h"
#include "service/cds/hook_deviations.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/order_relevance.h"
#include "service/cds/prefetch_gather.h"
#include "service/fhir_client/fhir_fetcher.h"

namespace thrombo::service {

struct HookResult {
  // An empty Assessment on the result's own arena.
  HookResult();

  // The assessment the cards were built from, without its scores' components: those are
  // score_terms, which the cards read without copying them into protos. It lives on an arena
  // the result owns (one per call), so its messages are neither allocated nor freed one by one.
  const v1::Assessment& assessment() const { return *assessment_; }
  v1::Assessment* mutable_assessment() { return assessment_; }
  // The scores' terms (engine.h), referring to assessment()'s facts and the engine's policy.
  risk::ScoreTerms score_terms;
  // The text of assessment()'s evidence, kept beside it (risk/evidence_refs.h): the cards read
  // it there; CompleteAssessment writes it in.
  risk::EvidenceRefs evidence_refs;
  // assessment() with score_terms written in as components and its evidence's text in its
  // protos, as Engine::Assess gives it: where the whole Assessment is the output (the CLI,
  // tests).
  v1::Assessment CompleteAssessment() const;

  // The cards answered, in order: written to JSON by AppendCdsResponseJson (response_json.h) or
  // converted by CardsToResponse (cards.h) where a proto is the output (gRPC, the CLI).
  std::vector<Card> cards;
  std::vector<PrefetchOutcome> prefetch;
  // Record categories that were missing, came back incomplete, or had an element the decision
  // reads that could not be read, as the card names them.
  std::vector<std::string> incomplete_data;
  // Every deviation accepted for this call: the parser's, plus prefetch keys this service did
  // not ask for ("unrequested_prefetch_key") and a missing hookInstance.
  std::vector<HookDeviation> deviations;
  // The deviations that made a data category UNKNOWN (paths, for the log).
  std::vector<std::string> costly_deviation_paths;
  // Order hooks: why the order got the cards it got, e.g. "no drug this service advises on"
  // (for the log; never patient data).
  std::string order_decision;
  // False when an order hook was answered from its draft orders alone (no patient gets a card
  // for what is ordered): assessment() then holds only the policy version, and the call is
  // counted and audited as NOT_ASSESSED (ActionName).
  bool assessed = true;

 private:
  std::unique_ptr<google::protobuf::Arena> arena_;
  v1::Assessment* assessment_;  // on *arena_, which a move carries along
};

// The action a hook answer is counted and audited under: its recommendation's action
// ("ANTICOAGULANT", ...), or "NOT_ASSESSED" when no assessment was made.
std::string_view ActionName(const HookResult& result);

// Options for an arena that holds one call's Assessment: a first block large enough for a
// typical one (about 27 KB on arena for a 60-resource record), so that a call mallocs one block
// instead of about eight (the default grows from 256 bytes to 8 KB blocks).
google::protobuf::ArenaOptions AssessmentArenaOptions();

struct HookServiceOptions {
  // Total time for fetch-on-miss; the hook answers within its 500 ms budget with what it has.
  absl::Duration fetch_budget = absl::Milliseconds(350);
  std::string source_url;  // CdsSource.url on cards
  // The evidence's text kept beside the Assessment (HookResult::evidence_refs), where the cards
  // read it, instead of in its protos: 13% fewer engine instructions (docs/benchmarks.md,
  // "twenty-fourth round"). False writes it into the protos, as the engine's other callers do;
  // tests/differential compares the two.
  bool evidence_text_beside = true;
  // An order hook whose orders in focus no patient gets a card for (order_relevance.h,
  // NoCardForAnyPatient) is answered from its draft orders alone: no card, and the prefetch is
  // neither required nor fetched. False assesses the patient all the same, for `thrombo
  // assess`, whose assessment and explain formats show it whatever was ordered.
  bool answer_unconcerned_orders_from_drafts = true;
};

// Thread-safe after construction; `engine` and `fetcher` must outlive it. `fetcher` may be null
// (no fetch-on-miss: missing required data gives FailedPrecondition).
class HookService final {
 public:
  HookService(const risk::Engine& engine, const FhirFetcher* fetcher,
              std::function<absl::Time()> clock, HookServiceOptions options = {});

  const v1::CdsServices& discovery() const { return discovery_; }

  // Evaluates one hook call. Errors: NotFound (unknown service id), InvalidArgument (malformed
  // or inconsistent request: wrong hook for the service, missing hookInstance or context field,
  // fhirAuthorization without fhirServer, a prefetch Patient that is not context.patientId),
  // FailedPrecondition (the patient or the medication requests could be neither prefetched nor
  // fetched: HTTP 412; never for an order answered from its drafts alone, below).
  //
  // Order hooks answer the order (order_relevance.h): an IMiD order gets every card; an ESA or
  // estrogen order for a patient on an IMiD its co-therapy card; an anticoagulant or
  // antiplatelet order for a patient on an IMiD the prophylaxis card only when it disagrees with
  // the recommendation made without it (or a hard stop applies); anything else, and an order
  // that names no drug yet, no card, answered from the draft orders alone (the record is neither
  // required nor fetched; HookServiceOptions). patient-view always gets the standing cards.
  // `lab_observations` is the table the request's Observation views were read into, if any
  // (the gRPC hook path's ParseHookRequestWire).
  absl::StatusOr<HookResult> Evaluate(
      const v1::EvaluateHookRequest& request,
      const fhir::LabObservationTable* lab_observations = nullptr) const;

  // The same for a request read by the tolerant parser, with what it accepted: a dropped element
  // the decision reads makes its category UNKNOWN (hook_deviations.h); prefetch keys this
  // service did not ask for are read by resource type; a missing hookInstance is named from the
  // call. Required context still fails: InvalidArgument. `lab_observations` is the table
  // ParseHookRequestJsonProjected read the request's Observations into (may be null).
  absl::StatusOr<HookResult> Evaluate(
      const v1::EvaluateHookRequest& request, std::vector<HookDeviation> deviations,
      const fhir::LabObservationTable* lab_observations = nullptr) const;

 private:
  absl::StatusOr<HookResult> Evaluate(const v1::EvaluateHookRequest& request,
                                      std::vector<HookDeviation> deviations, bool tolerant,
                                      const fhir::LabObservationTable* lab_observations) const;
  // The order hooks' cards: of `cards` (for the assessment with the drafts), those the orders in
  // `focus` call for, plus the prophylaxis card of the recommendation made without an
  // antithrombotic order when that order disagrees with it.
  absl::StatusOr<std::vector<BuiltCard>> CardsForOrders(
      const v1::EvaluateHookRequest& request, const OrderFocus& focus,
      const fhir::PatientRecord& record, const risk::DataAvailability& available, absl::Time now,
      const CardContext& card_context, std::vector<BuiltCard> cards, HookResult* result) const;

  const risk::Engine& engine_;
  const FhirFetcher* fetcher_;
  std::function<absl::Time()> clock_;
  HookServiceOptions options_;
  v1::CdsServices discovery_;
  // Each service's prefetch templates by key, made once (a call used to copy them into a map).
  std::map<std::string, std::map<std::string, std::string>> templates_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_SERVICE_H_
