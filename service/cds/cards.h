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
  std::string hook_instance;  // names the card and suggestion uuids
  std::string patient_id;     // Patient logical id, for MedicationRequest.subject
  std::string encounter_id;   // optional, for MedicationRequest.encounter
  absl::Time now;             // MedicationRequest.authoredOn
  std::string source_url;     // optional CdsSource.url
};

// The cards for `assessment`, in order: the prophylaxis card (unless no IMiD is active or
// ordered, which gives no cards at all), then co-therapy (ESA, estrogen) and arterial-risk cards.
// Every card and suggestion has a uuid; suggestions carry complete draft MedicationRequests;
// a card with suggestions has selectionBehavior "at-most-one" and coded override reasons.
// Never suggests a drug when a hard stop applies. Pure and thread-safe.
std::vector<v1::CdsCard> BuildCards(const v1::Assessment& assessment, const CardContext& context);

// The draft order for one suggested agent (exposed for tests).
fhir::r4::MedicationRequest BuildMedicationRequest(const v1::AgentSuggestion& agent,
                                                   const CardContext& context);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_CARDS_H_
