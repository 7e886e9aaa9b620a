// Copyright 2026 The Thrombo Authors.
// A seeded random population of myeloma patients, and writing it as one Bundle JSON per patient.
#ifndef THROMBO_SERVICE_SYNTH_POPULATION_H_
#define THROMBO_SERVICE_SYNTH_POPULATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/synth/scenario.h"

namespace thrombo::synth {

// How often each representation that real EHRs write is drawn, per patient (docs/clinical.md
// policy v1.1 rules 14-24). Each rate is an independent per-patient probability; 0 switches the
// representation off. The defaults are of the order seen in real feeds, raised for the rarest ones
// so that a few thousand patients meet each of them dozens of times. The draws come from a stream
// of their own (seeded from the patient's seed), so with None() every patient is exactly the
// patient of the clean generator, and with other rates a patient differs from it only where a
// representation was drawn.
struct MessyRates {
  // Platelets: 26515-7 (method unspecified) or 778-1 (manual count) instead of 777-3.
  double platelet_alternate_code = 0.06;
  // The newest count with a comparator: "<10" (decides: below 50), ">100" (decides: not below
  // 50) or "<100" (does not decide).
  double platelet_comparator = 0.03;
  // A newer count that cannot be read: a valueString, a dataAbsentReason, or a smear estimate in
  // platelets per high-power field ("/[HPF]").
  double platelet_unreadable = 0.03;
  // A count below 50 taken 20-85 days ago; half the time the later normal count is kept, half the
  // time it is the last count on file (low platelets do not expire, rule 15).
  double platelet_old_low = 0.03;
  // A newer count below 50 that is preliminary (counts), cancelled or entered-in-error (do not).
  double platelet_status = 0.03;
  // Creatinine in umol/L under its molar LOINC 14682-9, or in blood (38483-4, mg/dL).
  double creatinine_alternate = 0.12;
  // A newer creatinine that cannot be read (valueString or dataAbsentReason).
  double creatinine_unreadable = 0.02;
  // Of patients with an eGFR: the CKD-EPI 2009 code 62238-1, or a ">60"/">90" comparator.
  double egfr_variant = 0.5;
  // A drug AllergyIntolerance: heparin with HIT, enoxaparin, aspirin, an NSAID or apixaban; a
  // quarter of them refuted, resolved, entered-in-error, unconfirmed or inactive.
  double allergy = 0.06;
  // Of patients with a tunneled catheter: a heparin lock flush order for the port.
  double heparin_flush = 0.3;
  // An active bleeding condition (K25.4, K92.2 or R31.9), or a resolved one from years ago.
  double bleeding = 0.02;
  // A peptic ulcer without haemorrhage (K27.9).
  double peptic_ulcer = 0.01;
  // The dexamethasone (or anticoagulant) regimen recorded again, as a MedicationStatement or a
  // MedicationDispense of the same order.
  double duplicate_regimen = 0.08;
  // Two OMB race categories, one of them Asian.
  double several_races = 0.03;
  // An anticoagulant order on hold, ended within the last 30 days, or ended months ago.
  double anticoagulant_held_or_ended = 0.03;
  // Dialysis dependence (Z99.2) with end-stage renal disease (N18.6) and a creatinine to match.
  double dialysis = 0.008;
  // Ketoconazole (strong CYP3A4 + P-gp inhibitor) or rifampin (strong inducer).
  double cyp3a4_pgp_interaction = 0.02;
  // Body weight below the enoxaparin label's threshold (women < 45 kg, men < 57 kg).
  double low_body_weight = 0.03;
  // An anticoagulant on the home-medication list with no dose or frequency (a MedicationStatement
  // naming the drug only): a systemic anticoagulant of unknown intensity (rule 18).
  double anticoagulant_unknown_dose = 0.01;

  // Every rate 0: the clean generator.
  static MessyRates None();
};

// `n` random patients (n <= 0 gives none) evaluated at `now`. The same (n, seed, now) always
// gives the same scenarios, on any platform: one std::mt19937_64 seeded with `seed` drives
// everything, and its raw output is turned into uniform/normal draws here rather than by the
// implementation-defined std:: distributions. Patient i's scenario does not depend on n.
//
// Approximate mix (each patient independent):
// - regimen: Rd 15%, low-dose Rd (dex 20 weekly) 8%, VRd 15%, KRd 7%, DRd 12%, Pd 6%, DPd 5%,
//   Td 3%, VTd 5%, MPT 2%, lenalidomide maintenance without dex 12%, no IMiD 10% (Vd, or no
//   myeloma therapy at all). Pd/DPd and maintenance are not new diagnoses; others are new
//   diagnoses (<= 5 months) 80% of the time.
// - prior VTE 5%; atrial fibrillation 8%; active anticoagulant ~10% (most AF patients, 40% of
//   prior VTE, 3% of the rest); aspirin 20% of the others; platelets < 50 2%; Cockcroft-Gault
//   CrCl < 30 5%; Asian 5% (race missing 3.5%); ESA 10%; estrogen 2%; surgery within 90 days 3%;
//   tunneled CVC 15%; hypertension 50%, hyperlipidaemia 35%, diabetes 20%, smoker 10%;
//   vitals missing or partial 10%; no labs 10%.
// - coding: IMiD as SCD 35%, SBD 20%, ingredient 15%, text only 10%, contained 10%, bundled 10%
//   (falling back to SCD/ingredient where no SBD/product exists); dosing structured 50%, text
//   20%, both 30%; condition codings SNOMED+ICD / SNOMED / ICD / Synthea SNOMED; 20% transaction
//   bundles; some creatinine in umol/L and platelets in 10*3/uL.
// - then the messy representations of `rates` (see MessyRates).
std::vector<Scenario> RandomPopulation(int n, uint64_t seed, absl::Time now,
                                       const MessyRates& rates = MessyRates());

// RandomPopulation without holding it: calls on_patient(i, scenario) for i = 0..n-1 in order,
// each scenario equal to RandomPopulation(n, seed, now, rates)[i]. Memory does not grow with n
// (the bulk export writer streams 100,000 patients through it).
void ForEachRandomPatient(int n, uint64_t seed, absl::Time now, const MessyRates& rates,
                          absl::FunctionRef<void(int index, Scenario scenario)> on_patient);

// Writes RandomPopulation(n, seed, now) to `out_dir` (which must exist) as patient-0001.json,
// patient-0002.json, ... (pretty-printed FHIR JSON Bundles, via fhir/json_printer.h).
// Errors: kInvalidArgument for n > 9999 (the file names have four digits), kNotFound /
// kPermissionDenied / kInternal when a file cannot be written (naming it), and any
// BuildBundle or printer error. Files written before an error are left in place.
absl::Status WritePopulation(int n, uint64_t seed, absl::Time now, const std::string& out_dir,
                             const MessyRates& rates = MessyRates());

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_POPULATION_H_
