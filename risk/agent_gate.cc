// Copyright 2026 The Thrombo Authors.
#include "risk/agent_gate.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/string_compat.h"
#include "risk/fact_context.h"

namespace thrombo::risk {
namespace {

using State = v1::Fact;

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }
// A fact nobody set is as good as unknown: fail safe.
bool Unknown(const v1::Fact& fact) {
  return fact.state() == State::UNKNOWN || fact.state() == State::STATE_UNSPECIFIED;
}

bool IsAspirin(std::string_view ingredient) { return ingredient == "aspirin"; }
bool IsDoac(std::string_view ingredient) {
  return ingredient == "apixaban" || ingredient == "rivaroxaban" || ingredient == "edoxaban" ||
         ingredient == "dabigatran";
}
// Agents whose dose or eligibility depends on creatinine clearance (policy v1 rule 10; Lovenox,
// Eliquis, Xarelto and Arixtra US prescribing information). Warfarin is dosed to the INR and
// aspirin's prophylactic dose does not change with renal function.
bool RenallyGated(std::string_view ingredient) {
  return ingredient == "enoxaparin" || ingredient == "fondaparinux" || IsDoac(ingredient);
}

// Collects the reasons that forbid an agent, the verify lines and the cautions, then decides.
// The suggestion (or the exclusion) is built once, in Finish, for the verdict reached: most
// agents end with only one of the two.
class Judgement final {
 public:
  // `refs` holds the facts' evidence text when they were written through it (may be null).
  Judgement(const AgentSpec& spec, EvidenceRefs* refs) : spec_(&spec), refs_(refs) {}

  std::string VerifyLine(std::string_view label, const v1::Fact& fact) const {
    return risk::VerifyLine(label, fact, refs_);
  }

  // `evidence` is the facts' and outlives the judgement: it is copied only into the exclusion
  // Finish writes.
  void Forbid(const std::string& reason,
              const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
    reasons_.push_back(reason);
    for (const v1::Evidence& e : evidence) evidence_.push_back(&e);
  }
  void Forbid(const std::string& reason, const v1::Evidence& evidence) {
    reasons_.push_back(reason);
    evidence_.push_back(&evidence);
  }
  void Verify(std::string line) {
    if (std::find(verify_.begin(), verify_.end(), line) == verify_.end()) {
      verify_.push_back(std::move(line));
    }
  }
  void Caution(std::string text) { cautions_.push_back(std::move(text)); }
  // Replaces the dose with `spec` (a renal dose, which outlives the verdict), keeping the
  // cautions said so far.
  void Redose(const AgentSpec& spec) {
    spec_ = &spec;
    renally_adjusted_ = true;
  }
  bool forbidden() const { return !reasons_.empty(); }

  // Writes the one message the verdict needs into the one `make_...` gives.
  AgentVerdict::Kind Finish(absl::FunctionRef<v1::AgentSuggestion*()> make_suggestion,
                            absl::FunctionRef<v1::ExcludedAgent*()> make_excluded) && {
    if (!reasons_.empty()) {
      v1::ExcludedAgent& excluded = *make_excluded();
      excluded.set_ingredient(spec_->ingredient);
      excluded.set_reason(absl::StrJoin(reasons_, "; "));
      for (const v1::Evidence* e : evidence_) CopyEvidence(*e, excluded.add_evidence(), refs_);
      return AgentVerdict::Kind::kForbidden;
    }
    v1::AgentSuggestion& agent = *make_suggestion();
    agent.set_ingredient(spec_->ingredient);
    agent.set_dose_mg(spec_->dose_mg);
    agent.set_route(spec_->route);
    agent.set_frequency(spec_->frequency);
    agent.set_dose_text(spec_->dose_text);
    agent.set_rxnorm_code(spec_->rxnorm_code);
    agent.set_rxnorm_display(spec_->rxnorm_display);
    agent.set_doses_per_day(spec_->doses_per_day);
    if (renally_adjusted_) agent.set_renally_adjusted(true);
    for (std::string& caution : cautions_) agent.add_cautions(std::move(caution));
    const bool verify = !verify_.empty();
    for (std::string& line : verify_) agent.add_verify_before_ordering(std::move(line));
    return verify ? AgentVerdict::Kind::kVerify : AgentVerdict::Kind::kAllowed;
  }

 private:
  const AgentSpec* spec_;
  EvidenceRefs* refs_;
  bool renally_adjusted_ = false;
  std::vector<const v1::Evidence*> evidence_;  // of the reasons, in order
  std::vector<std::string> reasons_;
  std::vector<std::string> verify_;
  std::vector<std::string> cautions_;
};

// Hard stops (policy v1 rule 8, v1.1 rule 15) and HIT for heparins (Lovenox USPI,
// contraindications).
void CheckHardStops(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                    const RecommendationRules& r, Judgement& j) {
  const v1::Fact& platelets = facts.platelets();
  if (Present(platelets) && platelets.value() < r.platelets_hard_stop_below) {
    j.Forbid(absl::StrFormat("Platelets %g x10^9/L (below %g): no pharmacological prophylaxis",
                             platelets.value(), r.platelets_hard_stop_below),
             platelets.evidence());
  }
  if (r.active_bleeding_stops && Present(facts.active_bleeding())) {
    j.Forbid("Active bleeding: no pharmacological prophylaxis", facts.active_bleeding().evidence());
  }
  if (r.hit_excludes_heparins && IsHeparin(spec.ingredient) && Present(facts.hit_history())) {
    j.Forbid("History of heparin-induced thrombocytopenia: no heparins or LMWH",
             facts.hit_history().evidence());
  }
}

// Allergies and intolerances (rule 16) and the aspirin contraindication (policy v1, section 8).
void CheckAllergies(const AgentSpec& spec, const v1::ClinicalFacts& facts, Judgement& j) {
  for (const v1::DrugAllergy& allergy : facts.drug_allergies()) {
    const auto& names = allergy.excluded_ingredients();
    // A HIT reaction forbids every heparin even if the record named only one.
    const bool hit = allergy.heparin_induced_thrombocytopenia() && IsHeparin(spec.ingredient);
    if (!hit && std::find(names.begin(), names.end(), spec.ingredient) == names.end()) continue;
    j.Forbid(absl::StrCat("Allergy or intolerance recorded as '", allergy.recorded_as(), "'"),
             allergy.evidence());
  }
  if (IsAspirin(spec.ingredient) && Present(facts.aspirin_contraindication())) {
    j.Forbid("Aspirin or NSAID allergy, or active peptic ulcer, recorded",
             facts.aspirin_contraindication().evidence());
  }
}

// Renal function (policy v1 rule 10), dialysis (rule 23) and the product-label limits.
void CheckRenalAndLabel(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                        const RecommendationRules& r, const LabelLimits& limits, Judgement& j) {
  const v1::Fact& crcl = facts.creatinine_clearance();
  const bool known = Present(crcl);
  const double ml_min = crcl.value();
  const bool dialysis = Present(facts.dialysis());
  // A view: each comparison with a literal below checks the length before the bytes.
  const std::string_view name = spec.ingredient;

  if (name == "enoxaparin") {
    if (dialysis) {
      j.Redose(r.enoxaparin_renal);
      j.Caution(absl::StrFormat(
          "Dialysis or end-stage kidney disease: %s; accumulation risk, monitor for bleeding "
          "(Lovenox USPI, severe renal impairment)",
          r.enoxaparin_renal.dose_text));
    } else if (known && ml_min < r.enoxaparin_renal_below_crcl) {
      j.Redose(r.enoxaparin_renal);
      j.Caution(absl::StrFormat("CrCl %.0f mL/min (< %g): reduced dose (Lovenox USPI)", ml_min,
                                r.enoxaparin_renal_below_crcl));
    } else if (!known) {
      j.Caution(absl::StrFormat("Creatinine clearance unknown: use %s if CrCl < %g mL/min",
                                r.enoxaparin_renal.dose_text, r.enoxaparin_renal_below_crcl));
    }
    const v1::Fact& weight = facts.weight_kg();
    const double low_weight = facts.sex() == "female" ? limits.enoxaparin_low_weight_female_kg
                              : facts.sex() == "male" ? limits.enoxaparin_low_weight_male_kg
                                                      : 0;
    if (Present(weight) && weight.value() < low_weight) {
      j.Caution(absl::StrFormat(
          "Weight %.0f kg (%s < %g kg): increased enoxaparin exposure, observe for bleeding "
          "(Lovenox USPI, low-weight patients)",
          weight.value(), facts.sex() == "female" ? "women" : "men", low_weight));
    }
  } else if (IsDoac(name)) {
    // Dialysis excludes the DOACs rather than asking to verify: a dialysis patient is below the
    // CrCl 15 (apixaban) and 30 (rivaroxaban) cut-offs of policy v1 rule 10 whatever a formula
    // computes from creatinine, and no trial enrolled such patients (rule 23).
    if (dialysis) {
      j.Forbid(absl::StrCat(
                   "Dialysis or end-stage kidney disease: no DOAC in one click (",
                   name == "rivaroxaban"
                       ? "Xarelto USPI: avoid at CrCl < 30 mL/min"
                       : "Eliquis EU SmPC: not recommended on dialysis; Eliquis USPI: not studied "
                         "on dialysis, dose from pharmacokinetic data only",
                   ")"),
               facts.dialysis().evidence());
    }
    if (name == "rivaroxaban" && known && ml_min < r.rivaroxaban_min_crcl) {
      j.Forbid(absl::StrFormat("CrCl %.0f mL/min (< %g): rivaroxaban not offered (Xarelto USPI, "
                               "hip/knee prophylaxis; cut-off is policy [P])",
                               ml_min, r.rivaroxaban_min_crcl),
               crcl.evidence());
    }
    if (name == "apixaban" && known && ml_min < r.apixaban_min_crcl) {
      j.Forbid(absl::StrFormat("CrCl %.0f mL/min (< %g): apixaban not offered (Eliquis USPI)",
                               ml_min, r.apixaban_min_crcl),
               crcl.evidence());
    } else if (name == "apixaban" && known && ml_min < r.apixaban_caution_below_crcl) {
      j.Caution(absl::StrFormat("CrCl %.0f mL/min (%g-%g): use with caution (Eliquis USPI)", ml_min,
                                r.apixaban_min_crcl, r.apixaban_caution_below_crcl));
    }
    if (name == "rivaroxaban" && !known) {
      j.Caution(absl::StrFormat("Creatinine clearance unknown: not for CrCl < %g mL/min",
                                r.rivaroxaban_min_crcl));
    } else if (name == "apixaban" && !known) {
      j.Caution(absl::StrFormat("Creatinine clearance unknown: not recommended below %g mL/min",
                                r.apixaban_min_crcl));
    }
    // Interactions (rule 23), apixaban and rivaroxaban labels, section 7.
    if (name == "apixaban" || name == "rivaroxaban") {
      const char* label = name == "apixaban" ? "Eliquis USPI" : "Xarelto USPI";
      if (Present(facts.strong_cyp3a4_pgp_inducer())) {
        j.Forbid(
            absl::StrCat("Strong combined CYP3A4 and P-gp inducer on record: avoid (", label, ")"),
            facts.strong_cyp3a4_pgp_inducer().evidence());
      }
      if (Present(facts.strong_cyp3a4_pgp_inhibitor())) {
        if (name == "rivaroxaban") {
          j.Forbid("Strong combined CYP3A4 and P-gp inhibitor on record: avoid (Xarelto USPI)",
                   facts.strong_cyp3a4_pgp_inhibitor().evidence());
        } else if (spec.dose_mg <= limits.apixaban_inhibitor_avoid_at_or_below_mg) {
          j.Forbid(
              absl::StrFormat("Strong combined CYP3A4 and P-gp inhibitor on record: at %g mg twice "
                              "daily avoid (Eliquis USPI)",
                              spec.dose_mg),
              facts.strong_cyp3a4_pgp_inhibitor().evidence());
        } else {
          j.Caution(
              "Strong combined CYP3A4 and P-gp inhibitor on record: reduce the dose by "
              "50% (Eliquis USPI)");
        }
      }
    }
  } else if (name == "fondaparinux") {
    if (dialysis || (known && ml_min < limits.fondaparinux_min_crcl)) {
      j.Forbid(absl::StrFormat("%s: contraindicated below CrCl %g mL/min (Arixtra USPI)",
                               dialysis ? std::string("Dialysis or end-stage kidney disease")
                                        : absl::StrFormat("CrCl %.0f mL/min", ml_min),
                               limits.fondaparinux_min_crcl),
               dialysis ? facts.dialysis().evidence() : crcl.evidence());
    }
    const v1::Fact& weight = facts.weight_kg();
    if (Present(weight) && weight.value() < limits.fondaparinux_min_weight_kg) {
      j.Forbid(absl::StrFormat("Weight %.0f kg (< %g kg): contraindicated for prophylaxis "
                               "(Arixtra USPI)",
                               weight.value(), limits.fondaparinux_min_weight_kg),
               weight.evidence());
    }
  }
}

// Rule 14: an UNKNOWN gating datum removes the one-click order of every agent it gates.
void CheckUnknownGatingData(const AgentSpec& spec, const v1::ClinicalFacts& facts, AgentUse use,
                            Judgement& j) {
  const std::string_view name = spec.ingredient;
  if (Unknown(facts.platelets())) j.Verify(j.VerifyLine("Platelets", facts.platelets()));
  if (Unknown(facts.active_bleeding())) {
    j.Verify(j.VerifyLine("Active bleeding", facts.active_bleeding()));
  }
  if (IsHeparin(name) && Unknown(facts.hit_history())) {
    j.Verify(j.VerifyLine("Heparin-induced thrombocytopenia history", facts.hit_history()));
  }
  if (IsAspirin(name) && Unknown(facts.aspirin_contraindication())) {
    j.Verify(
        j.VerifyLine("Aspirin allergy or active peptic ulcer", facts.aspirin_contraindication()));
  }
  // Creatinine clearance decides the enoxaparin dose and whether a DOAC or fondaparinux may be
  // given at all. On dialysis the enoxaparin dose is decided without it.
  const bool dose_decided = name == "enoxaparin" && Present(facts.dialysis());
  if (RenallyGated(name) && !dose_decided && Unknown(facts.creatinine_clearance())) {
    const v1::Fact& crcl = facts.creatinine_clearance();
    const v1::Fact& creatinine = facts.creatinine_mg_dl();
    if (crcl.evidence().empty() && !creatinine.evidence().empty()) {
      j.Verify(j.VerifyLine("Creatinine (clearance not computable)", creatinine));
    } else {
      j.Verify(j.VerifyLine("Creatinine clearance", crcl));
    }
  }
  if (name == "fondaparinux" && Unknown(facts.weight_kg())) {
    j.Verify(j.VerifyLine("Body weight", facts.weight_kg()));
  }
  // Rules 18 and 19: an anticoagulant that may already be taken. Aspirin too: it must not be
  // added to an anticoagulant for VTE prophylaxis (policy v1 rule 9, section 8 "dual therapy").
  // A continued agent too (rule 22): a dose change is a new order, and "continue it" beside a
  // held or unclear anticoagulant needs the same check.
  if (Unknown(facts.therapeutic_anticoagulation())) {
    j.Verify(j.VerifyLine("Existing anticoagulation", facts.therapeutic_anticoagulation()));
  }
  const v1::Fact& possibly = facts.possibly_current_anticoagulant();
  if (Present(possibly) || possibly.state() == State::UNKNOWN) {
    j.Verify(j.VerifyLine("Possibly current anticoagulant", possibly));
  }
}

}  // namespace

bool IsHeparin(std::string_view ingredient) {
  return ingredient == "enoxaparin" || ingredient == "dalteparin" || ingredient == "tinzaparin" ||
         ingredient == "heparin";
}

std::string VerifyLine(std::string_view label, const v1::Fact& fact, const EvidenceRefs* refs) {
  std::string line;
  line.reserve(160);  // most lines fit: one allocation, not one per piece appended
  line.append(label);
  if (fact.evidence().empty()) {
    absl::StrAppend(&line, " not known (", fact.note().empty() ? "not recorded" : fact.note(), ")");
  } else {
    const EvidenceText e = EvidenceTextOf(fact.evidence(0), refs);
    absl::StrAppend(&line, " recorded");
    if (!e.matched.empty()) absl::StrAppend(&line, " as '", base::Absl(e.matched), "'");
    if (fact.time_us() != 0) {
      absl::StrAppend(&line, " on ", DayText(absl::FromUnixMicros(fact.time_us())));
    }
    absl::StrAppend(&line, " (", base::Absl(e.resource_type), "/", base::Absl(e.resource_id));
    if (fact.evidence_size() > 1)
      absl::StrAppend(&line, " and ", fact.evidence_size() - 1, " more");
    if (!fact.note().empty()) absl::StrAppend(&line, "; ", fact.note());
    absl::StrAppend(&line, ")");
  }
  absl::StrAppend(&line, ": verify before ordering");
  return line;
}

std::string DescribeRegimen(const v1::DrugExposure& drug, const EvidenceRefs* refs) {
  std::string text = drug.ingredient();
  if (drug.dose_mg() > 0) absl::StrAppend(&text, absl::StrFormat(" %g mg", drug.dose_mg()));
  if (drug.doses_per_day() == 1) {
    absl::StrAppend(&text, " once daily");
  } else if (drug.doses_per_day() == 2) {
    absl::StrAppend(&text, " twice daily");
  } else if (drug.doses_per_day() > 0) {
    absl::StrAppend(&text, absl::StrFormat(" %g times daily", drug.doses_per_day()));
  }
  const EvidenceText e = EvidenceTextOf(drug.evidence(), refs);
  if (!e.resource_type.empty()) {
    absl::StrAppend(&text, " (", base::Absl(e.resource_type), "/", base::Absl(e.resource_id),
                    ")");
  }
  return text;
}

AgentVerdict::Kind JudgeAgentInto(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                                  const RecommendationRules& rules, AgentUse use,
                                  absl::FunctionRef<v1::AgentSuggestion*()> make_suggestion,
                                  absl::FunctionRef<v1::ExcludedAgent*()> make_excluded,
                                  const LabelLimits& limits, EvidenceRefs* refs) {
  Judgement j(spec, refs);
  CheckHardStops(spec, facts, rules, j);
  CheckAllergies(spec, facts, j);
  CheckRenalAndLabel(spec, facts, rules, limits, j);
  // A forbidden agent needs no verify lines: nothing a verification finds can allow it.
  if (!j.forbidden()) CheckUnknownGatingData(spec, facts, use, j);
  return std::move(j).Finish(make_suggestion, make_excluded);
}

AgentVerdict JudgeAgent(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                        const RecommendationRules& rules, AgentUse use, const LabelLimits& limits,
                        EvidenceRefs* refs) {
  AgentVerdict verdict;
  verdict.kind = JudgeAgentInto(
      spec, facts, rules, use, [&verdict] { return &verdict.suggestion; },
      [&verdict] { return &verdict.excluded; }, limits, refs);
  return verdict;
}

}  // namespace thrombo::risk
