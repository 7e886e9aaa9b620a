// Copyright 2026 The Thrombo Authors.
// ClinicalFacts from a patient's FHIR record: what is true of the patient at the evaluation time,
// each fact PRESENT, ABSENT or UNKNOWN with the evidence behind it.
#ifndef THROMBO_RISK_FACTS_H_
#define THROMBO_RISK_FACTS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fhir/patient_record.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine_rules.h"
#include "risk/evidence_refs.h"
#include "risk/terminology.h"

namespace thrombo::risk {

// LOINC 72166-2 "Tobacco smoking status", the US Core smoking-status observation (Synthea too).
inline constexpr char kSmokingStatusLoinc[] = "http://loinc.org|72166-2";

// Which parts of the record could be obtained. A category that could not be fetched makes every
// fact it would have shown UNKNOWN instead of ABSENT: missing data is said, never read as "no".
struct DataAvailability {
  bool conditions = true;
  bool observations = true;
  bool procedures = true;
  bool allergies = true;
  bool medication_statements = true;
  // False also when a category came back incomplete (a searchset with an unfollowed `next` link,
  // or entries beside an error OperationOutcome): what is there counts, what is not is UNKNOWN.
  bool medication_requests = true;
  bool medication_dispenses = true;
  bool medication_administrations = true;
};

// Extracts the facts of `record` at `now`. `drafts`, when given, holds orders about to be placed
// (a CDS Hooks draftOrders Bundle): they count as starting now and their evidence is marked
// draft_order. Data that cannot be used (an observation without a unit, a dose that cannot be
// computed) makes the fact UNKNOWN with a note; it is never an error. Returns InvalidArgument
// only when the record has no Patient. Thread-safe; `terminology` and `rules` are read only.
absl::StatusOr<v1::ClinicalFacts> ExtractFacts(const fhir::PatientRecord& record,
                                               const fhir::PatientRecord* drafts,
                                               const Terminology& terminology,
                                               const EngineRules& rules, absl::Time now,
                                               const DataAvailability& available = {});

// The same, written into `*out` (cleared first), which may live on an arena: every message of
// the facts is made on out's arena, none copied in from the heap. On error `*out` is untouched.
absl::Status ExtractFactsInto(const fhir::PatientRecord& record,
                              const fhir::PatientRecord* drafts, const Terminology& terminology,
                              const EngineRules& rules, absl::Time now,
                              const DataAvailability& available, v1::ClinicalFacts* out,
                              EvidenceRefs* evidence_refs = nullptr);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACTS_H_
