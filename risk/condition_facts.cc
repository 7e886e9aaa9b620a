// Copyright 2026 The Thrombo Authors.
#include "risk/condition_facts.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "risk/fhir_values.h"
#include "risk/field_text.h"

namespace thrombo::risk {

void ConditionFacts::AddCondition(const fhir::r4::Condition& cond) {
  if (IsRefutedOrInError(cond)) return;
  const bool active = IsClinicallyActive(cond);
  const std::optional<absl::Time> when = ConditionTime(cond);
  v1::ClinicalFacts& facts = c_.facts;
  for (ConditionMatch& m : c_.terminology.MatchCondition(cond.code())) {
    // Written only into a fact that takes it (most matches of an inactive condition count for
    // nothing), in place: no Evidence is built to be copied in.
    auto write = [&](v1::Evidence* e) {
      if (e != nullptr) {
        SetEvidence(c_, e, "Condition", cond.id(), "Condition.code", SourceOf(m.source),
                    m.matched);
      }
    };
    v1::Fact* fact = nullptr;
    bool counts = active;  // most associated diseases count while active
    switch (m.concept->role()) {
      case v1::MULTIPLE_MYELOMA:
        fact = facts.mutable_multiple_myeloma();
        counts = true;  // remission is still myeloma
        if (when && (!diagnosis_ || *when < *diagnosis_)) diagnosis_ = when;
        break;
      case v1::VTE:
        fact = facts.mutable_prior_vte();
        counts = true;  // history, resolved or not
        break;
      case v1::HIP_PELVIS_FEMUR_FRACTURE:
        fact = facts.mutable_hip_pelvis_femur_fracture();
        counts = true;
        break;
      case v1::HIT:
        fact = facts.mutable_hit_history();
        counts = true;
        break;
      case v1::MYOCARDIAL_INFARCTION:
      case v1::ISCHEMIC_STROKE_TIA:
      case v1::PERIPHERAL_ARTERIAL_DISEASE:
        fact = facts.mutable_prior_arterial_event();
        counts = true;
        break;
      case v1::CENTRAL_VENOUS_CATHETER:
        fact = facts.mutable_central_venous_catheter();
        break;
      case v1::CARDIAC_DISEASE:
        fact = facts.mutable_cardiac_disease();
        break;
      case v1::CKD:
        fact = facts.mutable_chronic_kidney_disease();
        break;
      case v1::DIALYSIS_ESRD:
        // Dialysis dependence is read while active. End-stage kidney disease is also CKD (the
        // value sets give a text term to one group only).
        fact = facts.mutable_dialysis();
        if (counts) write(MarkPresent(facts.mutable_chronic_kidney_disease()));
        break;
      case v1::DIABETES:
        fact = facts.mutable_diabetes();
        break;
      case v1::IMMOBILITY:
        fact = facts.mutable_immobility();
        break;
      case v1::THROMBOPHILIA:
        fact = facts.mutable_thrombophilia();
        break;
      case v1::HYPERVISCOSITY:
        fact = facts.mutable_hyperviscosity();
        break;
      case v1::HYPERTENSION:
        fact = facts.mutable_hypertension();
        break;
      case v1::HYPERLIPIDEMIA:
        fact = facts.mutable_hyperlipidemia();
        break;
      case v1::TOBACCO_USE:
        fact = facts.mutable_tobacco_use();
        break;
      case v1::ACTIVE_BLEEDING:
        // Rule 17: active, or a bleed this recent whatever its status says.
        fact = facts.mutable_active_bleeding();
        counts = active || (when && c_.Within(*when, c_.r().active_bleeding_days));
        break;
      case v1::PEPTIC_ULCER_ACTIVE:
        fact = facts.mutable_aspirin_contraindication();  // aspirin contraindicated (§8)
        break;
      case v1::ACUTE_INFECTION:
        fact = facts.mutable_acute_infection();
        counts = active && when && c_.Within(*when, c_.r().infection_window_days);
        break;
      default:
        break;
    }
    if (fact == nullptr || !counts) continue;
    write(MarkPresent(fact));
    // Gating facts carry the record's date, for the card to quote (rule 14).
    if (when && (fact == facts.mutable_active_bleeding() || fact == facts.mutable_dialysis() ||
                 fact == facts.mutable_hit_history())) {
      fact->set_time_us(std::max(fact->time_us(), absl::ToUnixMicros(*when)));
    }
  }
}

void ConditionFacts::AddProcedure(const fhir::r4::Procedure& p) {
  using S = fhir::r4::EventStatusCode;
  if (p.status() != S::COMPLETED && p.status() != S::IN_PROGRESS) return;
  const std::optional<absl::Time> when = ProcedureTime(p);
  if (!when) return;
  for (const ProcedureMatch& m : c_.terminology.MatchProcedure(p.code())) {
    v1::Fact* fact = nullptr;
    switch (m.concept->role()) {
      case v1::SURGERY:
      case v1::ANESTHESIA:
        if (c_.Within(*when, c_.r().surgery_window_days)) {
          fact = c_.facts.mutable_surgery_within_90_days();
        }
        break;
      case v1::CVC_INSERTION:
        if (c_.Within(*when, c_.r().cvc_window_days)) {
          fact = c_.facts.mutable_central_venous_catheter();
        }
        break;
      case v1::DIALYSIS:
        if (c_.Within(*when, c_.r().dialysis_procedure_days)) fact = c_.facts.mutable_dialysis();
        break;
      default:
        break;
    }
    if (fact == nullptr) continue;
    // Written in place, and only for a procedure that counts.
    if (v1::Evidence* e = MarkPresent(fact)) {
      SetEvidence(c_, e, "Procedure", p.id(), "Procedure.code", SourceOf(m.source), m.matched,
                  absl::StrCat(" on ", DayText(*when)));
    }
  }
}

void ConditionFacts::Finish() {
  v1::Fact& diagnosis = *c_.facts.mutable_myeloma_diagnosis();
  if (!Present(c_.facts.multiple_myeloma())) return;
  if (diagnosis_) {
    diagnosis.set_state(v1::Fact::PRESENT);
    diagnosis.set_time_us(absl::ToUnixMicros(*diagnosis_));
    diagnosis.clear_evidence();
    AppendEvidenceCopies(c_.facts.multiple_myeloma().evidence(), diagnosis.mutable_evidence(),
                         c_.evidence_refs);
  } else {
    diagnosis.set_state(v1::Fact::UNKNOWN);
    SetText(diagnosis.mutable_note(), "myeloma diagnosis date not recorded");
  }
}

}  // namespace thrombo::risk
