// Copyright 2026 The Thrombo Authors.
// Medications and their reconciliation (docs/clinical.md policy v1.1 rules 18-20, 23): every
// MedicationRequest, MedicationStatement, MedicationDispense and MedicationAdministration is
// read, classified as current, possibly current or past, and the records of one ingredient over
// overlapping time are counted as one regimen.
#ifndef THROMBO_RISK_MEDICATION_FACTS_H_
#define THROMBO_RISK_MEDICATION_FACTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fhir/patient_record.h"
#include "risk/fact_context.h"

namespace thrombo::risk {

// How current a medication record is at the evaluation time.
enum class Currency {
  kNone,             // stopped, cancelled, in error, or ended long ago
  kPossiblyCurrent,  // on hold, ended within possibly_current_days, status unknown (rule 19)
  kCurrent,          // active now (or a draft order about to be signed)
};

// Record kinds, most specific first: a draft order replaces an active order of the same
// ingredient (rule 20); then orders, dispenses, statements and administrations.
enum class RecordKind { kDraftOrder, kOrder, kDispense, kStatement, kAdministration };

// One medication record, normalised.
struct MedicationRecord {
  RecordKind kind = RecordKind::kOrder;
  // Views of constants and of the record's resource (which outlives the records).
  absl::string_view type;  // "MedicationRequest", ...
  absl::string_view id;
  absl::string_view path;  // of the medication element
  const fhir::r4::CodeableConcept* concept = nullptr;
  const fhir::r4::Medication* medication = nullptr;
  // A medicationReference's display when the Medication it points to was not received (neither
  // contained nor in the record): the drug is read from that name, as a text-only one is.
  absl::string_view reference_display;
  // A medicationReference to a Medication not received, without a display: the drug is unknown.
  bool unnamed_reference = false;
  const google::protobuf::RepeatedPtrField<fhir::r4::Dosage>* dosages = nullptr;
  const fhir::r4::MedicationRequest* request = nullptr;
  const fhir::r4::MedicationStatement* statement = nullptr;
  const fhir::r4::MedicationDispense* dispense = nullptr;
  const fhir::r4::MedicationAdministration* administration = nullptr;
  Currency currency = Currency::kNone;
  std::string why;  // for a possibly current record: "on hold", "ended 2026-11-20", ...
};

// The records of `record` (and of `drafts`, as draft orders) with their currency at `now`.
// `possibly_current_days` bounds how long after its end a record is possibly current.
std::vector<MedicationRecord> ReadMedicationRecords(const fhir::PatientRecord& record,
                                                    const fhir::PatientRecord* drafts,
                                                    absl::Time now, int possibly_current_days);

// Writes the drug facts of `records`: IMiD, dexamethasone, ESA, estrogen, chemotherapy,
// anticoagulation (therapeutic / prophylactic / UNKNOWN intensity; flushes and locks are not
// anticoagulation, rule 18), possibly current anticoagulants (rule 19), aspirin, strong CYP3A4 +
// P-gp inhibitors and inducers (rule 23), and facts.drugs. Only current records make a drug
// fact; of one ingredient's current records only the most specific kind counts (rule 20).
void AddMedicationFacts(const std::vector<MedicationRecord>& records, FactContext& context);

// True when `record`, matched as heparin, is a catheter flush or lock (policy `flush`).
bool IsFlushOrLock(const MedicationRecord& record, const DrugMatch& match,
                   const v1::FlushRules& rules);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_MEDICATION_FACTS_H_
