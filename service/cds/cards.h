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
#include "risk/evidence_refs.h"
#include "risk/score_tally.h"

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
  // Where the assessment's evidence text is held when not in its protos (risk/evidence_refs.h);
  // null: in the protos.
  const risk::EvidenceRefs* evidence_refs = nullptr;
};

// The draft MedicationRequest a suggestion creates, as plain data: written straight into the
// response as FHIR JSON (response_json.h) or built as a proto (BuildMedicationRequest) for gRPC.
struct DraftMedicationRequest {
  std::string rxnorm_code;     // medicationCodeableConcept.coding (absent when empty)
  std::string rxnorm_display;
  std::string medication_text;  // "enoxaparin 40 mg SC once daily"
  std::string dose_text;        // dosageInstruction.text
  int doses_per_day = 0;        // timing.repeat.frequency per 1 d (absent when 0)
  bool subcutaneous = false;    // route: SNOMED CT subcutaneous, else oral
  double dose_mg = 0;           // doseQuantity in mg (absent when not positive)
  std::string patient_id;       // subject: Patient/<id>
  std::string encounter_id;     // encounter: Encounter/<id> (absent when empty)
  absl::Time authored_on;       // authoredOn, to the second, UTC
};

// The draft order's fixed vocabulary, shared by the proto and the JSON writers.
inline constexpr char kRxNormSystem[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kSnomedSystem[] = "http://snomed.info/sct";
inline constexpr char kUcumSystem[] = "http://unitsofmeasure.org";
inline constexpr char kDraftOrderReason[] =
    "Venous thromboembolism prophylaxis during immunomodulatory drug therapy";
// SNOMED CT route codes: 34206005 Subcutaneous route, 26643006 Oral route.
inline const char* RouteCode(bool subcutaneous) { return subcutaneous ? "34206005" : "26643006"; }
inline const char* RouteDisplay(bool subcutaneous) {
  return subcutaneous ? "Subcutaneous route" : "Oral route";
}
// doseQuantity.value's decimal text ("40", "2.5").
std::string DoseValueText(double dose_mg);

// One suggestion: optionally stop the current order (rule 22), then create the draft order.
struct CardSuggestion {
  std::string label;
  std::string uuid;
  bool is_recommended = false;
  std::string stop_description;  // the "delete" action; both empty when there is none
  std::string stop_resource_id;  // "MedicationRequest/<id>"
  std::string create_description;
  DraftMedicationRequest order;
};

// One card as plain data, written to JSON or converted to a v1::CdsCard. Its source label is
// always kSourceLabel. A card with suggestions has selectionBehavior "at-most-one" and the
// coded override reasons; a prophylaxis card links its references.
struct Card {
  std::string uuid;
  std::string summary;
  std::string detail;
  std::string indicator;
  std::string source_url;  // optional
  std::vector<CardSuggestion> suggestions;
  bool links_references = false;
};

// CdsSource.label of every card.
inline constexpr char kSourceLabel[] = "Thrombo: thromboprophylaxis for myeloma on IMiDs";

// The coded override reasons of a card with suggestions (CDS Hooks 2.0 overrideReasons), in the
// system kOverrideReasonSystem.
struct OverrideReason {
  const char* code;
  const char* display;
};
inline constexpr char kOverrideReasonSystem[] = "urn:thrombo:cds:override-reason";
inline constexpr OverrideReason kOverrideReasons[] = {
    {"already-anticoagulated", "Patient is already on anticoagulation or prophylaxis"},
    {"bleeding-risk", "Bleeding risk outweighs the benefit"},
    {"patient-declined", "Patient declined"},
    {"different-agent", "A different agent or dose was chosen"},
    {"risk-assessed-differently", "Clinician assessed the thrombosis risk differently"},
};

// The sources behind the recommendation, linked from the prophylaxis card (link type
// "absolute"; docs/clinical.md sections 1, 2 and 5).
struct ReferenceLink {
  const char* label;
  const char* url;
};
inline constexpr ReferenceLink kReferenceLinks[] = {
    {"IMPEDE VTE: Sanfilippo et al., Am J Hematol 2019", "https://doi.org/10.1002/ajh.25603"},
    {"IMWG 2008: Palumbo et al., Leukemia 2008", "https://doi.org/10.1038/sj.leu.2405062"},
    {"ASCO VTE prophylaxis and treatment in cancer, 2023 update",
     "https://doi.org/10.1200/JCO.23.00294"},
};

// Which advice a card carries, so a caller can choose cards by kind (the order hooks answer only
// what is being ordered) without reading uuids or text.
enum class CardKind { kProphylaxis, kEsa, kEstrogen, kArterial };

struct BuiltCard {
  CardKind kind;
  Card card;
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
// The scores' terms are read from `terms` when given (an assessment made with them: engine.h),
// otherwise from the assessment's components.
std::vector<BuiltCard> BuildCardsWithKinds(const v1::Assessment& assessment,
                                           const CardContext& context,
                                           const risk::ScoreTerms* terms = nullptr);

// BuildCardsWithKinds as protos (gRPC, the CLI, tests).
std::vector<v1::CdsCard> BuildCards(const v1::Assessment& assessment, const CardContext& context);

v1::CdsCard CardToProto(const Card& card);
fhir::r4::MedicationRequest MedicationRequestToProto(const DraftMedicationRequest& order);

// The response of `cards` as a proto, in order (gRPC, the CLI).
v1::CdsHooksResponse CardsToResponse(const std::vector<Card>& cards);

// The draft order for one suggested agent (exposed for tests).
fhir::r4::MedicationRequest BuildMedicationRequest(const v1::AgentSuggestion& agent,
                                                   const CardContext& context);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_CARDS_H_
