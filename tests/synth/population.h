// Copyright 2026 The Thrombo Authors.
// A seeded random population of myeloma patients, and writing it as one Bundle JSON per patient.
#ifndef THROMBO_TESTS_SYNTH_POPULATION_H_
#define THROMBO_TESTS_SYNTH_POPULATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/synth/scenario.h"

namespace thrombo::synth {

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
std::vector<Scenario> RandomPopulation(int n, uint64_t seed, absl::Time now);

// Writes RandomPopulation(n, seed, now) to `out_dir` (which must exist) as patient-0001.json,
// patient-0002.json, ... (pretty-printed FHIR JSON Bundles, via fhir/json_printer.h).
// Errors: kInvalidArgument for n > 9999 (the file names have four digits), kNotFound /
// kPermissionDenied / kInternal when a file cannot be written (naming it), and any
// BuildBundle or printer error. Files written before an error are left in place.
absl::Status WritePopulation(int n, uint64_t seed, absl::Time now, const std::string& out_dir);

}  // namespace thrombo::synth

#endif  // THROMBO_TESTS_SYNTH_POPULATION_H_
