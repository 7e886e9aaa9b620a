// Copyright 2026 The Thrombo Authors.
// Reading clinical values out of FHIR elements: decimals, dates, quantities in a target unit,
// statuses. Small pure functions shared by fact extraction.
#ifndef THROMBO_RISK_FHIR_VALUES_H_
#define THROMBO_RISK_FHIR_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::risk {

// The decimal's value, or nullopt when its text is empty or not a finite number.
std::optional<double> ToDouble(const fhir::r4::Decimal& decimal);
std::optional<double> DecimalToDouble(absl::string_view text);

// The start of a date/dateTime/instant, or nullopt when absent.
std::optional<absl::Time> ToTime(const fhir::r4::DateTime& date_time);
std::optional<absl::Time> ToTime(const fhir::r4::Date& date);
std::optional<absl::Time> ToTime(const fhir::r4::Instant& instant);

// Completed years between `birth` and `now` (civil dates in UTC).
int AgeInYears(absl::Time birth, absl::Time now);

// A calendar date (proleptic Gregorian).
struct UtcDate {
  int64_t year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31
};
// The UTC date of a finite `t`, by arithmetic: what absl::ToCivilDay(t, absl::UTCTimeZone())
// gives, without the time-zone lookup that costs more than the rest of a fact. Nullopt for an
// infinite time.
std::optional<UtcDate> ToUtcDate(absl::Time t);

// Units a measurement may be asked for.
enum class Unit {
  kKilogram,            // kg, g, [lb_av]
  kCentimetre,          // cm, m, mm, [in_i]
  kBmi,                 // kg/m2
  kPerNanolitre,        // platelets: 10*9/L == 10*3/uL == K/uL
  kMilligramPerDecilitre,  // creatinine: mg/dL, umol/L (/88.4)
  kGramPerDecilitre,    // haemoglobin: g/dL, g/L (/10), mmol/L (x1.611)
  kEgfr,                // mL/min/{1.73_m2}
  kMilligram,           // doses: mg, g, ug/mcg
};

// The quantity's value converted to `unit`, or nullopt when the quantity has no value, a
// comparator ("<50" is not a number we can act on), or a unit we cannot convert. Units are read
// from the UCUM code, else the unit text, case-insensitively.
std::optional<double> QuantityIn(const fhir::r4::Quantity& quantity, Unit unit);
// As QuantityIn, but a comparator is ignored: "<10 10*9/L" gives 10, the bound.
std::optional<double> BoundIn(const fhir::r4::Quantity& quantity, Unit unit);
// BoundIn of a quantity given by its parts: the decimal's text, the UCUM code and the unit text.
std::optional<double> BoundIn(absl::string_view value, absl::string_view code,
                              absl::string_view unit_text, Unit unit);

// An Observation status whose value may be used: final, amended, corrected or preliminary.
bool IsUsableObservation(fhir::r4::ObservationStatusCode::Value status);

// Condition status per FHIR's condition-clinical / condition-ver-status code systems.
bool IsRefutedOrInError(const fhir::r4::Condition& condition);
bool IsActiveCondition(const fhir::r4::Condition& condition);
// IsActiveCondition for a condition already known not to be refuted or in error (the clinical
// status alone).
bool IsClinicallyActive(const fhir::r4::Condition& condition);
// Onset (onset[x] dateTime or period start), else recordedDate.
std::optional<absl::Time> ConditionTime(const fhir::r4::Condition& condition);

// When a Procedure was performed (performed[x] dateTime or period start).
std::optional<absl::Time> ProcedureTime(const fhir::r4::Procedure& procedure);

// True when the code's first coding in `system` has code `code`.
bool HasCoding(const fhir::r4::CodeableConcept& concept, absl::string_view system,
               absl::string_view code);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FHIR_VALUES_H_
