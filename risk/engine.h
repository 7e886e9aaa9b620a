// Copyright 2026 The Thrombo Authors.
// The clinical engine: record -> facts -> scores -> recommendation, under one policy.
#ifndef THROMBO_RISK_ENGINE_H_
#define THROMBO_RISK_ENGINE_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fhir/patient_record.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/policy.pb.h"
#include "risk/engine_rules.h"
#include "risk/facts.h"
#include "risk/score_tally.h"
#include "risk/terminology.h"

namespace thrombo::risk {

// Immutable after Create; Assess is thread-safe and does no I/O. Build one per policy and share.
class Engine final {
 public:
  // Compiles `policy` (already validated by ValidatePolicy) into a terminology and rules.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const v1::Policy& policy);

  // The engine of the embedded default policy (built once).
  static const Engine& Default();

  // The assessment of `record` at `now`; `drafts` are orders about to be placed (may be null).
  // InvalidArgument when the record has no Patient.
  // `available` says which record categories could be obtained (see DataAvailability).
  absl::StatusOr<v1::Assessment> Assess(const fhir::PatientRecord& record,
                                        const fhir::PatientRecord* drafts, absl::Time now,
                                        const DataAvailability& available = {}) const;

  // The same, written into `*out` (cleared first; left empty on error). When `out` lives on an
  // Arena every message of the assessment is made on it and none is copied in from the heap, so
  // a caller that owns the arena pays neither the mallocs nor the frees of the output.
  // With `terms`, the scores' terms are left there instead of written into `out` as components
  // (scores.h): they refer to out's facts and this engine's policy, and are read while both live.
  // With `evidence_refs`, the evidence's text of an `out` on an arena (which must outlive it) is
  // kept there, not in `out` (evidence_refs.h; one on the heap keeps its own): read it with
  // EvidenceTextOf, or Materialize it where `out` is printed.
  absl::Status AssessInto(const fhir::PatientRecord& record, const fhir::PatientRecord* drafts,
                          absl::Time now, const DataAvailability& available,
                          v1::Assessment* out, ScoreTerms* terms = nullptr,
                          EvidenceRefs* evidence_refs = nullptr) const;

  // The second half of Assess: the scores and the recommendation for facts already extracted
  // (or built by a test), as one Assessment for `patient_id` at `now`. Pure and thread-safe.
  v1::Assessment AssessFacts(v1::ClinicalFacts facts, absl::Time now,
                             std::string_view patient_id = "") const;

  // The same into `*assessment`, whose facts are already there: writes everything else
  // (identity, scores, flags, recommendation) in place, on its arena if it has one.
  void AssessFactsInto(absl::Time now, std::string_view patient_id, v1::Assessment* assessment,
                       ScoreTerms* terms = nullptr, EvidenceRefs* evidence_refs = nullptr) const;

  const EngineRules& rules() const { return rules_; }
  const Terminology& terminology() const { return *terminology_; }

 private:
  Engine(std::unique_ptr<Terminology> terminology, EngineRules rules)
      : terminology_(std::move(terminology)), rules_(std::move(rules)) {}

  std::unique_ptr<Terminology> terminology_;
  EngineRules rules_;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ENGINE_H_
