// Copyright 2026 The Thrombo Authors.
#include "risk/renal_body_facts.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "risk/field_text.h"

namespace thrombo::risk {

void SettleBodySize(const LabFacts& labs, FactContext& c) {
  const FactRules& r = c.r();
  // Adult height barely changes: 0 in the policy means any recorded height is usable.
  const int height_days = r.height_window_days > 0 ? r.height_window_days : 365 * 150;
  SettleLatest(c, labs.Readings(v1::BODY_WEIGHT), "body weight", "kg", r.vitals_window_days,
               SafeBound::kNone, c.facts.mutable_weight_kg());
  SettleLatest(c, labs.Readings(v1::BODY_HEIGHT), "body height", "cm", height_days,
               SafeBound::kNone, c.facts.mutable_height_cm());
  const v1::Fact& weight = c.facts.weight_kg();
  const v1::Fact& height = c.facts.height_cm();
  v1::Fact& bmi = *c.facts.mutable_bmi();
  if (!labs.Readings(v1::BMI).empty()) {
    SettleLatest(c, labs.Readings(v1::BMI), "BMI", "kg/m2", r.vitals_window_days, SafeBound::kNone,
                 &bmi);
    if (Present(bmi)) return;
  }
  if (Present(weight) && Present(height) && height.value() > 0) {
    const double metres = height.value() / 100.0;
    bmi.set_state(v1::Fact::PRESENT);
    bmi.set_value(weight.value() / (metres * metres));
    bmi.set_unit("kg/m2");
    SetText(bmi.mutable_note(), "computed from weight and height");
    bmi.clear_evidence();
    CopyEvidence(weight.evidence(0), bmi.add_evidence(), c.evidence_refs);
    CopyEvidence(height.evidence(0), bmi.add_evidence(), c.evidence_refs);
    return;
  }
  if (labs.Readings(v1::BMI).empty()) {
    SettleLatest(c, {}, "BMI, or weight and height,", "kg/m2", r.vitals_window_days,
                 SafeBound::kNone, &bmi);
  }
}

// Cockcroft-Gault with actual body weight (docs/clinical.md §0 rule 10, §8; Cockcroft & Gault,
// Nephron 1976;16:31-41): CrCl = (140 - age) x weight / (72 x serum creatinine mg/dL), x 0.85
// for women.
void SettleRenal(const LabFacts& labs, FactContext& c) {
  v1::Fact& creatinine = *c.facts.mutable_creatinine_mg_dl();
  SettleLatest(c, labs.Readings(v1::CREATININE), "serum creatinine", "mg/dL",
               c.r().labs_window_days, SafeBound::kUpper, &creatinine);

  v1::Fact& crcl = *c.facts.mutable_creatinine_clearance();
  const v1::Fact& weight = c.facts.weight_kg();
  std::vector<std::string> missing;
  if (!Present(c.facts.age_years())) missing.push_back("age");
  if (c.facts.sex().empty()) missing.push_back("sex");
  if (!Present(weight)) missing.push_back("recent weight");
  if (!Present(creatinine) || creatinine.value() <= 0) {
    missing.push_back(creatinine.note().empty()
                          ? "recent serum creatinine"
                          : absl::StrCat("usable serum creatinine (", creatinine.note(), ")"));
  }
  if (!missing.empty()) {
    crcl.set_state(v1::Fact::UNKNOWN);
    crcl.set_note(
        absl::StrCat("cannot compute Cockcroft-Gault: no ", absl::StrJoin(missing, ", ")));
    // The unreadable creatinine, quoted, so the card can ask to verify it.
    AppendEvidenceCopies(creatinine.evidence(), crcl.mutable_evidence(), c.evidence_refs);
    return;
  }
  double value =
      (140.0 - c.facts.age_years().value()) * weight.value() / (72.0 * creatinine.value());
  if (c.facts.sex() == "female") value *= 0.85;
  crcl.set_state(v1::Fact::PRESENT);
  crcl.set_value(value);
  crcl.set_unit("mL/min");
  SetText(crcl.mutable_note(), creatinine.note().empty()
                    ? "Cockcroft-Gault, actual body weight"
                    : "Cockcroft-Gault, actual body weight; creatinine is an upper bound, so the "
                      "clearance is at least this");
  SetEvidence(c, crcl.add_evidence(), "", "", "", v1::Evidence::COMPUTED,
              absl::StrFormat("%.0f mL/min", value));
  CopyEvidence(weight.evidence(0), crcl.add_evidence(), c.evidence_refs);
  CopyEvidence(creatinine.evidence(0), crcl.add_evidence(), c.evidence_refs);
}

}  // namespace thrombo::risk
