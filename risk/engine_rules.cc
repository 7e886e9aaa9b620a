// Copyright 2026 The Thrombo Authors.
#include "risk/engine_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"

namespace thrombo::risk {
namespace {

absl::StatusOr<AgentSpec> CompileAgent(const v1::Agent& agent, const std::string& path) {
  if (agent.ingredient().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ".ingredient: empty"));
  }
  AgentSpec spec;
  spec.ingredient = agent.ingredient();
  spec.dose_mg = agent.dose_mg();
  spec.route = agent.route() == "SC" ? "subcutaneous" : "oral";
  spec.frequency = agent.frequency();
  // Doses per day for the order's Timing: frequency per period in days.
  if (agent.timing_frequency() > 0 && agent.timing_period() > 0 &&
      agent.timing_period_unit() == "d") {
    spec.doses_per_day = static_cast<int>(agent.timing_frequency() / agent.timing_period());
  }
  spec.dose_text = agent.dose_text();
  if (!agent.product().empty()) {
    spec.rxnorm_code = agent.product(0).code();
    spec.rxnorm_display = agent.product(0).display();
  }
  return spec;
}

}  // namespace

absl::StatusOr<EngineRules> CompileEngineRules(const v1::Policy& p) {
  EngineRules r;
  r.policy_version = p.version();
  r.race.asian = p.race().asian_code();
  r.race.pacific_islander = p.race().native_hawaiian_pacific_code();

  const v1::ImpedeRules& i = p.impede();
  r.impede = {i.imid_points(),       i.bmi_points(),
              i.bmi_min(),           i.fracture_points(),
              i.esa_points(),        i.dex_high_points(),
              i.dex_low_points(),    i.dex_high_above_mg_per_28d(),
              i.doxorubicin_points(), i.asian_points(),
              i.vte_points(),        i.cvc_points(),
              i.therapeutic_anticoagulation_points(),
              i.prophylactic_anticoagulation_points(),
              i.tier_intermediate_min(), i.tier_high_min(),
              i.native_hawaiian_pacific()};

  const v1::SavedRules& s = p.saved();
  r.saved = {s.surgery_points(),       s.surgery_window_days(),
             s.asian_points(),         s.vte_points(),
             s.age_points(),           static_cast<double>(s.age_min_years()),
             s.dex_high_points(),      s.dex_high_above_mg_per_cycle(),
             s.dex_standard_points(),  s.dex_standard_min_mg_per_cycle(),
             s.high_min(),             s.native_hawaiian_pacific()};

  const v1::ImwgRules& w = p.imwg();
  r.imwg = {w.obesity_bmi_above(), w.high_dose_dex_min_mg_per_28d(), w.diagnosis_window_days(),
            w.estrogen_counts(), w.anticoagulant_min_count()};
  r.arterial = {p.arterial().min_modifiable_factors(), p.arterial().ckd_egfr_below()};
  r.cotherapy = {p.cotherapy().esa_stop_hemoglobin_above_g_dl()};

  RecommendationRules& rec = r.recommend;
  rec.deciding_model = p.decision().deciding_model() == v1::IMWG_2008
                           ? DecidingModel::kImwg2008
                           : DecidingModel::kNccnCombined;
  rec.impede_min = p.decision().impede_decision_min();
  rec.saved_min = p.decision().saved_min();
  rec.imwg_therapy_factor = p.decision().imwg_therapy_factor();
  rec.platelets_hard_stop_below = p.hard_stop().platelets_below();
  rec.active_bleeding_stops = p.hard_stop().active_bleeding();
  rec.hit_excludes_heparins = p.hard_stop().hit_excludes_heparins();
  rec.enoxaparin_renal_below_crcl = p.renal().enoxaparin_reduced_below_crcl();
  rec.rivaroxaban_min_crcl = p.renal().rivaroxaban_min_crcl();
  rec.apixaban_min_crcl = p.renal().apixaban_min_crcl();
  rec.apixaban_caution_below_crcl = p.renal().apixaban_caution_below_crcl();
  rec.maintenance_after_days = p.confidence().maintenance_after_days();
  for (int k = 0; k < p.agents().anticoagulant_size(); ++k) {
    ASSIGN_OR_RETURN(AgentSpec spec, CompileAgent(p.agents().anticoagulant(k),
                                                  absl::StrCat("agents.anticoagulant[", k, "]")));
    rec.anticoagulants.push_back(std::move(spec));
  }
  ASSIGN_OR_RETURN(rec.enoxaparin_renal,
                   CompileAgent(p.agents().enoxaparin_renal(), "agents.enoxaparin_renal"));
  ASSIGN_OR_RETURN(rec.warfarin, CompileAgent(p.agents().warfarin(), "agents.warfarin"));
  ASSIGN_OR_RETURN(rec.aspirin, CompileAgent(p.agents().aspirin(), "agents.aspirin"));

  const v1::LookbackRules& l = p.lookback();
  FactRules& f = r.facts;
  f.platelets_window_days = l.platelets_days();
  f.labs_window_days = l.labs_days();
  f.vitals_window_days = l.vitals_days();
  f.height_window_days = l.height_days();
  f.surgery_window_days = s.surgery_window_days();
  f.infection_window_days = l.acute_infection_days();
  f.cvc_window_days = l.cvc_insertion_days();
  f.multi_agent_min_agents = w.multi_agent_chemotherapy_min_agents();
  f.platelets_low_days = l.platelets_low_days();
  f.platelets_low_below = p.hard_stop().platelets_below();
  f.active_bleeding_days = l.active_bleeding_days();
  f.possibly_current_days = l.possibly_current_days();
  f.dialysis_procedure_days = l.dialysis_procedure_days();
  f.dex_band_cut_offs = {s.dex_standard_min_mg_per_cycle(), s.dex_high_above_mg_per_cycle(),
                         i.dex_high_above_mg_per_28d(), w.high_dose_dex_min_mg_per_28d()};
  f.intensity = IntensityTable::FromPolicy(p.intensity());
  f.flush = p.flush();

  ScoreText& t = r.text;
  t.impede_bmi = absl::StrFormat("BMI >= %g kg/m2", r.impede.bmi_threshold);
  t.impede_dex = absl::StrFormat("Dexamethasone (high > %g mg/28 d: %d, low: %d)",
                                 r.impede.dex_high_above_mg, r.impede.dex_high, r.impede.dex_low);
  t.impede_unknown_intensity =
      absl::StrFormat(": spans %d to 0", r.impede.therapeutic_anticoagulation);
  t.impede_possibly_current = absl::StrFormat("possibly current anticoagulant: spans %d to 0",
                                              r.impede.therapeutic_anticoagulation);
  t.saved_surgery = absl::StrFormat("Surgery within %d days", r.saved.surgery_window_days);
  t.saved_age = absl::StrFormat("Age >= %g years", r.saved.age_threshold);
  t.saved_dex = absl::StrFormat("Dexamethasone per cycle (> %g mg: %d, %g-%g mg: %d)",
                                r.saved.dex_high_above_mg, r.saved.dex_high,
                                r.saved.dex_standard_min_mg, r.saved.dex_high_above_mg,
                                r.saved.dex_standard);
  t.imwg_obesity = absl::StrFormat("Obesity (BMI > %g)", r.imwg.obesity_bmi_above);
  t.imwg_diagnosis =
      absl::StrFormat("Myeloma diagnosed within %d days [P]", r.imwg.diagnosis_window_days);
  t.arterial_ckd =
      absl::StrFormat("chronic kidney disease (eGFR < %g)", r.arterial.ckd_egfr_below);
  return r;
}

}  // namespace thrombo::risk
