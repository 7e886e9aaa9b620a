// Copyright 2026 The Thrombo Authors.
#include "risk/fhir_values.h"

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "base/utc_time.h"

namespace thrombo::risk {
namespace {

using fhir::r4::CodeableConcept;

constexpr char kConditionClinical[] = "http://terminology.hl7.org/CodeSystem/condition-clinical";
constexpr char kConditionVerification[] =
    "http://terminology.hl7.org/CodeSystem/condition-ver-status";

// Creatinine: 1 mg/dL = 88.42 umol/L (molar mass 113.12 g/mol; the factor 88.4 of KDIGO 2012
// CKD guideline's SI conversion table).
constexpr double kCreatinineUmolPerMg = 88.42;
// Haemoglobin: 1 mmol/L (monomer) = 1.611 g/dL.
constexpr double kHemoglobinGdlPerMmol = 1.611;
constexpr double kKgPerPound = 0.45359237;
constexpr double kCmPerInch = 2.54;

// The UCUM code (else the unit text), lower-cased and without spaces, written into `buffer` (a
// unit longer than the buffer matches nothing the tables below list, so it is cut short there).
// The unit text lower-cased without spaces, into `buffer`.
absl::string_view UnitKey(absl::string_view text, char (&buffer)[64]) {
  size_t n = 0;
  for (char ch : text) {
    if (ch == ' ') continue;
    if (n == sizeof(buffer)) break;
    buffer[n++] = absl::ascii_tolower(static_cast<unsigned char>(ch));
  }
  return absl::string_view(buffer, n);
}

std::optional<double> Factor(absl::string_view u, Unit unit) {
  switch (unit) {
    case Unit::kKilogram:
      if (u == "kg") return 1.0;
      if (u == "g") return 0.001;
      if (u == "[lb_av]" || u == "lb" || u == "lbs") return kKgPerPound;
      break;
    case Unit::kCentimetre:
      if (u == "cm") return 1.0;
      if (u == "m") return 100.0;
      if (u == "mm") return 0.1;
      if (u == "[in_i]" || u == "in") return kCmPerInch;
      break;
    case Unit::kBmi:
      if (u == "kg/m2" || u == "kg/m^2" || u == "kg/m²") return 1.0;
      break;
    case Unit::kPerNanolitre:
      // 10^9 per litre = 10^3 per microlitre = 10^3 per mm3 = 1 per nanolitre (UCUM); the
      // spellings are the UCUM codes and the unit texts laboratory systems print.
      if (u == "10*9/l" || u == "10^9/l" || u == "x10*9/l" || u == "x10^9/l" || u == "10e9/l" ||
          u == "x10e9/l" || u == "giga/l" || u == "10*3/ul" || u == "10^3/ul" ||
          u == "x10*3/ul" || u == "x10^3/ul" || u == "10e3/ul" || u == "x10e3/ul" ||
          u == "10*3/µl" || u == "10^3/µl" || u == "k/ul" ||
          u == "k/µl" || u == "k/mm3" || u == "/nl" || u == "10*3/mm3" || u == "10^3/mm3" ||
          u == "thou/ul" || u == "thou/mm3" || u == "thousand/ul") {
        return 1.0;
      }
      // Platelets per microlitre ("150000 /uL"): 10^3/uL is 1,000 of them.
      if (u == "/ul" || u == "/µl" || u == "/mm3" || u == "cells/ul") return 0.001;
      break;
    case Unit::kMilligramPerDecilitre:
      if (u == "mg/dl") return 1.0;
      if (u == "umol/l" || u == "µmol/l" || u == "micromol/l") return 1.0 / kCreatinineUmolPerMg;
      if (u == "mmol/l") return 1000.0 / kCreatinineUmolPerMg;
      if (u == "mg/l") return 0.1;
      break;
    case Unit::kGramPerDecilitre:
      if (u == "g/dl") return 1.0;
      if (u == "g/l") return 0.1;
      if (u == "mmol/l") return kHemoglobinGdlPerMmol;
      break;
    case Unit::kEgfr:
      if (u == "ml/min/{1.73_m2}" || u == "ml/min/1.73m2" || u == "ml/min/{1.73m2}" ||
          u == "ml/min/1.73_m2" || u == "ml/min") {
        return 1.0;
      }
      break;
    case Unit::kMilligram:
      if (u == "mg") return 1.0;
      if (u == "g") return 1000.0;
      if (u == "ug" || u == "mcg" || u == "µg") return 0.001;
      break;
  }
  return std::nullopt;
}

bool HasCode(const CodeableConcept& concept, absl::string_view system, absl::string_view code) {
  for (const fhir::r4::Coding& coding : concept.coding()) {
    if (coding.code() == code && (coding.system().empty() || coding.system() == system)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<double> ToDouble(const fhir::r4::Decimal& decimal) {
  return DecimalToDouble(decimal.value());
}

std::optional<double> DecimalToDouble(absl::string_view text) {
  // Plain decimals ("1.3", "-12", "0.25") are nearly all a record holds. With at most 15 digits
  // the digits form an integer below 2^53 and the power of ten is at most 1e15, both exact
  // doubles, so one IEEE division gives the double nearest the decimal: what the general parser
  // below returns (it rounds correctly), without its cost. Anything else takes that parser.
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  uint64_t digits = 0;
  int count = 0;
  int fraction = -1;  // digits after the point; -1 before one is seen
  bool plain = i < text.size();
  for (; plain && i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      digits = digits * 10 + static_cast<uint64_t>(ch - '0');
      plain = ++count <= 15;
      if (fraction >= 0) ++fraction;
    } else {
      plain = ch == '.' && fraction < 0 && count > 0;
      fraction = 0;
    }
  }
  if (plain && fraction != 0) {
    const double magnitude =
        static_cast<double>(digits) / kPowersOfTen[fraction < 0 ? 0 : fraction];
    return negative ? -magnitude : magnitude;
  }
  double value = 0;
  if (text.empty() || !absl::SimpleAtod(text, &value) ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<absl::Time> ToTime(const fhir::r4::DateTime& date_time) {
  if (date_time.precision() == fhir::r4::DATE_PRECISION_UNSPECIFIED) return std::nullopt;
  return absl::FromUnixMicros(date_time.value_us());
}

std::optional<absl::Time> ToTime(const fhir::r4::Date& date) {
  if (date.precision() == fhir::r4::DATE_PRECISION_UNSPECIFIED) return std::nullopt;
  return absl::FromUnixMicros(date.value_us());
}

std::optional<absl::Time> ToTime(const fhir::r4::Instant& instant) {
  if (instant.precision() == fhir::r4::DATE_PRECISION_UNSPECIFIED) return std::nullopt;
  return absl::FromUnixMicros(instant.value_us());
}

std::optional<UtcDate> ToUtcDate(absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return std::nullopt;
  // ToUnixSeconds rounds toward negative infinity, so a time before midnight is that day's.
  const int64_t seconds = absl::ToUnixSeconds(t);
  constexpr int64_t kSecondsPerDay = 86400;
  int64_t days = seconds / kSecondsPerDay;
  if (seconds % kSecondsPerDay < 0) --days;
  const base::CivilDate date = base::CivilFromDays(days);
  return UtcDate{date.year, date.month, date.day};
}

namespace {

// The UTC date of any `t`: by arithmetic when finite, through absl for an infinite time (whose
// civil day absl clamps, as it always did here).
UtcDate DateOf(absl::Time t) {
  if (const std::optional<UtcDate> date = ToUtcDate(t)) return *date;
  const absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  return UtcDate{day.year(), day.month(), day.day()};
}

}  // namespace

int AgeInYears(absl::Time birth, absl::Time now) {
  const UtcDate b = DateOf(birth);
  const UtcDate n = DateOf(now);
  int years = static_cast<int>(n.year - b.year);
  if (n.month < b.month || (n.month == b.month && n.day < b.day)) --years;
  return years;
}

std::optional<double> QuantityIn(const fhir::r4::Quantity& quantity, Unit unit) {
  if (quantity.comparator() != fhir::r4::Quantity::COMPARATOR_UNSPECIFIED) return std::nullopt;
  return BoundIn(quantity, unit);
}

namespace {

// The UCUM codes a record most often uses for `unit`, as written (Factor gives each 1.0 once
// lower-cased): matched first, they skip the normalising copy and the table scan.
bool IsCanonicalUnit(absl::string_view text, Unit unit) {
  switch (unit) {
    case Unit::kKilogram:
      return text == "kg";
    case Unit::kCentimetre:
      return text == "cm";
    case Unit::kBmi:
      return text == "kg/m2";
    case Unit::kPerNanolitre:
      return text == "10*9/L" || text == "10*3/uL";
    case Unit::kMilligramPerDecilitre:
      return text == "mg/dL";
    case Unit::kGramPerDecilitre:
      return text == "g/dL";
    case Unit::kEgfr:
      return text == "mL/min/{1.73_m2}";
    case Unit::kMilligram:
      return text == "mg";
  }
  return false;
}

}  // namespace

std::optional<double> BoundIn(const fhir::r4::Quantity& quantity, Unit unit) {
  return BoundIn(quantity.value().value(), quantity.code(), quantity.unit(), unit);
}

std::optional<double> BoundIn(absl::string_view value_text, absl::string_view code,
                              absl::string_view unit_text, Unit unit) {
  const std::optional<double> value = DecimalToDouble(value_text);
  if (!value) return std::nullopt;
  const absl::string_view text = code.empty() ? unit_text : code;
  if (IsCanonicalUnit(text, unit)) return *value;  // * 1.0
  char buffer[64];
  const std::optional<double> factor = Factor(UnitKey(text, buffer), unit);
  if (!factor) return std::nullopt;
  return *value * *factor;
}

bool IsUsableObservation(fhir::r4::ObservationStatusCode::Value status) {
  using S = fhir::r4::ObservationStatusCode;
  switch (status) {
    case S::FINAL:
    case S::AMENDED:
    case S::CORRECTED:
    case S::PRELIMINARY:
      return true;
    default:
      return false;
  }
}

bool IsRefutedOrInError(const fhir::r4::Condition& c) {
  return HasCode(c.verification_status(), kConditionVerification, "refuted") ||
         HasCode(c.verification_status(), kConditionVerification, "entered-in-error");
}

bool IsActiveCondition(const fhir::r4::Condition& c) {
  return !IsRefutedOrInError(c) && IsClinicallyActive(c);
}

bool IsClinicallyActive(const fhir::r4::Condition& c) {
  // No clinicalStatus: FHIR requires it unless in error; treat a bare problem-list entry as
  // active, as EHR problem lists mean it.
  if (c.clinical_status().coding().empty()) return c.abatement_case() == 0;
  return HasCode(c.clinical_status(), kConditionClinical, "active") ||
         HasCode(c.clinical_status(), kConditionClinical, "recurrence") ||
         HasCode(c.clinical_status(), kConditionClinical, "relapse");
}

std::optional<absl::Time> ConditionTime(const fhir::r4::Condition& c) {
  if (c.has_onset_date_time()) return ToTime(c.onset_date_time());
  if (c.has_onset_period() && c.onset_period().has_start()) return ToTime(c.onset_period().start());
  if (c.has_recorded_date()) return ToTime(c.recorded_date());
  return std::nullopt;
}

std::optional<absl::Time> ProcedureTime(const fhir::r4::Procedure& p) {
  if (p.has_performed_date_time()) return ToTime(p.performed_date_time());
  if (p.has_performed_period()) {
    return p.performed_period().has_start() ? ToTime(p.performed_period().start())
                                            : ToTime(p.performed_period().end());
  }
  return std::nullopt;
}

bool HasCoding(const CodeableConcept& concept, absl::string_view system,
               absl::string_view code) {
  for (const fhir::r4::Coding& coding : concept.coding()) {
    if (coding.system() == system && coding.code() == code) return true;
  }
  return false;
}

}  // namespace thrombo::risk
