// Copyright 2026 The Thrombo Authors.
// The numbers and choices the scores and the recommendation use, as a plain const struct compiled
// once from the policy file (load configuration once, pass a const options struct into risk/).
// Every field is filled from the policy; see risk/default_policy.textproto for values and sources.
#ifndef THROMBO_RISK_ENGINE_RULES_H_
#define THROMBO_RISK_ENGINE_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/thrombo/v1/policy.pb.h"
#include "risk/anticoagulant_intensity.h"

namespace thrombo::risk {

struct ImpedeRules {
  int imid = 0;
  int bmi = 0;
  double bmi_threshold = 0;  // BMI >= this scores
  int fracture = 0;
  int esa = 0;
  int dex_high = 0;          // mg per 28 days > dex_high_above_mg
  int dex_low = 0;           // > 0 and <= dex_high_above_mg
  double dex_high_above_mg = 0;
  int doxorubicin = 0;
  int asian = 0;
  int vte = 0;
  int cvc = 0;
  int therapeutic_anticoagulation = 0;
  int prophylactic_anticoagulation = 0;
  int intermediate_min = 0;  // tiers: low < intermediate_min <= intermediate < high_min
  int high_min = 0;
  v1::RaceTermHandling pacific_islander = v1::SCORE_AS_UNKNOWN;  // NHOPI (§0.4)
};

struct SavedRules {
  int surgery = 0;
  int surgery_window_days = 0;
  int asian = 0;
  int vte = 0;
  int age = 0;
  double age_threshold = 0;  // age >= this scores
  int dex_high = 0;          // mg per cycle > dex_high_above_mg
  double dex_high_above_mg = 0;
  int dex_standard = 0;      // mg per cycle in [dex_standard_min_mg, dex_high_above_mg]
  double dex_standard_min_mg = 0;
  int high_min = 0;          // points >= high_min is high risk
  v1::RaceTermHandling pacific_islander = v1::SCORE_AS_ZERO;  // NHOPI (§0.4)
};

struct ImwgRules {
  double obesity_bmi_above = 0;       // BMI > this is obesity
  double high_dose_dex_min_mg = 0;    // mg per 28 days >= this is high-dose dexamethasone
  int diagnosis_window_days = 0;      // "diagnosis per se" when diagnosed within this window
  bool estrogen_counts = false;       // HRT/estrogen as a medication factor (NCCN-adapted) [P]
  int anticoagulant_min_count = 0;    // count >= this -> LMWH / warfarin
};

struct ArterialRules {
  int min_modifiable_factors = 0;     // >= this many of HTN, lipids, tobacco, diabetes, CKD
  double ckd_egfr_below = 0;          // eGFR below this counts as CKD for the flag
};

struct CotherapyRules {
  double esa_stop_hemoglobin_above_g_dl = 0;  // EU SmPC: stop the ESA when Hb > 13 g/dL
};

// A drug the recommendation can suggest, with the product to order.
struct AgentSpec {
  std::string ingredient;      // "enoxaparin"
  double dose_mg = 0;          // per administration; 0 for warfarin (dosed to INR)
  std::string route;           // "subcutaneous" | "oral"
  std::string frequency;       // "once daily" | "twice daily"
  int doses_per_day = 0;
  std::string dose_text;       // "40 mg SC once daily"
  std::string rxnorm_code;     // SCD to order
  std::string rxnorm_display;
};

enum class DecidingModel { kNccnCombined, kImwg2008 };

struct RecommendationRules {
  DecidingModel deciding_model = DecidingModel::kNccnCombined;
  // NCCN_COMBINED: anticoagulant when IMPEDE decision >= impede_min, or SAVED >= saved_min, or
  // (when imwg_therapy_factor) any IMWG therapy factor (§0.5).
  int impede_min = 0;
  int saved_min = 0;
  bool imwg_therapy_factor = false;
  double platelets_hard_stop_below = 0;  // 10*9/L, most recent result within the window
  bool active_bleeding_stops = false;
  bool hit_excludes_heparins = false;
  double enoxaparin_renal_below_crcl = 0;
  double rivaroxaban_min_crcl = 0;
  double apixaban_min_crcl = 0;
  double apixaban_caution_below_crcl = 0;
  int maintenance_after_days = 0;        // low-confidence note after this long without dex
  // Anticoagulants in order of preference, and the alternatives shown after them.
  std::vector<AgentSpec> anticoagulants;
  AgentSpec enoxaparin_renal;            // replaces enoxaparin below enoxaparin_renal_below_crcl
  AgentSpec warfarin;
  AgentSpec aspirin;
};

// Look-back windows and measurement rules of fact extraction.
struct FactRules {
  int platelets_window_days = 0;       // hard stop uses a count this recent (§0.8)
  int labs_window_days = 0;            // creatinine, haemoglobin, eGFR [P]
  int vitals_window_days = 0;          // weight, BMI [P]
  int height_window_days = 0;          // 0: any recorded adult height [P]
  int surgery_window_days = 0;         // SAVED surgery term (§3)
  int infection_window_days = 0;       // IMWG acute infection [P]
  int cvc_window_days = 0;             // a CVC inserted this recently is taken to be in place [P]
  int multi_agent_min_agents = 0;      // cytotoxic agents that make "multi-agent chemotherapy" [P]
  // Policy v1.1 (docs/clinical.md rules 15, 17, 19, 23) [P].
  int platelets_low_days = 0;          // a low count this recent stays the platelet fact
  double platelets_low_below = 0;      // 10*9/L; "low" = below the hard-stop threshold
  int active_bleeding_days = 0;        // a bleed this recent counts even when not active
  int possibly_current_days = 0;       // an anticoagulant ended this recently may be current
  int dialysis_procedure_days = 0;     // a dialysis session this recent means dialysis
  // Dexamethasone doses (mg) where a score changes band: a dose range straddling one of them
  // cannot be scored (SAVED 120 and 160 per cycle, IMPEDE 160 and IMWG 480 per 28 days).
  std::vector<double> dex_band_cut_offs;
  IntensityTable intensity;            // anticoagulant prophylaxis ceilings (policy intensity)
  v1::FlushRules flush;                // catheter lock / flush recognition (rule 18)
};

// US Core race codes the scores ask about (§0.4, §9d).
struct RaceRules {
  std::string asian;
  std::string pacific_islander;
};

// The score labels and notes that quote policy numbers (e.g. "BMI >= 25 kg/m2"), formatted once
// when the policy is compiled rather than on every assessment.
struct ScoreText {
  std::string impede_bmi;                  // "BMI >= 25 kg/m2"
  std::string impede_dex;                  // "Dexamethasone (high > 160 mg/28 d: 4, low: 2)"
  std::string impede_unknown_intensity;    // ": spans -4 to 0"
  std::string impede_possibly_current;     // "possibly current anticoagulant: spans -4 to 0"
  std::string saved_surgery;               // "Surgery within 90 days"
  std::string saved_age;                   // "Age >= 80 years"
  std::string saved_dex;                   // "Dexamethasone per cycle (> 160 mg: 2, ...)"
  std::string imwg_obesity;                // "Obesity (BMI > 30)"
  std::string imwg_diagnosis;              // "Myeloma diagnosed within 180 days [P]"
  std::string arterial_ckd;                // "chronic kidney disease (eGFR < 60)"
};

struct EngineRules {
  std::string policy_version;
  RaceRules race;
  ImpedeRules impede;
  SavedRules saved;
  ImwgRules imwg;
  ArterialRules arterial;
  CotherapyRules cotherapy;
  RecommendationRules recommend;
  FactRules facts;
  ScoreText text;  // from the numbers above
};

// Compiles a validated policy into rules. InvalidArgument naming the field when something the
// engine needs is missing (e.g. "agents.aspirin: no product code").
absl::StatusOr<EngineRules> CompileEngineRules(const v1::Policy& policy);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ENGINE_RULES_H_
