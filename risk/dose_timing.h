// Copyright 2026 The Thrombo Authors.
// How often a FHIR Timing gives a dose: one reader for every fact that needs doses per day
// (anticoagulant intensity) or a rate over a period (dexamethasone totals).
#ifndef THROMBO_RISK_DOSE_TIMING_H_
#define THROMBO_RISK_DOSE_TIMING_H_

#include <optional>
#include <string>

#include "proto/fhir/r4/datatypes.pb.h"

namespace thrombo::risk {

// `frequency` administrations (up to `frequency_max`) every `period_hours`.
struct TimingRate {
  int frequency = 0;
  int frequency_max = 0;
  double period_hours = 0;
  std::string read_from;  // "repeat", "code" or "text", for notes
};

// Hours in one FHIR UnitsOfTime (UCUM: mo = 30.4375 d, a = 365.25 d); 0 when unset.
double HoursPerUnit(fhir::r4::Timing::Repeat::UnitsOfTime unit);

// The rate of Timing.code alone: HL7 v3 GTSAbbreviation codes (QD, BID, TID, QID, QOD, AM, PM,
// BED, WK, MO, Q1H-Q4H, Q6H, Q8H, Q12H), a coding without a system read the same way, and, when no
// coding is known, Timing.code.text in plain words ("twice daily", "every 12 hours", "q8h").
std::optional<TimingRate> TimingCodeRate(const fhir::r4::CodeableConcept& code);

// The rate of a Timing: repeat.frequency (or the count of timeOfDay / when entries) per
// repeat.period + periodUnit when a period is given, else Timing.code as above. nullopt when
// neither says how often.
std::optional<TimingRate> ReadTimingRate(const fhir::r4::Timing& timing);

// Doses per day of a Timing: the rate above (frequency, not frequencyMax), times the share of
// weekdays given in repeat.dayOfWeek. nullopt when the Timing does not say.
std::optional<double> DosesPerDay(const fhir::r4::Timing& timing);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_DOSE_TIMING_H_
