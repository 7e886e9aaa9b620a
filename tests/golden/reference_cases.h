// Copyright 2026 The Thrombo Authors.
// Engine inputs whose Assessments are pinned byte for byte (assessment_reference_test) or dumped
// for a before/after comparison of a whole population (assessment_dump): the engine's output is a
// contract, and a change that only makes the engine faster must not change one byte of it.
#ifndef THROMBO_TESTS_GOLDEN_REFERENCE_CASES_H_
#define THROMBO_TESTS_GOLDEN_REFERENCE_CASES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::golden {

// The evaluation time of every case (the vignettes' and the engine benchmark's).
absl::Time ReferenceNow();

// `a` serialized with a fixed field order, so equal messages give equal bytes.
std::string DeterministicBytes(const v1::Assessment& a);

struct ReferenceCase {
  std::string name;  // a file name stem, e.g. "vignette-3" or "synth-0007-draft"
  // Engine::Assess's; Internal when Engine::AssessInto on an arena gave different bytes.
  absl::StatusOr<v1::Assessment> assessment;
};

// The eight hand-written vignette bundles (tests/golden/vignette-N.json) assessed as recorded,
// then each again with one record category unavailable (vignette N loses category N of
// DataAvailability), so the UNKNOWN paths are pinned too.
std::vector<ReferenceCase> VignetteCases();

// `n` RandomPopulation patients (seed `seed`) with every messy representation drawn far more
// often than the defaults, each assessed as recorded and, when it has an active IMiD
// MedicationRequest, again at order-sign with that order moved into the draft orders.
std::vector<ReferenceCase> PopulationCases(int n, uint64_t seed);

}  // namespace thrombo::golden

#endif  // THROMBO_TESTS_GOLDEN_REFERENCE_CASES_H_
