// Copyright 2026 The Thrombo Authors.
#include "service/cds/order_relevance.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace thrombo::service {
namespace {

using fhir::r4::CodeableConcept;
using fhir::r4::MedicationRequest;

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The drug of `order`: medicationCodeableConcept, the code of the Medication its
// medicationReference points to (contained or in the Bundle), or, when that Medication was not
// received, the reference's display as text (in `*named`), as the engine reads it
// (risk/medication_facts.cc). Null when it names none; `*unknown` is then set when it refers to
// a Medication that was not received and has no display, so that its drug cannot be read.
const CodeableConcept* DrugOf(const MedicationRequest& order, const fhir::PatientRecord& drafts,
                              CodeableConcept* named, bool* unknown) {
  if (order.has_medication_codeable_concept()) return &order.medication_codeable_concept();
  if (order.has_medication_reference()) {
    const fhir::r4::Medication* medication =
        drafts.ResolveMedication(order.medication_reference(), order);
    if (medication != nullptr) return medication->has_code() ? &medication->code() : nullptr;
    if (order.medication_reference().display().empty()) {
      *unknown = true;
      return nullptr;
    }
    named->set_text(order.medication_reference().display());
    return named;
  }
  return nullptr;
}

bool IsAntithrombotic(v1::DrugRole role) {
  switch (role) {
    case v1::VKA:
    case v1::DOAC:
    case v1::LMWH:
    case v1::HEPARIN:
    case v1::FONDAPARINUX:
    case v1::ASPIRIN:
    case v1::ANTIPLATELET_OTHER:
      return true;
    default:
      return false;
  }
}

// The first dosage's dose in mg (UCUM "mg" or unit text "mg"); 0 when absent or otherwise.
double DoseMg(const MedicationRequest& order) {
  if (order.dosage_instruction().empty()) return 0;
  const auto& dosage = order.dosage_instruction(0);
  if (dosage.dose_and_rate().empty() || !dosage.dose_and_rate(0).has_dose_quantity()) return 0;
  const fhir::r4::Quantity& q = dosage.dose_and_rate(0).dose_quantity();
  if (q.code() != "mg" && q.unit() != "mg") return 0;
  double value = 0;
  return absl::SimpleAtod(q.value().value(), &value) && value > 0 ? value : 0;
}

bool SameDose(double a, double b) { return std::fabs(a - b) < 1e-6; }

}  // namespace

OrderFocus ClassifyDraftOrders(const fhir::PatientRecord& drafts,
                               const std::vector<std::string>& selections,
                               const std::vector<std::string>& unreadable_draft_ids,
                               const risk::Terminology& terminology) {
  OrderFocus focus;
  for (const MedicationRequest* order : drafts.medication_requests()) {
    const std::string id = absl::StrCat("MedicationRequest/", order->id());
    if (!selections.empty() && !Contains(selections, id)) continue;
    if (Contains(unreadable_draft_ids, id) || Contains(unreadable_draft_ids, "*")) {
      focus.unreadable = true;
      focus.empty = false;
    }
    CodeableConcept named;
    bool unknown = false;
    const CodeableConcept* drug = DrugOf(*order, drafts, &named, &unknown);
    if (unknown) {  // as a drug dropped as malformed: it may be an IMiD
      focus.unreadable = true;
      focus.empty = false;
    }
    if (drug == nullptr) continue;
    focus.empty = false;
    for (const risk::DrugMatch& match : terminology.MatchDrug(*drug)) {
      const v1::DrugRole role = match.concept->role();
      if (role == v1::IMID) focus.imid = true;
      if (role == v1::ESA) focus.esa = true;
      if (role == v1::ESTROGEN) focus.estrogen = true;
      if (IsAntithrombotic(role)) {
        focus.antithrombotics.push_back({match.concept->ingredient(), role, DoseMg(*order), id});
      }
    }
  }
  return focus;
}

CardPlan PlanCards(const OrderFocus& focus, bool on_imid) {
  CardPlan plan;
  if (focus.imid || focus.unreadable) {
    plan.prophylaxis = plan.esa = plan.estrogen = true;
    return plan;
  }
  if (!on_imid) return plan;
  plan.esa = focus.esa;
  plan.estrogen = focus.estrogen;
  plan.check_antithrombotic = !focus.antithrombotics.empty();
  return plan;
}

bool NoCardForAnyPatient(const OrderFocus& focus) {
  return PlanCards(focus, /*on_imid=*/true).ShowsNoCard() &&
         PlanCards(focus, /*on_imid=*/false).ShowsNoCard();
}

std::string OrderDisagrees(const OrderedAgent& agent, const v1::Recommendation& baseline) {
  const bool heparin = agent.role == v1::LMWH || agent.role == v1::HEPARIN;
  for (const v1::HardStop& stop : baseline.hard_stops()) {
    if (!stop.heparins_only() || heparin) return absl::StrCat("hard stop ", stop.id());
  }
  // Not VTE prophylaxis (P2Y12 inhibitors etc.): only a hard stop makes it this card's concern.
  if (agent.role == v1::ANTIPLATELET_OTHER) return "";
  for (const v1::ExcludedAgent& excluded : baseline.excluded_agents()) {
    if (excluded.ingredient() == agent.ingredient) return "agent excluded by the engine";
  }
  switch (baseline.action()) {
    case v1::Recommendation::ALREADY_ANTICOAGULATED:
      return "the patient is already anticoagulated";
    case v1::Recommendation::WITHHOLD_PHARMACOLOGIC:
      return "pharmacologic prophylaxis is withheld";
    case v1::Recommendation::ANTICOAGULANT:
    case v1::Recommendation::ASPIRIN:
      break;
    default:
      return "";
  }
  for (const auto* list : {&baseline.agents(), &baseline.alternatives()}) {
    for (const v1::AgentSuggestion& suggestion : *list) {
      if (suggestion.ingredient() != agent.ingredient) continue;
      // Warfarin is dosed by INR (dose_mg 0): any dose agrees.
      if (suggestion.dose_mg() == 0) return "";
      if (agent.dose_mg == 0) return "the ordered dose cannot be read";
      if (SameDose(suggestion.dose_mg(), agent.dose_mg)) return "";
      return "the ordered dose differs from the recommended dose";
    }
  }
  return "agent not among the recommended agents";
}

}  // namespace thrombo::service
