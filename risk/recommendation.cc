// Copyright 2026 The Thrombo Authors.
#include "risk/recommendation.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "risk/scores.h"

namespace thrombo::risk {
namespace {

using Action = v1::Recommendation;
using State = v1::Fact;

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }

v1::AgentSuggestion ToSuggestion(const AgentSpec& spec) {
  v1::AgentSuggestion agent;
  agent.set_ingredient(spec.ingredient);
  agent.set_dose_mg(spec.dose_mg);
  agent.set_route(spec.route);
  agent.set_frequency(spec.frequency);
  agent.set_dose_text(spec.dose_text);
  agent.set_rxnorm_code(spec.rxnorm_code);
  agent.set_rxnorm_display(spec.rxnorm_display);
  agent.set_doses_per_day(spec.doses_per_day);
  return agent;
}

// Hard stops for pharmacological prophylaxis (clinical-spec §0.8 [P]).
void CollectHardStops(const v1::ClinicalFacts& facts, const RecommendationRules& r,
                      v1::Recommendation* out) {
  const v1::Fact& platelets = facts.platelets();
  if (Present(platelets) && platelets.value() < r.platelets_hard_stop_below) {
    v1::HardStop& stop = *out->add_hard_stops();
    stop.set_id("platelets_below_threshold");
    stop.set_reason(absl::StrFormat("Platelets %g x10^9/L (below %g)", platelets.value(),
                                    r.platelets_hard_stop_below));
    *stop.mutable_evidence() = platelets.evidence();
  }
  if (r.active_bleeding_stops && Present(facts.active_bleeding())) {
    v1::HardStop& stop = *out->add_hard_stops();
    stop.set_id("active_bleeding");
    stop.set_reason("Active bleeding");
    *stop.mutable_evidence() = facts.active_bleeding().evidence();
  }
  if (r.hit_excludes_heparins && Present(facts.hit_history())) {
    v1::HardStop& stop = *out->add_hard_stops();
    stop.set_id("hit_history");
    stop.set_reason("History of heparin-induced thrombocytopenia: no heparins or LMWH");
    stop.set_heparins_only(true);
    *stop.mutable_evidence() = facts.hit_history().evidence();
  }
}

bool ForbidsEverything(const v1::Recommendation& rec) {
  for (const v1::HardStop& stop : rec.hard_stops()) {
    if (!stop.heparins_only()) return true;
  }
  return false;
}

// Applies renal function (Cockcroft-Gault, §0.10) and HIT to one anticoagulant. Returns false
// when the agent must not be offered.
bool AdjustAgent(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                 const RecommendationRules& r, v1::AgentSuggestion* out) {
  if (r.hit_excludes_heparins && IsHeparin(spec.ingredient) && Present(facts.hit_history())) {
    return false;
  }
  const v1::Fact& crcl = facts.creatinine_clearance();
  const bool known = Present(crcl);
  const double ml_min = crcl.value();
  if (spec.ingredient == "enoxaparin") {
    if (known && ml_min < r.enoxaparin_renal_below_crcl) {
      *out = ToSuggestion(r.enoxaparin_renal);
      out->set_renally_adjusted(true);
      out->add_cautions(absl::StrFormat("CrCl %.0f mL/min (< %g): reduced dose", ml_min,
                                        r.enoxaparin_renal_below_crcl));
      return true;
    }
    *out = ToSuggestion(spec);
    if (!known) {
      out->add_cautions(absl::StrFormat(
          "Creatinine clearance unknown: use %s if CrCl < %g mL/min",
          r.enoxaparin_renal.dose_text, r.enoxaparin_renal_below_crcl));
    }
    return true;
  }
  *out = ToSuggestion(spec);
  if (spec.ingredient == "rivaroxaban") {
    if (known && ml_min < r.rivaroxaban_min_crcl) return false;
    if (!known) {
      out->add_cautions(absl::StrFormat(
          "Creatinine clearance unknown: not for CrCl < %g mL/min", r.rivaroxaban_min_crcl));
    }
  } else if (spec.ingredient == "apixaban") {
    if (known && ml_min < r.apixaban_min_crcl) return false;
    if (known && ml_min < r.apixaban_caution_below_crcl) {
      out->add_cautions(absl::StrFormat("CrCl %.0f mL/min (%g-%g): use with caution", ml_min,
                                        r.apixaban_min_crcl, r.apixaban_caution_below_crcl));
    } else if (!known) {
      out->add_cautions(absl::StrFormat(
          "Creatinine clearance unknown: not recommended below %g mL/min", r.apixaban_min_crcl));
    }
  }
  return true;
}

struct Verdicts {
  bool impede = false;
  bool saved = false;
  bool imwg_therapy = false;
  bool imwg = false;
};

Verdicts Judge(const v1::Assessment& a, const EngineRules& rules) {
  Verdicts v;
  v.impede = a.impede_vte().decision_points() >= rules.recommend.impede_min;
  v.saved = a.saved().points() >= rules.recommend.saved_min;
  v.imwg_therapy =
      rules.recommend.imwg_therapy_factor && a.imwg2008().therapy_factors_size() > 0;
  v.imwg = a.imwg2008().anticoagulant_indicated();
  return v;
}

std::string ScoreSummary(const v1::Assessment& a) {
  return absl::StrFormat(
      "IMPEDE VTE decision score %d (%s), SAVED %d (%s), IMWG 2008 %d factor(s)%s",
      a.impede_vte().decision_points(), TierWord(a.impede_vte().decision_tier()),
      a.saved().points(), TierWord(a.saved().tier()), a.imwg2008().risk_factor_count(),
      a.imwg2008().therapy_factors().empty()
          ? ", no therapy-related factor"
          : absl::StrCat(", therapy-related: ", absl::StrJoin(a.imwg2008().therapy_factors(),
                                                              ", ")));
}

// Says which missing data could still change the decision (§0.6).
void AddUncertainty(const v1::Assessment& a, v1::Recommendation* out) {
  for (const auto* lines : {&a.impede_vte().missing_data(), &a.saved().missing_data(),
                            &a.imwg2008().missing_data()}) {
    for (const std::string& line : *lines) {
      if (line.find("would not change") == std::string::npos) out->add_confidence_notes(line);
    }
  }
}

void RecommendAnticoagulant(const v1::Assessment& a, const EngineRules& rules,
                            const Verdicts& v, v1::Recommendation* out) {
  const v1::ClinicalFacts& facts = a.facts();
  const RecommendationRules& r = rules.recommend;
  out->set_action(Action::ANTICOAGULANT);
  if (Present(facts.prophylactic_anticoagulation())) {
    out->add_cautions(
        "Already on prophylactic-dose anticoagulation: continue it; no new order is needed.");
    return;
  }
  for (const AgentSpec& spec : r.anticoagulants) {
    v1::AgentSuggestion agent;
    if (AdjustAgent(spec, facts, r, &agent)) *out->add_agents() = std::move(agent);
  }
  *out->add_alternatives() = ToSuggestion(r.warfarin);
  // Lower-risk by every model but IMPEDE's intermediate tier: ASCO and IMWG accept aspirin for
  // lower-risk patients, so it stays a documented alternative (clinical-spec §10 vignette 1).
  const bool only_impede_intermediate =
      v.impede && !v.saved && !v.imwg && a.impede_vte().decision_tier() == v1::Tier::INTERMEDIATE;
  if (only_impede_intermediate && !Present(facts.aspirin_contraindication())) {
    *out->add_alternatives() = ToSuggestion(r.aspirin);
  }
  if (Present(facts.aspirin())) {
    out->set_switch_from_aspirin(true);
    out->add_cautions("Currently on aspirin: switch to the anticoagulant rather than add it.");
  }
}

}  // namespace

bool IsHeparin(std::string_view ingredient) {
  return ingredient == "enoxaparin" || ingredient == "dalteparin" ||
         ingredient == "tinzaparin" || ingredient == "heparin";
}

v1::Recommendation Recommend(const v1::Assessment& a, const EngineRules& rules,
                             absl::Time now) {
  const v1::ClinicalFacts& facts = a.facts();
  const RecommendationRules& r = rules.recommend;
  v1::Recommendation out;
  out.set_policy_version(rules.policy_version);
  out.set_deciding_model(r.deciding_model == DecidingModel::kImwg2008 ? "IMWG_2008"
                                                                      : "NCCN_COMBINED");
  if (!Present(facts.imid())) {
    out.set_action(Action::NO_RECOMMENDATION);
    out.set_rationale("No immunomodulatory drug (thalidomide, lenalidomide, pomalidomide) is "
                      "active or being ordered.");
    return out;
  }

  CollectHardStops(facts, r, &out);
  if (ForbidsEverything(out)) {
    out.set_action(Action::WITHHOLD_PHARMACOLOGIC);
    out.set_rationale(absl::StrCat(
        ScoreSummary(a), ". A hard stop forbids pharmacological prophylaxis: use mechanical "
        "measures and early ambulation, recheck, and reassess when it no longer applies."));
    if (Present(facts.platelets()) && facts.platelets().value() < r.platelets_hard_stop_below) {
      out.add_cautions("ISTH guidance allows prophylactic-dose LMWH at platelets 25-50 x10^9/L "
                       "at the clinician's discretion.");
    }
    return out;
  }

  const v1::Fact& therapeutic = facts.therapeutic_anticoagulation();
  // UNKNOWN with evidence: an anticoagulant is there, its dose is not. UNKNOWN without evidence:
  // the medications could not be obtained, which must not suppress prophylaxis (said below).
  const bool anticoagulant_seen =
      therapeutic.state() == State::UNKNOWN && !therapeutic.evidence().empty();
  if (Present(therapeutic) || anticoagulant_seen) {
    out.set_action(Action::ALREADY_ANTICOAGULATED);
    out.set_rationale(absl::StrCat(
        ScoreSummary(a), ". The patient is already anticoagulated: no new prophylaxis is "
        "needed, and aspirin should not be added for VTE prophylaxis."));
    if (!Present(therapeutic)) {
      out.add_cautions("Anticoagulant dose or frequency not recorded: confirm it is a "
                       "therapeutic or prophylactic regimen.");
    }
    return out;
  }

  const Verdicts v = Judge(a, rules);
  const bool anticoagulant = r.deciding_model == DecidingModel::kImwg2008
                                 ? v.imwg
                                 : (v.impede || v.saved || v.imwg_therapy);
  out.set_scores_disagree(!(v.impede == v.saved && v.saved == v.imwg));
  if (anticoagulant) {
    RecommendAnticoagulant(a, rules, v, &out);
  } else if (Present(facts.aspirin_contraindication())) {
    // Aspirin is contraindicated: an anticoagulant instead (clinical-spec §8, [P]).
    RecommendAnticoagulant(a, rules, v, &out);
    out.add_cautions("Aspirin allergy or intolerance recorded: anticoagulant instead of aspirin.");
  } else {
    out.set_action(Action::ASPIRIN);
    if (Present(facts.prophylactic_anticoagulation())) {
      out.add_cautions("Already on prophylactic-dose anticoagulation: aspirin is not needed.");
    } else if (Present(facts.aspirin())) {
      out.add_cautions("Already on aspirin: continue it.");
    } else {
      *out.add_agents() = ToSuggestion(r.aspirin);
    }
  }
  for (const v1::HardStop& stop : out.hard_stops()) {
    out.add_cautions(stop.reason());
  }

  std::string rationale = ScoreSummary(a);
  absl::StrAppend(&rationale, out.action() == Action::ANTICOAGULANT
                                  ? ": anticoagulant prophylaxis."
                                  : ": aspirin prophylaxis.");
  if (out.scores_disagree()) {
    absl::StrAppend(&rationale, " The scores disagree; the higher tier wins.");
  }
  out.set_rationale(rationale);
  AddUncertainty(a, &out);

  if (therapeutic.state() == State::UNKNOWN && therapeutic.evidence().empty()) {
    out.add_cautions(absl::StrCat("Not known whether the patient already takes an anticoagulant (",
                                  therapeutic.note(), "): check before ordering."));
  }
  if (!Present(facts.platelets())) {
    out.add_cautions("No platelet count in the look-back window: check before starting.");
  }
  // IMPEDE and SAVED were derived at the start of first-line therapy (clinical-spec §0.13).
  const v1::Fact& diagnosis = facts.myeloma_diagnosis();
  if (facts.dexamethasone().state() == State::ABSENT && Present(diagnosis) &&
      now - absl::FromUnixMicros(diagnosis.time_us()) >
          absl::Hours(24) * r.maintenance_after_days) {
    out.add_confidence_notes(
        "IMiD maintenance without dexamethasone, more than 6 months from diagnosis: IMPEDE VTE "
        "and SAVED were derived at the start of first-line therapy, so confidence is low.");
  }
  if (a.arterial().flagged()) {
    out.add_cautions("Arterial risk: optimise blood pressure, lipids and smoking (label); do not "
                     "add aspirin to an anticoagulant solely for arterial risk.");
  }
  return out;
}

}  // namespace thrombo::risk
