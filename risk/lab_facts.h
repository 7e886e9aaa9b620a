// Copyright 2026 The Thrombo Authors.
// Laboratory and vital-sign Observations and how each is read (docs/clinical.md policy v1.1
// rules 14, 15, 24): the value with its comparator, unit and status, kept as recorded so a card
// can quote it. Settles the platelet, haemoglobin, eGFR and smoking facts; body size and renal
// function are settled from these readings by risk/renal_body_facts.
#ifndef THROMBO_RISK_LAB_FACTS_H_
#define THROMBO_RISK_LAB_FACTS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "fhir/lab_observation.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/policy.pb.h"
#include "risk/fact_context.h"
#include "risk/fhir_values.h"

namespace thrombo::risk {

// One Observation's value for one measurement, as read. Small and flat (the record text is
// quoted from `source` only when a fact or a data issue needs it), so a patient's readings cost
// one small allocation per kind.
struct LabReading {
  absl::Time time;
  const fhir::LabObservation* source = nullptr;
  // The value (or, with a comparator, its bound) in the measurement's unit; empty when the
  // value cannot be read at all (`unreadable()` says why).
  std::optional<double> value;
  fhir::r4::Quantity::Comparator comparator = fhir::r4::Quantity::COMPARATOR_UNSPECIFIED;
  Unit unit = Unit::kKilogram;  // the measurement's unit
  // Rule 14: named under a code the policy does not list, so the value is not read.
  bool local_code = false;

  bool exact() const {
    return value.has_value() && comparator == fhir::r4::Quantity::COMPARATOR_UNSPECIFIED;
  }
  // True when the true value is certainly below `threshold` (an exact value, or a "<" / "<="
  // bound that decides), and certainly at or above it.
  bool CertainlyBelow(double threshold) const;
  bool CertainlyAtOrAbove(double threshold) const;
  // The value as recorded, e.g. "<10 10*9/L" or "\"clumped\"".
  std::string recorded() const;
  // Why the value cannot be read, e.g. "unit 'mg/24h' cannot be converted"; empty when read.
  std::string unreadable() const;
  // Writes the evidence quoting the record into `e`: matched = "<10 10*9/L on 2026-11-20";
  // its text into `refs` when not null (evidence_refs.h). Leaves `e` empty without a source.
  void WriteEvidence(v1::Evidence* e, EvidenceRefs* refs) const;
};

// Reads `o`'s value as a `unit` measurement. Observations whose status is cancelled,
// entered-in-error or registered (no result yet) return nullopt: they do not exist. Preliminary,
// final, amended and corrected results count.
std::optional<LabReading> ReadLab(const fhir::LabObservation& o, Unit unit);

class LabFacts final {
 public:
  explicit LabFacts(FactContext& context) : c_(context) {}

  // `observation` must outlive this object (PatientRecord::lab_observations() does).
  void Add(const fhir::LabObservation& observation);
  // Platelets (rule 15), haemoglobin, eGFR and tobacco use from the smoking-status observation.
  void Finish();

  // Every reading of `kind`, in record order.
  const std::vector<LabReading>& Readings(v1::LabKind kind) const;
  // The most recent reading of `kind` (any age), or null.
  const LabReading* Latest(v1::LabKind kind) const;

 private:
  void SettlePlatelets();

  // The lab kind whose words (policy lab.text) an Observation without a LOINC coding carries.
  std::optional<v1::LabKind> NamedByText(const fhir::LabObservation& o) const;
  // Terminology::MatchLab, remembered for a one-coding Observation's (system, code).
  std::optional<v1::LabKind> MatchLab(const fhir::LabObservation& o);

  FactContext& c_;
  // Indexed by v1::LabKind (a handful of small values).
  std::array<std::vector<LabReading>, v1::LabKind_ARRAYSIZE> readings_;
  bool smoking_set_ = false;
  absl::Time smoking_time_;
  bool smoker_ = false;
  // The latest smoking-status observation's tobacco-use match, written as evidence by Finish.
  const fhir::LabObservation* smoking_source_ = nullptr;
  MatchSource smoking_match_source_ = MatchSource::kCode;
  MatchedText smoking_matched_;
  // A record's results repeat a handful of tests (a panel on each date), and looking the code up
  // was a third of reading a result: the first few codes seen are remembered, as views into
  // their Observations. A code past them is looked up each time.
  struct RememberedLab {
    std::string_view system;
    std::string_view code;
    std::optional<v1::LabKind> kind;
  };
  std::array<RememberedLab, 8> remembered_labs_;
  size_t remembered_lab_count_ = 0;
};

// Which side of a comparator's bound can stand in for the value without making a decision less
// cautious.
enum class SafeBound { kNone, kUpper, kLower };

// The measurement's unit and window, and the fact it settles into.
Unit UnitOf(v1::LabKind kind);

// Writes the most recent reading within `window_days` into `fact` (PRESENT with value, unit,
// time and evidence), or UNKNOWN with a note saying why: none recorded, the latest too old, or
// the latest unreadable (its record quoted). A comparator is UNKNOWN unless
// its bound is on the side `bound` says is safe (then the bound is the value, with a note):
// an upper bound for creatinine (the clearance computed from it is a lower bound), a lower bound
// for eGFR (">60" is not below the CKD cut-off of 60).
void SettleLatest(const FactContext& c, const std::vector<LabReading>& readings, const char* what,
                  const char* unit, int window_days, SafeBound bound, v1::Fact* fact);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_LAB_FACTS_H_
