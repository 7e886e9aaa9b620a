// Copyright 2026 The Thrombo Authors.
// The eight hand-scored vignettes of docs/clinical.md §10 as Scenarios.
#ifndef THROMBO_SERVICE_SYNTH_VIGNETTES_H_
#define THROMBO_SERVICE_SYNTH_VIGNETTES_H_

#include <vector>

#include "absl/time/time.h"
#include "service/synth/scenario.h"

namespace thrombo::synth {

// The §10 vignettes 1-8, in order, evaluated at `now`. Each carries exactly the facts of its
// table row (age, sex, race, BMI, diagnosis timing, regimen with dexamethasone dosing,
// platelets, Cockcroft-Gault CrCl realised as weight/creatinine/age/sex, comorbidities, co-meds)
// and nothing else that would score. Values the row leaves open (platelets in 3 and 5, height)
// are normal. NDMM = diagnosed 60 days before `now`; relapsed = 4 x 365 days before.
// Medication coding styles are mixed across vignettes (SCD, SBD, ingredient, text-only,
// contained and bundled Medication) so the engine is tested on all of them.
// Names are "vignette-<n>-<words>"; seeds are 1001..1008. Pure.
std::vector<NamedScenario> Vignettes(absl::Time now);

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_VIGNETTES_H_
