// Copyright 2026 The Thrombo Authors.
// Dexamethasone dose arithmetic: mg per cycle and mg per 28 days from FHIR Dosage or dosing text.
#ifndef THROMBO_RISK_DEX_DOSE_H_
#define THROMBO_RISK_DEX_DOSE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::risk {

// What the caller knows beyond the Dosage list. All members are optional.
struct DoseContext {
  // mg per tablet/capsule, from Medication.ingredient.strength (see MgPerUnitFromStrength) or a
  // product code the caller resolved. Needed when the dose is in tablets.
  std::optional<double> mg_per_unit;
  // The regimen's cycle length when the caller knows it from elsewhere (e.g. the IMiD order).
  std::optional<int> cycle_days;
  // A regimen text (CarePlan title, the IMiD order's note) searched for a cycle length ("q28d",
  // "21-day cycle") when neither the order nor `cycle_days` gives one.
  std::string regimen_text;
};

// The dose of one drug in mg, per cycle and normalised to 28 days (docs/clinical.md §0 rule 3, policy
// v1: mg per 28 days = mg per cycle x 28 / cycle days; continuous schedules: mg per day x 28).
//
// At least one of mg_per_cycle and mg_per_28_days is set:
// - cyclic order with a known cycle: all three of mg_per_cycle, cycle_days, mg_per_28_days.
// - cyclic order, cycle length unknown ("40 mg x 4 days"): mg_per_cycle only. mg per 28 days is
//   then unknown: the same 4-day course every 14 days is twice the dose of one every 28.
// - continuous order (daily, weekly, BID, dayOfWeek): mg_per_28_days; mg_per_cycle and
//   cycle_days too when a cycle is known (e.g. weekly in a 21-day cycle = 3 doses per cycle).
//
// Ranges: when the order allows more than one amount (Dosage.doseAndRate.doseRange,
// Timing.repeat.frequencyMax or countMax), the main fields hold the value as ordered (the low end
// of a dose range, `frequency`, `count`) and the *_high fields the upper end; is_range and
// ambiguous are set. This library does not pick an end: the scoring code decides whether the range
// matters (see RangeStraddles).
struct DexDose {
  enum class Method { kStructured, kText };

  std::optional<double> mg_per_cycle;
  std::optional<int> cycle_days;
  std::optional<double> mg_per_28_days;
  std::optional<double> mg_per_cycle_high;    // set only when is_range
  std::optional<double> mg_per_28_days_high;  // set only when is_range
  bool is_range = false;
  Method method = Method::kStructured;
  // Which rule fired, for the audit log and card text, e.g. "40 mg x 4 doses per 28-day cycle".
  std::string rule;
  // True when the order is a range, or something was read with an assumption worth showing
  // (a periodMax ignored, two sources disagreeing on the cycle length). Details are in `notes`.
  bool ambiguous = false;
  std::vector<std::string> notes;
};

// mg per unit (tablet, capsule) from Medication.ingredient.strength: numerator in mg, g or mcg;
// denominator absent, unitless, or a tablet/capsule count. kFailedPrecondition when the ratio is
// not a per-unit mass (e.g. mg/mL), kInvalidArgument when a value is missing or not positive.
absl::StatusOr<double> MgPerUnitFromStrength(const fhir::r4::Ratio& strength);

// Structured path: the dose from Dosage entries alone (doseAndRate, timing), using `context` for
// the strength and, when the order gives none, the cycle length (from the entries' own text and
// patientInstruction first, then context.cycle_days, then context.regimen_text).
//
// Supported: doseQuantity in mg/g/ug/mcg (UCUM code or unit text) or tablets x strength;
// doseRange (reported as a range); Timing.repeat frequency/frequencyMax, period/periodUnit (h, d,
// wk, mo = 30.4375 d, a = 365.25 d), dayOfWeek, count/countMax, boundsDuration, boundsPeriod;
// Timing.event (events within one cycle); Timing.code QD, BID, TID, QID, AM, PM, BED, QOD, Q1H-Q12H,
// WK, MO; several entries (concurrent or by `sequence`), which are summed.
//
// Any non-OK status means the dose is UNKNOWN, never guessed, and the message says why:
// - kNotFound: no entry carries a dose or a timing at all (the text path may still work).
// - kFailedPrecondition: the data are there but not enough or not understood: tablets without a
//   strength, a unit that is not a mass, no schedule, PRN, boundsRange, events with a repeat,
//   entries that cannot be summed (continuous and cyclic mixed, different cycle lengths,
//   sequential open-ended entries), a dose comparator.
// - kInvalidArgument: an impossible value (negative dose, zero period, unparsable decimal, a
//   result that overflows), or a context out of range (cycle_days outside 1-366, mg_per_unit
//   not positive).
// Pure and thread-safe.
absl::StatusOr<DexDose> DoseFromDosages(
    const google::protobuf::RepeatedPtrField<fhir::r4::Dosage>& dosages,
    const DoseContext& context);

// Text path: the dose from one dosing text (see ParseDosingText for what is understood). The
// cycle length is the text's own, else context.cycle_days, else context.regimen_text.
// Non-OK statuses as ParseDosingText (kFailedPrecondition / kInvalidArgument), plus
// kFailedPrecondition for a dose in tablets without context.mg_per_unit.
absl::StatusOr<DexDose> DoseFromText(absl::string_view text, const DoseContext& context);

// The order's dose: the structured path, else (when it fails with kNotFound or
// kFailedPrecondition) the text path over the entry's text and patientInstruction (only when the
// order has a single Dosage entry: one of several entries' texts is not the whole order), then
// the notes, first success wins. When nothing works, the structured path's status is returned (or the
// first text failure when there was no structure at all); the message names every reason.
absl::StatusOr<DexDose> DoseFromMedicationRequest(const fhir::r4::MedicationRequest& request,
                                                  const DoseContext& context);
absl::StatusOr<DexDose> DoseFromMedicationStatement(
    const fhir::r4::MedicationStatement& statement, const DoseContext& context);
// The same over a dispense's dosageInstruction and notes.
absl::StatusOr<DexDose> DoseFromMedicationDispense(const fhir::r4::MedicationDispense& dispense,
                                                   const DoseContext& context);

// For a range dose: true when the low and high ends of mg per 28 days fall on different sides of
// `threshold` (low <= threshold < high), so a score band with that cut-off cannot be decided and
// the component should be scored as unknown. False for a non-range dose or an unknown value.
bool RangeStraddles(const DexDose& dose, double threshold_mg_per_28_days);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_DEX_DOSE_H_
