// Copyright 2026 The Thrombo Authors.
#include "risk/scores.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "risk/field_text.h"
#include "risk/score_tally.h"

namespace thrombo::risk {
namespace {

using State = v1::Fact;

// Citations for the points, shown beside each component.
constexpr char kImpedeSource[] =
    "Sanfilippo KM et al. Am J Hematol 2019;94:1176 (points as tabulated by ASH-SAP and Blood "
    "review; docs/clinical.md, Scores)";
constexpr char kImpedeESource[] =
    "docs/clinical.md, Scores (policy v1: therapeutic -4, prophylactic LMWH or aspirin -3; DOAC "
    "mapping is an extrapolation)";
constexpr char kSavedSource[] = "Li A et al. JNCCN 2019;17:840 (docs/clinical.md, Scores)";
constexpr char kImwgSource[] = "Palumbo A et al. Leukemia 2008;22:414 (docs/clinical.md, Scores)";

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }
bool Unknown(const v1::Fact& fact) {
  return fact.state() == State::UNKNOWN || fact.state() == State::STATE_UNSPECIFIED;
}

// The state of "measured value >= threshold" (or > when `strict`).
State::State Threshold(const v1::Fact& fact, double threshold, bool strict) {
  if (!Present(fact)) return State::UNKNOWN;
  const bool above = strict ? fact.value() > threshold : fact.value() >= threshold;
  return above ? State::PRESENT : State::ABSENT;
}

v1::Tier::Value SavedTier(int points, const EngineRules& rules) {
  return points >= rules.saved.high_min ? v1::Tier::HIGH : v1::Tier::LOW;
}

// For each UNKNOWN component, says whether learning it could move the tier (policy v1 rule 6).
template <typename TierFn>
void ExplainMissing(const std::vector<ScoreTerm>& terms, int reported,
                    const std::string& score_name, TierFn tier_of,
                    google::protobuf::RepeatedPtrField<std::string>* missing) {
  const v1::Tier::Value current = tier_of(reported);
  for (const ScoreTerm& c : terms) {
    if (c.state != State::UNKNOWN) continue;
    const int if_present = reported - c.awarded + c.points;
    const v1::Tier::Value changed = tier_of(if_present);
    const std::string_view note = c.Note().empty() ? "not recorded" : c.Note();
    const absl::string_view why(note.data(), note.size());
    const absl::string_view label(c.label.data(), c.label.size());
    if (changed != current) {
      *missing->Add() = absl::StrCat(label, " unknown (", why, "): if present the ",
                                     score_name, " tier would be ", TierWord(changed),
                                     " instead of ", TierWord(current));
    } else {
      *missing->Add() = absl::StrCat(label, " unknown (", why, "): would not change the ",
                                     score_name, " tier");
    }
  }
}

// Race term: Asian scores; Native Hawaiian or Other Pacific Islander as the policy says (by
// default UNKNOWN for IMPEDE, whose derivation grouped Asian/Pacific Islander, and absent for
// SAVED); no race recorded is absent (policy v1 rule 4). Race is never inferred.
// Several categories with Asian among them (e.g. Asian and White): the derivation cohorts
// recorded one race, so which term applied is unknown (docs/clinical.md, policy v1.1 rule 21).
bool SeveralWithAsian(const v1::ClinicalFacts& facts, const RaceRules& race) {
  if (facts.race_omb_categories_size() < 2) return false;
  for (const std::string& code : facts.race_omb_categories()) {
    if (code == race.asian) return true;
  }
  return false;
}

State::State AsianState(const v1::ClinicalFacts& facts, const RaceRules& race,
                        v1::RaceTermHandling pacific_islander) {
  if (SeveralWithAsian(facts, race)) return State::UNKNOWN;
  if (facts.race_omb_code().empty()) return State::ABSENT;
  if (facts.race_omb_code() == race.asian) return State::PRESENT;
  if (facts.race_omb_code() == race.pacific_islander) {
    switch (pacific_islander) {
      case v1::SCORE_AS_ASIAN:
        return State::PRESENT;
      case v1::SCORE_AS_UNKNOWN:
        return State::UNKNOWN;
      default:
        return State::ABSENT;
    }
  }
  return State::ABSENT;
}

// The race term's evidence and note, written into its component (not built as a Fact to be
// copied in).
void AddRaceEvidence(const v1::ClinicalFacts& facts, const RaceRules& race, ScoreTerm* term) {
  auto add = [term](const std::string& code) {
    v1::Evidence& evidence = *term->own_evidence.Add();
    evidence.set_resource_type("Patient");
    SetText(evidence.mutable_path(), "Patient.extension('us-core-race').extension('ombCategory')");
    evidence.set_source(v1::Evidence::CODE);
    evidence.set_matched(absl::StrCat("urn:oid:2.16.840.1.113883.6.238|", code));
  };
  if (SeveralWithAsian(facts, race)) {
    for (const std::string& code : facts.race_omb_categories()) add(code);
    term->note =
        "several race categories recorded, one of them Asian: the term is unknown "
        "(docs/clinical.md, policy v1.1 rule 21)";
    return;
  }
  if (facts.race_omb_code().empty()) return;
  add(facts.race_omb_code());
  if (facts.race_omb_code() == race.pacific_islander) {
    term->note = "Native Hawaiian or Other Pacific Islander: sources disagree (policy v1 rule 4)";
  }
}

}  // namespace

std::string TierWord(v1::Tier::Value tier) {
  switch (tier) {
    case v1::Tier::LOW:
      return "low";
    case v1::Tier::INTERMEDIATE:
      return "intermediate";
    case v1::Tier::HIGH:
      return "high";
    default:
      return "unknown";
  }
}

v1::Tier::Value ImpedeTier(int points, const EngineRules& rules) {
  if (points >= rules.impede.high_min) return v1::Tier::HIGH;
  if (points >= rules.impede.intermediate_min) return v1::Tier::INTERMEDIATE;
  return v1::Tier::LOW;
}

void ScoreImpedeVteInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                        v1::ImpedeVte* out, std::vector<ScoreTerm>* terms) {
  const ImpedeRules& r = rules.impede;
  v1::ImpedeVte& result = *out;
  result.Clear();
  std::vector<ScoreTerm> own_terms;
  std::vector<ScoreTerm>& components = terms != nullptr ? *terms : own_terms;
  components.clear();
  ScoreTally decision(&components);
  decision.AddTerm("impede.imid", "Immunomodulatory drug", r.imid, facts.imid(), kImpedeSource);
  decision.AddDerived("impede.bmi", rules.text.impede_bmi, r.bmi,
                      Threshold(facts.bmi(), r.bmi_threshold, /*strict=*/false), facts.bmi(),
                      kImpedeSource);
  decision.AddTerm("impede.fracture", "Pelvic, hip or femur fracture", r.fracture,
                   facts.hip_pelvis_femur_fracture(), kImpedeSource);
  decision.AddTerm("impede.esa", "Erythropoiesis-stimulating agent", r.esa, facts.esa(),
                   kImpedeSource);

  // Dexamethasone: one term, high (> 160 mg per 28 days) or low dose (policy v1 rule 3).
  const v1::DexamethasoneDose& dex = facts.dexamethasone();
  const std::string& dex_label = rules.text.impede_dex;
  if (dex.state() == State::PRESENT) {
    const bool high = dex.mg_per_28_days() > r.dex_high_above_mg;
    decision.AddDerived("impede.dexamethasone", dex_label, high ? r.dex_high : r.dex_low,
                        dex.mg_per_28_days() > 0 ? State::PRESENT : State::ABSENT,
                        dex.evidence(), dex.rule(), kImpedeSource);
  } else if (dex.state() == State::ABSENT) {
    decision.AddDerived("impede.dexamethasone", dex_label, r.dex_low, State::ABSENT,
                        dex.evidence(), dex.rule(), kImpedeSource);
  } else {
    ScoreTerm& c = decision.AddRange("impede.dexamethasone", dex_label, r.dex_low, r.dex_high,
                                     kImpedeSource);
    c.evidence = &dex.evidence();
    c.SetOwnNote(absl::StrCat("dose could not be computed", dex.rule().empty() ? "" : ": ",
                              dex.rule()));
  }

  decision.AddTerm("impede.doxorubicin", "Doxorubicin", r.doxorubicin, facts.doxorubicin(),
                   kImpedeSource);
  AddRaceEvidence(facts, rules.race,
                  &decision.AddDerived("impede.asian", "Asian race (US Core ombCategory)",
                                       r.asian, AsianState(facts, rules.race, r.pacific_islander),
                                       v1::Fact::default_instance(), kImpedeSource));
  decision.AddTerm("impede.vte", "History of VTE", r.vte, facts.prior_vte(), kImpedeSource);
  decision.AddTerm("impede.cvc", "Tunneled line / central venous catheter", r.cvc,
                   facts.central_venous_catheter(), kImpedeSource);

  // Whether an unknown term could move the tier is judged on the decision score alone.
  ExplainMissing(components, decision.reported(), "IMPEDE VTE",
                 [&](int p) { return ImpedeTier(p, rules); }, result.mutable_missing_data());

  // Existing thromboprophylaxis: reported, but not part of the decision score (policy v1 rule 2).
  ScoreTally existing(&components);
  const v1::Fact& therapeutic = facts.therapeutic_anticoagulation();
  if (Present(therapeutic)) {
    existing.AddTerm("impede.existing_therapeutic", "Existing therapeutic anticoagulation",
                     r.therapeutic_anticoagulation, therapeutic, kImpedeESource);
  } else if (Unknown(therapeutic) && therapeutic.evidence().empty()) {
    existing.AddTerm("impede.existing_therapeutic", "Existing therapeutic anticoagulation",
                     r.therapeutic_anticoagulation, therapeutic, kImpedeESource);
  } else if (Unknown(therapeutic)) {
    // An anticoagulant of unknown intensity: therapeutic, prophylactic, or not systemic at all
    // (a flush recorded without its route), so the term is UNKNOWN over [therapeutic, 0] and the
    // published score does not subtract it (docs/clinical.md, policy v1.1 rule 18).
    ScoreTerm& c = existing.AddDerived(
        "impede.existing_anticoagulation", "Existing anticoagulation (intensity unknown)",
        r.therapeutic_anticoagulation, State::UNKNOWN, therapeutic, kImpedeESource);
    c.SetOwnNote(absl::StrCat(therapeutic.note().empty() ? "intensity unknown" : therapeutic.note(),
                              rules.text.impede_unknown_intensity));
  } else if (Present(facts.possibly_current_anticoagulant()) &&
             !Present(facts.prophylactic_anticoagulation())) {
    // Possibly still taken (rule 19): whether the term applies is unknown.
    ScoreTerm& c = existing.AddDerived(
        "impede.existing_anticoagulation", "Existing anticoagulation (possibly current)",
        r.therapeutic_anticoagulation, State::UNKNOWN, facts.possibly_current_anticoagulant(),
        kImpedeESource);
    c.note = rules.text.impede_possibly_current;
  } else {
    const v1::Fact& prophylaxis = Present(facts.prophylactic_anticoagulation())
                                      ? facts.prophylactic_anticoagulation()
                                      : facts.aspirin();
    existing.AddDerived("impede.existing_prophylactic",
                        "Existing prophylactic LMWH/DOAC or aspirin",
                        r.prophylactic_anticoagulation,
                        Present(prophylaxis) ? State::PRESENT : State::ABSENT, prophylaxis,
                        kImpedeESource);
  }

  result.set_decision_points(decision.reported());
  result.set_points(decision.reported() + existing.reported());
  result.set_min_points(decision.min());
  result.set_max_points(decision.max());
  result.set_tier(ImpedeTier(result.points(), rules));
  result.set_decision_tier(ImpedeTier(result.decision_points(), rules));
  result.set_tier_certain(ImpedeTier(decision.min(), rules) == ImpedeTier(decision.max(), rules));
  if (terms == nullptr) WriteComponents(components, result.mutable_components());
}

void ScoreSavedInto(const v1::ClinicalFacts& facts, const EngineRules& rules, v1::Saved* out,
                    std::vector<ScoreTerm>* terms) {
  const SavedRules& r = rules.saved;
  v1::Saved& result = *out;
  result.Clear();
  std::vector<ScoreTerm> own_terms;
  std::vector<ScoreTerm>& components = terms != nullptr ? *terms : own_terms;
  components.clear();
  ScoreTally tally(&components);
  tally.AddTerm("saved.surgery", rules.text.saved_surgery, r.surgery,
                facts.surgery_within_90_days(), kSavedSource);
  AddRaceEvidence(facts, rules.race,
                  &tally.AddDerived("saved.asian", "Asian race (US Core ombCategory)", r.asian,
                                    AsianState(facts, rules.race, r.pacific_islander),
                                    v1::Fact::default_instance(), kSavedSource));
  tally.AddTerm("saved.vte", "History of VTE", r.vte, facts.prior_vte(), kSavedSource);
  tally.AddDerived("saved.age", rules.text.saved_age, r.age,
                   Threshold(facts.age_years(), r.age_threshold, /*strict=*/false),
                   facts.age_years(), kSavedSource);

  // SAVED bands are per cycle; per 28 days when no cycle is known (policy v1 rule 3).
  const v1::DexamethasoneDose& dex = facts.dexamethasone();
  const std::string& dex_label = rules.text.saved_dex;
  // A dose known per cycle but not per 28 days (cycle length unknown) still scores here.
  const bool per_cycle_only = dex.state() == State::UNKNOWN && dex.mg_per_cycle() > 0;
  if (dex.state() == State::PRESENT || per_cycle_only) {
    const double mg = dex.cycle_days() > 0 || per_cycle_only ? dex.mg_per_cycle()
                                                             : dex.mg_per_28_days();
    int points = 0;
    if (mg > r.dex_high_above_mg) {
      points = r.dex_high;
    } else if (mg >= r.dex_standard_min_mg) {
      points = r.dex_standard;
    }
    ScoreTerm& c = tally.AddDerived("saved.dexamethasone", dex_label, points,
                                    points > 0 ? State::PRESENT : State::ABSENT, dex.evidence(),
                                    dex.rule(), kSavedSource);
    if (points == 0) {
      c.points = 0;
      c.SetOwnNote(absl::StrFormat(
          "%g mg per %s: below %g mg scores 0 (inferred; SAVED publishes no band below it, "
          "policy v1 rule 3)",
          mg, dex.cycle_days() > 0 ? absl::StrCat(dex.cycle_days(), "-day cycle") : "28 days",
          r.dex_standard_min_mg));
    }
  } else if (dex.state() == State::ABSENT) {
    tally.AddDerived("saved.dexamethasone", dex_label, r.dex_standard, State::ABSENT,
                     dex.evidence(), dex.rule(), kSavedSource);
  } else {
    ScoreTerm& c = tally.AddRange("saved.dexamethasone", dex_label, 0, r.dex_high, kSavedSource);
    c.evidence = &dex.evidence();
    c.note = "dose could not be computed";
  }

  result.set_points(tally.reported());
  result.set_min_points(tally.min());
  result.set_max_points(tally.max());
  result.set_tier(SavedTier(tally.reported(), rules));
  result.set_tier_certain(SavedTier(tally.min(), rules) == SavedTier(tally.max(), rules));
  ExplainMissing(components, tally.reported(), "SAVED",
                 [&](int p) { return SavedTier(p, rules); }, result.mutable_missing_data());
  if (terms == nullptr) WriteComponents(components, result.mutable_components());
}

void ScoreImwg2008Into(const v1::ClinicalFacts& facts, const EngineRules& rules, absl::Time now,
                       v1::Imwg2008* out, std::vector<ScoreTerm>* terms) {
  const ImwgRules& r = rules.imwg;
  v1::Imwg2008& result = *out;
  result.Clear();
  std::vector<ScoreTerm> own_terms;
  std::vector<ScoreTerm>& components = terms != nullptr ? *terms : own_terms;
  components.clear();
  ScoreTally count(&components);
  // Individual risk factors, one point each; each associated disease counts separately (policy v1
  // rule 7).
  count.AddDerived("imwg.obesity", rules.text.imwg_obesity, 1,
                   Threshold(facts.bmi(), r.obesity_bmi_above, /*strict=*/true), facts.bmi(),
                   kImwgSource);
  count.AddTerm("imwg.previous_vte", "Previous VTE", 1, facts.prior_vte(), kImwgSource);
  count.AddTerm("imwg.cvc", "Central venous catheter or pacemaker", 1,
                facts.central_venous_catheter(), kImwgSource);
  count.AddTerm("imwg.cardiac", "Cardiac disease", 1, facts.cardiac_disease(), kImwgSource);
  count.AddTerm("imwg.ckd", "Chronic renal disease", 1, facts.chronic_kidney_disease(),
                kImwgSource);
  count.AddTerm("imwg.diabetes", "Diabetes", 1, facts.diabetes(), kImwgSource);
  count.AddTerm("imwg.infection", "Acute infection", 1, facts.acute_infection(), kImwgSource);
  count.AddTerm("imwg.immobilization", "Immobilization", 1, facts.immobility(), kImwgSource);
  // Surgery, anaesthesia and trauma from one event count once (policy v1 rule 7).
  count.AddTerm("imwg.surgery", "Surgery, anaesthesia or trauma", 1,
                facts.surgery_within_90_days(), kImwgSource);
  count.AddTerm("imwg.erythropoietin", "Erythropoietin", 1, facts.esa(), kImwgSource);
  count.AddTerm("imwg.thrombophilia", "Blood-clotting disorder (thrombophilia)", 1,
                facts.thrombophilia(), kImwgSource);
  if (r.estrogen_counts) {
    count.AddTerm("imwg.estrogen", "Estrogen / hormone therapy (NCCN-adapted list) [P]", 1,
                  facts.estrogen(), kImwgSource);
  }
  // Myeloma-related: "diagnosis per se" = diagnosed within the window (policy v1 rule 7 [P]);
  // hyperviscosity.
  const v1::Fact& diagnosis = facts.myeloma_diagnosis();
  State::State recent = State::UNKNOWN;
  if (Present(diagnosis) && diagnosis.time_us() != 0) {
    const absl::Time diagnosed = absl::FromUnixMicros(diagnosis.time_us());
    recent = now - diagnosed <= absl::Hours(24) * r.diagnosis_window_days ? State::PRESENT
                                                                          : State::ABSENT;
  } else if (diagnosis.state() == State::ABSENT) {
    recent = State::ABSENT;
  }
  count.AddDerived("imwg.diagnosis", rules.text.imwg_diagnosis, 1, recent, diagnosis,
                   kImwgSource);
  count.AddTerm("imwg.hyperviscosity", "Hyperviscosity", 1, facts.hyperviscosity(), kImwgSource);

  // Therapy-related factors: each alone calls for LMWH or warfarin.
  bool therapy_uncertain = false;
  const v1::DexamethasoneDose& dex = facts.dexamethasone();
  if (dex.state() == State::PRESENT && dex.mg_per_28_days() >= r.high_dose_dex_min_mg) {
    result.add_therapy_factors(
        absl::StrFormat("high-dose dexamethasone (%g mg per 28 days >= %g)",
                        dex.mg_per_28_days(), r.high_dose_dex_min_mg));
  } else if (dex.state() == State::UNKNOWN) {
    therapy_uncertain = true;
    result.add_missing_data("dexamethasone dose unknown: if >= 480 mg per 28 days it is an "
                            "IMWG therapy-related factor");
  }
  struct TherapyFact {
    const v1::Fact& fact;
    const char* name;
  };
  for (const TherapyFact& t : {TherapyFact{facts.doxorubicin(), "doxorubicin"},
                               TherapyFact{facts.multi_agent_chemotherapy(),
                                           "multi-agent chemotherapy"}}) {
    if (Present(t.fact)) {
      result.add_therapy_factors(t.name);
    } else if (Unknown(t.fact)) {
      therapy_uncertain = true;
      result.add_missing_data(absl::StrCat(
          t.name, " unknown (", t.fact.note().empty() ? "not recorded" : t.fact.note(),
          "): if present it is an IMWG therapy-related factor"));
    }
  }

  result.set_risk_factor_count(count.reported());
  result.set_min_count(count.min());
  result.set_max_count(count.max());
  const bool indicated = count.reported() >= r.anticoagulant_min_count ||
                         result.therapy_factors_size() > 0;
  result.set_anticoagulant_indicated(indicated);
  const bool max_indicated = count.max() >= r.anticoagulant_min_count ||
                             result.therapy_factors_size() > 0 || therapy_uncertain;
  result.set_certain(indicated == max_indicated);
  auto tier_of = [&](int n) {
    return n >= r.anticoagulant_min_count || result.therapy_factors_size() > 0
               ? v1::Tier::HIGH
               : v1::Tier::LOW;
  };
  ExplainMissing(components, count.reported(), "IMWG 2008", tier_of,
                 result.mutable_missing_data());
  if (terms == nullptr) WriteComponents(components, result.mutable_components());
}

void AssessArterialInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                        v1::Arterial* out, EvidenceRefs* refs) {
  v1::Arterial& result = *out;
  result.Clear();
  if (!Present(facts.imid())) return;
  auto note = [&](const v1::Fact& fact, absl::string_view reason) {
    result.add_reasons(reason.data(), reason.size());
    AppendEvidenceCopies(fact.evidence(), result.mutable_evidence(), refs);
  };
  if (Present(facts.prior_arterial_event())) {
    note(facts.prior_arterial_event(),
         "prior myocardial infarction, ischaemic stroke/TIA or peripheral arterial disease");
    result.set_flagged(true);
    return;
  }
  if (Present(facts.hypertension())) note(facts.hypertension(), "hypertension");
  if (Present(facts.hyperlipidemia())) note(facts.hyperlipidemia(), "hyperlipidaemia");
  if (Present(facts.tobacco_use())) note(facts.tobacco_use(), "current tobacco use");
  if (Present(facts.diabetes())) note(facts.diabetes(), "diabetes");
  const bool ckd = Present(facts.chronic_kidney_disease()) ||
                   (Present(facts.egfr()) &&
                    facts.egfr().value() < rules.arterial.ckd_egfr_below);
  if (ckd) {
    note(Present(facts.chronic_kidney_disease()) ? facts.chronic_kidney_disease() : facts.egfr(),
         rules.text.arterial_ckd);
  }
  result.set_flagged(result.reasons_size() >= rules.arterial.min_modifiable_factors);
  if (!result.flagged()) {
    result.clear_reasons();
    result.clear_evidence();
  }
}

void AssessCotherapyInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                         v1::Cotherapy* out, EvidenceRefs* refs) {
  v1::Cotherapy& result = *out;
  result.Clear();
  if (!Present(facts.imid())) return;
  result.set_esa(Present(facts.esa()));
  result.set_estrogen(Present(facts.estrogen()));
  if (result.esa()) {
    *result.mutable_latest_hemoglobin() = facts.hemoglobin_g_dl();
    ReferCopiedEvidence(facts.hemoglobin_g_dl().evidence(),
                        result.mutable_latest_hemoglobin()->mutable_evidence(), refs);
    result.set_hemoglobin_above_esa_stop(
        Present(facts.hemoglobin_g_dl()) &&
        facts.hemoglobin_g_dl().value() > rules.cotherapy.esa_stop_hemoglobin_above_g_dl);
  }
}

v1::ImpedeVte ScoreImpedeVte(const v1::ClinicalFacts& facts, const EngineRules& rules) {
  v1::ImpedeVte result;
  ScoreImpedeVteInto(facts, rules, &result);
  return result;
}

v1::Saved ScoreSaved(const v1::ClinicalFacts& facts, const EngineRules& rules) {
  v1::Saved result;
  ScoreSavedInto(facts, rules, &result);
  return result;
}

v1::Imwg2008 ScoreImwg2008(const v1::ClinicalFacts& facts, const EngineRules& rules,
                           absl::Time now) {
  v1::Imwg2008 result;
  ScoreImwg2008Into(facts, rules, now, &result);
  return result;
}

v1::Arterial AssessArterial(const v1::ClinicalFacts& facts, const EngineRules& rules) {
  v1::Arterial result;
  AssessArterialInto(facts, rules, &result);
  return result;
}

v1::Cotherapy AssessCotherapy(const v1::ClinicalFacts& facts, const EngineRules& rules) {
  v1::Cotherapy result;
  AssessCotherapyInto(facts, rules, &result);
  return result;
}

}  // namespace thrombo::risk
