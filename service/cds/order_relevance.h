// Copyright 2026 The Thrombo Authors.
// Which guidance an order hook owes the order being placed: the drug classes of the draft orders
// in focus (order-select: the selections; order-sign: every draft), read with the engine's
// terminology, and, for an anticoagulant or antiplatelet, whether the order matches what the
// engine recommends. No clinical rule lives here: classes come from the policy's DrugRole and
// agreement from the engine's Recommendation.
#ifndef THROMBO_SERVICE_CDS_ORDER_RELEVANCE_H_
#define THROMBO_SERVICE_CDS_ORDER_RELEVANCE_H_

#include <string>
#include <vector>

#include "fhir/patient_record.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/terminology.h"

namespace thrombo::service {

// One draft order in focus that prescribes an anticoagulant or an antiplatelet.
struct OrderedAgent {
  std::string ingredient;  // the policy's ingredient name, e.g. "apixaban"
  v1::DrugRole role = v1::DRUG_ROLE_UNSPECIFIED;
  double dose_mg = 0;      // the first dosage's doseQuantity in mg; 0 when it cannot be read
  std::string order_id;    // "MedicationRequest/<id>", for the log
};

// What is being ordered.
struct OrderFocus {
  bool imid = false;       // an IMiD (thalidomide, lenalidomide, pomalidomide)
  bool esa = false;        // an erythropoiesis-stimulating agent
  bool estrogen = false;   // an estrogen-containing product
  std::vector<OrderedAgent> antithrombotics;  // anticoagulants and antiplatelets
  // An order in focus whose drug could not be read (its medication[x] was dropped as malformed,
  // or it refers to a Medication that was not received and has no display): it may be an IMiD,
  // so it is treated like one (clinical safety wins ties).
  bool unreadable = false;
  // No order in focus names a drug (the Sandbox's Rx View before a drug is chosen).
  bool empty = true;
};

// Classifies the MedicationRequests of `drafts` (the draftOrders Bundle as a record). With
// non-empty `selections` ("MedicationRequest/123"), only the selected orders are in focus
// (CDS Hooks order-select: decision support focuses on the selections); other order types
// (NutritionOrder, ServiceRequest) are never in focus. `unreadable_draft_ids` lists orders whose
// medication[x] was dropped (ids as "MedicationRequest/<id>", or "*" for any).
OrderFocus ClassifyDraftOrders(const fhir::PatientRecord& drafts,
                               const std::vector<std::string>& selections,
                               const std::vector<std::string>& unreadable_draft_ids,
                               const risk::Terminology& terminology);

// Which cards the order hook shows.
struct CardPlan {
  bool prophylaxis = false;  // the VTE prophylaxis card (with the arterial card it carries)
  bool esa = false;          // the ESA co-therapy card
  bool estrogen = false;     // the estrogen co-therapy card
  // An antithrombotic order to compare with the recommendation made without it
  // (OrderDisagrees); the prophylaxis card only when it disagrees.
  bool check_antithrombotic = false;

  bool ShowsNoCard() const { return !prophylaxis && !esa && !estrogen && !check_antithrombotic; }
};

// The plan for `focus` when the patient is (`on_imid`) or is not on an IMiD (active, or
// ordered in the same session). An IMiD order, or an unreadable one, gets every card; an ESA or
// estrogen order for a patient on an IMiD gets its co-therapy card; an antithrombotic order for
// a patient on an IMiD is checked; anything else (amoxicillin, an empty draft) gets none.
CardPlan PlanCards(const OrderFocus& focus, bool on_imid);

// Whether `focus` gets no card whoever the patient is: PlanCards shows none for a patient on an
// IMiD and none for one who is not (amoxicillin, a diet, a draft that names no drug yet). Such
// an order needs nothing from the patient's record to be answered.
bool NoCardForAnyPatient(const OrderFocus& focus);

// Why `agent` disagrees with `baseline` (the recommendation made without the antithrombotic
// orders), or "" when it agrees: a hard stop that forbids it, an agent the engine excluded, a
// second anticoagulant for a patient already anticoagulated, an agent the engine does not
// suggest, or a dose that differs from the suggested one (or cannot be read). An antiplatelet
// other than aspirin is not VTE prophylaxis: it disagrees only when a hard stop applies.
std::string OrderDisagrees(const OrderedAgent& agent, const v1::Recommendation& baseline);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_ORDER_RELEVANCE_H_
