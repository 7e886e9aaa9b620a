// Copyright 2026 The Thrombo Authors.
#include "risk/dose_timing.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "risk/fhir_values.h"

namespace thrombo::risk {
namespace {

using Repeat = fhir::r4::Timing::Repeat;

constexpr double kHoursPerDay = 24;
constexpr char kGtsSystem[] = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation";

TimingRate Rate(int frequency, double hours, const char* from) {
  return TimingRate{frequency, frequency, hours, from};
}

// HL7 v3 GTSAbbreviation (terminology.hl7.org CodeSystem v3-GTSAbbreviation), which FHIR's
// timing-abbreviation value set draws from. Upper-cased before the lookup.
std::optional<TimingRate> GtsRate(absl::string_view c, const char* from) {
  if (c == "QD" || c == "AM" || c == "PM" || c == "BED" || c == "OD" || c == "DAILY") {
    return Rate(1, kHoursPerDay, from);
  }
  if (c == "BID") return Rate(2, kHoursPerDay, from);
  if (c == "TID") return Rate(3, kHoursPerDay, from);
  if (c == "QID") return Rate(4, kHoursPerDay, from);
  if (c == "QOD") return Rate(1, 2 * kHoursPerDay, from);
  if (c == "WK" || c == "QW" || c == "WEEKLY") return Rate(1, 7 * kHoursPerDay, from);
  if (c == "MO") return Rate(1, HoursPerUnit(Repeat::MO), from);
  // Q<n>H: every n hours, for the n GTS lists (Q1H-Q4H, Q6H, Q8H, Q12H). Others (Q5H) are not
  // codes of the system and stay unknown.
  for (int h : {1, 2, 3, 4, 6, 8, 12}) {
    if (c == absl::StrCat("Q", h, "H")) return Rate(1, h, from);
  }
  return std::nullopt;
}

// Plain-word frequencies in Timing.code.text. Only whole phrases are read; anything else is
// unknown (the caller then says the frequency was not recorded).
std::optional<TimingRate> TextRate(const std::string& raw) {
  std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
  // One spelling for separators: "twice-daily", "twice  daily".
  std::vector<std::string> words =
      absl::StrSplit(text, absl::ByAnyChar(" -_,."), absl::SkipEmpty());
  const std::string joined = absl::StrJoin(words, " ");
  const std::string upper = absl::AsciiStrToUpper(absl::StrJoin(words, ""));
  if (std::optional<TimingRate> gts = GtsRate(upper, "text")) return gts;
  struct Phrase {
    const char* text;
    int frequency;
    double hours;
  };
  static constexpr Phrase kPhrases[] = {
      {"once daily", 1, 24},        {"once a day", 1, 24},        {"daily", 1, 24},
      {"every day", 1, 24},         {"every 24 hours", 1, 24},    {"twice daily", 2, 24},
      {"twice a day", 2, 24},       {"two times a day", 2, 24},   {"2 times a day", 2, 24},
      {"two times daily", 2, 24},   {"2 times daily", 2, 24},     {"every 12 hours", 1, 12},
      {"three times daily", 3, 24}, {"three times a day", 3, 24}, {"3 times a day", 3, 24},
      {"3 times daily", 3, 24},     {"every 8 hours", 1, 8},      {"four times daily", 4, 24},
      {"four times a day", 4, 24},  {"4 times a day", 4, 24},     {"every 6 hours", 1, 6},
      {"every other day", 1, 48},   {"alternate days", 1, 48},    {"weekly", 1, 168},
      {"once weekly", 1, 168},      {"once a week", 1, 168},      {"every week", 1, 168},
  };
  for (const Phrase& p : kPhrases) {
    if (joined == p.text) return Rate(p.frequency, p.hours, "text");
  }
  return std::nullopt;
}

}  // namespace

double HoursPerUnit(Repeat::UnitsOfTime unit) {
  switch (unit) {
    case Repeat::S:
      return 1.0 / 3600;
    case Repeat::MIN:
      return 1.0 / 60;
    case Repeat::H:
      return 1;
    case Repeat::D:
      return kHoursPerDay;
    case Repeat::WK:
      return 7 * kHoursPerDay;
    // UCUM "mo" is the mean Julian month (365.25 d / 12) and "a" the Julian year.
    case Repeat::MO:
      return 30.4375 * kHoursPerDay;
    case Repeat::A:
      return 365.25 * kHoursPerDay;
    default:
      return 0;
  }
}

std::optional<TimingRate> TimingCodeRate(const fhir::r4::CodeableConcept& code) {
  for (const fhir::r4::Coding& coding : code.coding()) {
    if (!coding.system().empty() && coding.system() != kGtsSystem) continue;
    if (auto rate = GtsRate(absl::AsciiStrToUpper(coding.code()), "code")) return rate;
  }
  if (!code.text().empty()) return TextRate(code.text());
  return std::nullopt;
}

std::optional<TimingRate> ReadTimingRate(const fhir::r4::Timing& timing) {
  const Repeat& r = timing.repeat();
  if (!r.period().value().empty()) {
    const std::optional<double> period = ToDouble(r.period());
    const double hours = period ? *period * HoursPerUnit(r.period_unit()) : 0;
    if (hours <= 0 || r.frequency() < 0) return std::nullopt;
    int f = r.frequency();
    if (f == 0) f = std::max({1, r.time_of_day_size(), r.when_size()});
    return TimingRate{f, std::max(f, r.frequency_max()), hours, "repeat"};
  }
  return TimingCodeRate(timing.code());
}

std::optional<double> DosesPerDay(const fhir::r4::Timing& timing) {
  std::optional<TimingRate> rate = ReadTimingRate(timing);
  const Repeat& r = timing.repeat();
  const std::set<int> days(r.day_of_week().begin(), r.day_of_week().end());
  if (!rate) {
    // dayOfWeek alone ("mon, wed, fri") with no period: once on each listed day.
    if (days.empty()) return std::nullopt;
    const int f = r.frequency() > 0 ? r.frequency() : 1;
    return f * static_cast<double>(days.size()) / 7.0;
  }
  double per_day = rate->frequency * kHoursPerDay / rate->period_hours;
  // A daily rate given on some weekdays only: the weekly share of it.
  if (!days.empty() && rate->period_hours <= kHoursPerDay) {
    per_day *= static_cast<double>(days.size()) / 7.0;
  }
  return per_day;
}

}  // namespace thrombo::risk
