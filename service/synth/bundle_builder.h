// Copyright 2026 The Thrombo Authors.
// BuildBundle: one Scenario -> one FHIR R4 Bundle shaped like real EHR/Synthea output.
#ifndef THROMBO_SERVICE_SYNTH_BUNDLE_BUILDER_H_
#define THROMBO_SERVICE_SYNTH_BUNDLE_BUILDER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/synth/scenario.h"

namespace thrombo::synth {

// Builds a collection (or transaction) Bundle for `scenario`:
// - entry 0 is the Patient (US Core race extension with ombCategory + text, an MRN identifier,
//   name, gender, birthDate), followed by Conditions, vital-sign and laboratory Observations,
//   Medications (kBundledMedication only), MedicationRequests/Statements, Procedures and
//   AllergyIntolerances, in the scenario's order within each group.
// - every fullUrl is "urn:uuid:<id>" and every in-bundle reference uses that form; contained
//   Medications are referenced as "#med1". Requesters are display-only references because the
//   R4 subset models no Practitioner.
// - all times are UTC ("+00:00", second precision), dates are day precision.
//
// Deterministic: ids come from scenario.seed and the entry order only, so the same Scenario
// always gives an identical Bundle (and identical serialized bytes).
//
// Errors (kInvalidArgument, the message naming the offending item): neither age nor birth date,
// a value that is not a FHIR decimal, a product coding (SCD/SBD/contained/bundled by product)
// for a strength docs/clinical.md §9e does not list, an ingredient coding for a drug with no
// RxNorm code, an abatement date on an active condition, a MedicationStatement with a status that
// only orders have (draft).
absl::StatusOr<fhir::r4::Bundle> BuildBundle(const Scenario& scenario);

// The `index`-th id of the stream seeded by `seed`, formatted as a version-4 UUID. Pure.
std::string DeterministicUuid(uint64_t seed, uint64_t index);

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_BUNDLE_BUILDER_H_
