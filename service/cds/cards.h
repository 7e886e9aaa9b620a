// Copyright 2026 The Thrombo Authors.
// Turns an Assessment into CDS Hooks cards a clinician can read in five seconds and act on in
// one click.
#ifndef THROMBO_SERVICE_CDS_CARDS_H_
#define THROMBO_SERVICE_CDS_CARDS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"

namespace thrombo::service {

// What the cards need from the hook call besides the assessment.
struct CardContext {
  std::string hook_instance;  // the call's id; uuids do not depend on it (see BuildCards)
  std::string patient_id;     // Patient logical id, for MedicationRequest.subject and uuids
  std::string encounter_id;   // optional, for MedicationRequest.encounter
  absl::Time now;             // MedicationRequest.authoredOn
  std::string source_url;     // optional CdsSource.url
  // The CDS Hooks hook answered ("patient-view", "order-select", "order-sign"; "" for the CLI
  // and gRPC). order-select cards name what to order but carry no one-click order: the order
  // set is still being composed, and the order-sign card offers it (docs/operations.md, "Cards
  // across hooks").
  std::string hook;
  // Record categories that came back incomplete or could not be obtained, one line each as the
  // card shows them, e.g. "Medication orders (MedicationRequest): only the first page of
  // several was received".
  std::vector<std::string> incomplete_data;
  // A list that could hold a current anticoagulant or aspirin (medication orders, statements,
  // dispenses, administrations) is incomplete or missing: existing anticoagulation is UNKNOWN,
  // so no agent is offered in one click (docs/clinical.md, policy v1.1 rule 14).
  bool medications_incomplete = false;
};

// The cards for `assessment`, in order: the prophylaxis card (unless no IMiD is active or
// ordered, which gives no cards at all), then co-therapy (ESA, estrogen) and arterial-risk cards.
// Every card and suggestion has a uuid named by the patient, the IMiD orders advised on and the
// advice itself, never by the call: the same advice at order-select, order-sign and the next
// chart open is the same card, so a client can replace or de-duplicate it. Suggestions carry
// complete draft MedicationRequests; only the first (preferred) agent is isRecommended and the
// others are labelled "Alternative: "; a card with suggestions has selectionBehavior
// "at-most-one" and coded override reasons. An agent is named as text but not offered in one
// click when a hard stop forbids it, when it has verify_before_ordering lines, when the
// medication lists are incomplete, or at order-select. Pure and thread-safe.
std::vector<v1::CdsCard> BuildCards(const v1::Assessment& assessment, const CardContext& context);

// Which advice a card carries, so a caller can choose cards by kind (the order hooks answer only
// what is being ordered) without reading uuids or text.
enum class CardKind { kProphylaxis, kEsa, kEstrogen, kArterial };

struct BuiltCard {
  CardKind kind;
  v1::CdsCard card;
};

// BuildCards with each card's kind, in the same order.
std::vector<BuiltCard> BuildCardsWithKinds(const v1::Assessment& assessment,
                                           const CardContext& context);

// The draft order for one suggested agent (exposed for tests).
fhir::r4::MedicationRequest BuildMedicationRequest(const v1::AgentSuggestion& agent,
                                                   const CardContext& context);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_CARDS_H_
