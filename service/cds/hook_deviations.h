// Copyright 2026 The Thrombo Authors.
// Fail-safe reading of what the tolerant hook path accepted: an element the decision reads that
// was left out (wrong shape or value) or missing makes its data category UNKNOWN, never
// "normal"; an element it does not read costs nothing (docs/clinical.md, policy v1.1 rule 14).
#ifndef THROMBO_SERVICE_CDS_HOOK_DEVIATIONS_H_
#define THROMBO_SERVICE_CDS_HOOK_DEVIATIONS_H_

#include <string>
#include <vector>

#include "proto/thrombo/v1/service.pb.h"
#include "risk/facts.h"
#include "service/cds/hook_request_json.h"

namespace thrombo::service {

// What the deviations of one request cost the decision.
struct DeviationEffects {
  // Categories whose facts must be UNKNOWN: each false here is ANDed into the availability.
  risk::DataAvailability available;
  // Draft orders whose drug could not be read ("MedicationRequest/<id>", or "*" when the
  // draftOrders entries themselves were unreadable): they may be an IMiD.
  std::vector<std::string> unreadable_draft_ids;
  // Deviations that cost a category, for the log.
  std::vector<const HookDeviation*> costly;
};

// Reads `deviations` against `request` (for the prefetch keys and draftOrders ids):
// - prefetch data: a dropped or missing element the facts read (by resource: Observation
//   code/value/status/effective, MedicationRequest medication/status/intent/dosage/authoredOn,
//   Condition code/clinicalStatus/onset, AllergyIntolerance code/status/reaction, and anything
//   not known to be unread) marks its category; a dropped searchset `entry` marks the key's
//   category (every category for a key this service did not ask for);
// - draftOrders: a dropped drug or dosage marks medication requests UNKNOWN and a dropped drug
//   lists the order as unreadable. A draft's missing intent or status costs nothing: the hook
//   defines draftOrders as orders being placed;
// - one object read as an array, a byte-order mark, an old field or an unrequested key cost
//   nothing: their meaning is clear.
// Patient elements have no category flag: a dropped birthDate or gender is absent, which the
// facts already read as UNKNOWN.
DeviationEffects EffectsOf(const std::vector<HookDeviation>& deviations,
                           const v1::EvaluateHookRequest& request);

// `a` AND `b`, per category.
risk::DataAvailability Both(const risk::DataAvailability& a, const risk::DataAvailability& b);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_DEVIATIONS_H_
