// Copyright 2026 The Thrombo Authors.
// Dosing helpers: each writes the structured Timing and the words a prescriber would type.
#include "service/synth/scenario.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thrombo::synth {
namespace {

// Dose words as in clinic letters: people write "mcg" and "units", not UCUM's "ug", "[iU]".
std::string DoseWords(const std::string& dose, const std::string& unit) {
  if (unit == "ug") return absl::StrCat(dose, " mcg");
  if (unit == "[iU]") return absl::StrCat(dose, " units");
  if (unit == "{patch}") return absl::StrCat(dose, dose == "1" ? " patch" : " patches");
  return absl::StrCat(dose, " ", unit);
}

std::string CycleWords(int cycle_days) {
  return absl::StrCat(" of a ", cycle_days, "-day cycle");
}

Dosing Base(const std::string& dose, const std::string& unit) {
  Dosing d;
  d.dose_value = dose;
  d.dose_unit = unit;
  return d;
}

}  // namespace

Dosing CycleDaysDosing(const std::string& dose, const std::vector<int>& days, int cycle_days,
                       const std::string& unit) {
  Dosing d = Base(dose, unit);
  // A repeat period of a whole cycle with frequency = doses per cycle ("4 per 28 d") is how
  // structured sigs without a cycle element express d1,8,15,22 q28d.
  d.frequency = static_cast<int>(days.size());
  d.period = absl::StrCat(cycle_days);
  d.period_unit = PeriodUnit::kDay;
  d.text = absl::StrCat(DoseWords(dose, unit), " on days ", absl::StrJoin(days, ", "),
                        CycleWords(cycle_days));
  return d;
}

Dosing DailyForDaysDosing(const std::string& dose, int days_on, int cycle_days,
                          const std::string& unit) {
  Dosing d = Base(dose, unit);
  d.bounds_days = days_on;
  d.text = absl::StrCat(DoseWords(dose, unit), " daily on days 1-", days_on,
                        CycleWords(cycle_days));
  return d;
}

Dosing WeeklyDosing(const std::string& dose, const std::string& unit) {
  Dosing d = Base(dose, unit);
  d.period_unit = PeriodUnit::kWeek;
  d.day_of_week = {1};
  d.text = absl::StrCat(DoseWords(dose, unit), " once weekly");
  return d;
}

Dosing ContinuousDailyDosing(const std::string& dose, int times_per_day,
                             const std::string& unit) {
  Dosing d = Base(dose, unit);
  d.frequency = times_per_day;
  d.text = absl::StrCat(DoseWords(dose, unit),
                        times_per_day == 1   ? " daily"
                        : times_per_day == 2 ? " twice daily"
                                             : absl::StrCat(" ", times_per_day, " times a day"));
  return d;
}

Dosing EveryWeeksDosing(const std::string& dose, int weeks, const std::string& unit) {
  Dosing d = Base(dose, unit);
  d.period = absl::StrCat(weeks);
  d.period_unit = PeriodUnit::kWeek;
  d.text = absl::StrCat(DoseWords(dose, unit),
                        weeks == 1 ? " once weekly" : absl::StrCat(" every ", weeks, " weeks"));
  return d;
}

Dosing SequencedRangesDosing(const std::string& dose, const std::vector<DayRange>& ranges,
                             int cycle_days, const std::string& unit) {
  Dosing d = Base(dose, unit);
  d.sequenced_days = ranges;
  std::vector<std::string> parts;
  for (const DayRange& r : ranges) parts.push_back(absl::StrCat(r.first, "-", r.last));
  d.text = absl::StrCat(DoseWords(dose, unit), " on days ", absl::StrJoin(parts, ", "),
                        CycleWords(cycle_days));
  return d;
}

}  // namespace thrombo::synth
