// Copyright 2026 The Thrombo Authors.
// Dose arithmetic. Every entry is reduced to one of two shapes (doses per cycle, or doses per
// period for an open-ended schedule) and the shapes are summed; totals stay in exact ratios of the
// inputs so that boundary doses (160 mg per 28 days) come out exactly.
#include "risk/dex_dose.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "risk/dose_timing.h"
#include "risk/dosing_text.h"
#include "risk/fhir_values.h"

namespace thrombo::risk {
namespace {

using fhir::r4::Dosage;
using fhir::r4::Quantity;
using fhir::r4::Timing;
using Repeat = fhir::r4::Timing::Repeat;

// docs/clinical.md §0 rule 3: doses are normalised to a 28-day window.
constexpr double kWindowDays = 28;
constexpr double kHoursPerDay = 24;
constexpr double kHoursPerWeek = 7 * kHoursPerDay;
// FHIR UnitsOfTime is bound to UCUM, where "mo" is the mean Julian month (a_j / 12 =
// 365.25 d / 12 = 30.4375 d) and "a" the Julian year (365.25 d). A calendar month is not a
// 28-day treatment cycle, so "1 per mo" is never read as "1 per 28 days".
constexpr double kHoursPerMonth = 30.4375 * kHoursPerDay;
constexpr double kHoursPerYear = 365.25 * kHoursPerDay;
// A repeat period of at least two weeks (whole days) is read as the treatment cycle: "4 per 28 d"
// is d1,8,15,22 q28d. Shorter periods (daily, weekly) are open-ended rates. Two weeks is the
// shortest myeloma cycle we know of (high-dose dexamethasone pulses every 14 days).
constexpr double kMinCycleHours = 14 * kHoursPerDay;
constexpr int kMaxCycleDays = 366;
// Doses in a bounded course are rounded up with this tolerance (a dose on day 0 of a 22-day
// window of weekly doses makes 4 doses: days 0, 7, 14, 21).
constexpr double kCountEpsilon = 1e-9;
constexpr char kDoseRateTypeOrdered[] = "ordered";

// One Dosage entry (or one dosing text) reduced to a schedule.
struct Entry {
  double mg_low = 0;  // per administration
  double mg_high = 0;
  bool continuous = false;
  double doses_low = 0;  // cyclic: per cycle or course; continuous: per `period_hours`
  double doses_high = 0;
  double period_hours = 0;         // continuous
  std::optional<int> cycle_days;   // when the entry itself states its cycle
  int sequence = 0;
  std::string rule;
};

// Where a cycle length came from, for the rule text.
struct CycleHint {
  std::optional<int> days;
  std::string source;
};

// Numbers as printf's "%g" writes them: absl::StrCat's double is that format (absl/strings/
// numbers.h, SixDigitsToBuffer), at a fraction of StrFormat's cost on the hook path.
std::string Mg(double mg) { return absl::StrCat(mg, " mg"); }

std::string Period(double hours) {
  if (std::fmod(hours, kHoursPerDay) == 0) {
    const double days = hours / kHoursPerDay;
    return days == 1 ? "day" : absl::StrCat(days, " days");
  }
  return absl::StrCat(hours, " h");
}

void Note(DexDose& out, std::string note, bool ambiguous) {
  out.notes.push_back(std::move(note));
  out.ambiguous = out.ambiguous || ambiguous;
}

bool IsUnitDose(const Quantity& q) {
  for (const std::string* text : {&q.code(), &q.unit()}) {
    std::string key = absl::AsciiStrToLower(*text);
    key.erase(std::remove_if(key.begin(), key.end(), [](char c) { return c == '{' || c == '}'; }),
              key.end());
    if (key == "tab" || key == "tabs" || key == "tablet" || key == "tablets" || key == "tbl" ||
        key == "cap" || key == "caps" || key == "capsule" || key == "capsules") {
      return true;
    }
  }
  return false;
}

// A dose quantity in mg: a mass unit, or tablets/capsules x the strength.
absl::StatusOr<double> QuantityMg(const Quantity& q, const DoseContext& context) {
  if (q.comparator() != Quantity::COMPARATOR_UNSPECIFIED) {
    return absl::FailedPreconditionError("a dose with a comparator is not an amount");
  }
  const std::optional<double> value = ToDouble(q.value());
  if (!value) return absl::InvalidArgumentError("dose value missing or not a number");
  if (*value < 0) return absl::InvalidArgumentError("negative dose");
  if (const std::optional<double> mg = QuantityIn(q, Unit::kMilligram)) return *mg;
  if (IsUnitDose(q)) {
    if (!context.mg_per_unit) {
      return absl::FailedPreconditionError("dose in tablets/capsules but no strength known");
    }
    return *value * *context.mg_per_unit;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("dose unit '", q.code().empty() ? q.unit() : q.code(), "' is not a mass"));
}

// The dose per administration (low, high). Several doseAndRate doses: the "ordered" one.
absl::StatusOr<std::pair<double, double>> DoseMg(const Dosage& dosage, const DoseContext& context) {
  const Dosage::DoseAndRate* chosen = nullptr;
  int with_dose = 0;
  for (const Dosage::DoseAndRate& dr : dosage.dose_and_rate()) {
    if (dr.dose_case() == Dosage::DoseAndRate::DOSE_NOT_SET) continue;
    ++with_dose;
    const bool ordered = !dr.type().coding().empty() &&
                         dr.type().coding(0).code() == kDoseRateTypeOrdered;
    if (chosen == nullptr || ordered) chosen = &dr;
  }
  if (chosen == nullptr) return absl::FailedPreconditionError("no doseAndRate.dose");
  if (with_dose > 1 && !(chosen->type().coding_size() > 0 &&
                         chosen->type().coding(0).code() == kDoseRateTypeOrdered)) {
    return absl::FailedPreconditionError("several doses and none is the 'ordered' one");
  }
  if (chosen->has_dose_quantity()) {
    ASSIGN_OR_RETURN(const double mg, QuantityMg(chosen->dose_quantity(), context));
    return std::make_pair(mg, mg);
  }
  ASSIGN_OR_RETURN(const double low, QuantityMg(chosen->dose_range().low(), context));
  ASSIGN_OR_RETURN(const double high, QuantityMg(chosen->dose_range().high(), context));
  if (low > high) return absl::InvalidArgumentError("doseRange low above high");
  return std::make_pair(low, high);
}

// A Duration quantity (boundsDuration) in hours, from its UCUM code or unit text.
std::optional<double> DurationHours(const Quantity& q) {
  const std::optional<double> value = ToDouble(q.value());
  std::string unit = absl::AsciiStrToLower(q.code().empty() ? q.unit() : q.code());
  if (!value || *value < 0) return std::nullopt;
  double per = 0;
  if (unit == "h" || unit == "hour" || unit == "hours") per = 1;
  if (unit == "d" || unit == "day" || unit == "days") per = kHoursPerDay;
  if (unit == "wk" || unit == "week" || unit == "weeks") per = kHoursPerWeek;
  if (unit == "mo" || unit == "month" || unit == "months") per = kHoursPerMonth;
  if (unit == "a" || unit == "year" || unit == "years") per = kHoursPerYear;
  if (per == 0) return std::nullopt;
  return *value * per;
}

// Timing.event: the administrations within one cycle from the first event. With no cycle known,
// the events must all fall within 28 days, and they are one course.
absl::StatusOr<Entry> EventEntry(const Timing& timing, const CycleHint& hint) {
  if (timing.repeat().frequency() > 0 || !timing.repeat().period().value().empty()) {
    return absl::FailedPreconditionError("Timing.event together with a repeat period");
  }
  std::vector<int64_t> times;
  for (const fhir::r4::DateTime& event : timing.event()) times.push_back(event.value_us());
  std::sort(times.begin(), times.end());
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
  Entry entry;
  const int window_days = hint.days.value_or(static_cast<int>(kWindowDays));
  const int64_t window_end = times.front() + window_days * kMicrosPerDay;
  const auto in_window = std::count_if(times.begin(), times.end(),
                                       [window_end](int64_t t) { return t < window_end; });
  if (!hint.days && in_window != static_cast<int64_t>(times.size())) {
    return absl::FailedPreconditionError("Timing.event spans more than 28 days and no cycle");
  }
  entry.doses_low = entry.doses_high = static_cast<double>(in_window);
  entry.cycle_days = hint.days;
  entry.rule = absl::StrCat(in_window, " dated events");
  return entry;
}

// frequency (or timeOfDay/when count) and frequencyMax.
std::pair<int, int> Frequencies(const Repeat& repeat) {
  int f = repeat.frequency();
  if (f == 0) f = std::max({1, repeat.time_of_day_size(), repeat.when_size()});
  return {f, std::max(f, repeat.frequency_max())};
}

// Period in hours and (frequency, frequencyMax), from repeat or, failing that, Timing.code.
absl::Status RepeatRate(const Timing& timing, double& period_hours, std::pair<int, int>& freq,
                        DexDose& out) {
  const Repeat& repeat = timing.repeat();
  if (repeat.frequency() < 0 || repeat.frequency_max() < 0 || repeat.count() < 0) {
    return absl::InvalidArgumentError("negative frequency or count");
  }
  if (!repeat.period().value().empty()) {
    const std::optional<double> period = ToDouble(repeat.period());
    if (!period || *period <= 0) return absl::InvalidArgumentError("period not a positive number");
    period_hours = *period * HoursPerUnit(repeat.period_unit());
    if (period_hours <= 0) return absl::FailedPreconditionError("period without a unit");
    freq = Frequencies(repeat);
    if (timing.has_code()) Note(out, "Timing.code ignored: repeat is used", false);
  } else if (const std::optional<TimingRate> coded = TimingCodeRate(timing.code())) {
    // The one Timing.code reader shared with anticoagulant intensity (risk/dose_timing).
    freq = {coded->frequency, coded->frequency_max};
    period_hours = coded->period_hours;
  } else {
    return absl::FailedPreconditionError("no repeat period and no supported Timing.code");
  }
  if (repeat.frequency_max() > 0 && repeat.frequency_max() < repeat.frequency()) {
    Note(out, "frequencyMax below frequency ignored", true);
  }
  if (!repeat.period_max().value().empty()) {
    Note(out, "periodMax ignored: the period as ordered is used", true);
  }
  return absl::OkStatus();
}

// dayOfWeek: n days a week turns a daily (or n-per-week) rate into n per week.
absl::Status ApplyDaysOfWeek(const Repeat& repeat, double& period_hours,
                             std::pair<int, int>& freq) {
  const std::set<int> days(repeat.day_of_week().begin(), repeat.day_of_week().end());
  const int n = static_cast<int>(days.size());
  if (n == 0) return absl::OkStatus();
  if (period_hours == kHoursPerDay) {
    freq = {freq.first * n, freq.second * n};
  } else if (period_hours == kHoursPerWeek && (freq.first == 1 || freq.first == n)) {
    freq = {n, std::max(n, freq.second)};
  } else {
    return absl::FailedPreconditionError("dayOfWeek with a period other than 1 d or 1 wk");
  }
  period_hours = kHoursPerWeek;
  return absl::OkStatus();
}

// Course length in hours from boundsDuration or a closed boundsPeriod; nullopt when open-ended.
absl::StatusOr<std::optional<double>> BoundsHours(const Repeat& repeat) {
  if (repeat.has_bounds_range()) {
    return absl::FailedPreconditionError("boundsRange (a course of uncertain length)");
  }
  if (repeat.has_bounds_duration()) {
    const std::optional<double> hours = DurationHours(repeat.bounds_duration());
    if (!hours) return absl::FailedPreconditionError("boundsDuration not a known time unit");
    return hours;
  }
  if (!repeat.has_bounds_period() || !repeat.bounds_period().has_end() ||
      !repeat.bounds_period().has_start()) {
    return std::optional<double>();
  }
  const fhir::r4::DateTime& start = repeat.bounds_period().start();
  const fhir::r4::DateTime& end = repeat.bounds_period().end();
  if (start.precision() < fhir::r4::DAY || end.precision() < fhir::r4::DAY) {
    return absl::FailedPreconditionError("boundsPeriod coarser than a day");
  }
  double hours = static_cast<double>(end.value_us() - start.value_us()) / 3.6e9;
  // A day-precision end date is inclusive: 1 to 4 January is four days.
  if (end.precision() == fhir::r4::DAY) hours += kHoursPerDay;
  if (hours <= 0) return absl::InvalidArgumentError("boundsPeriod ends before it starts");
  return std::optional<double>(hours);
}

// Doses in a course of `hours` at `f` per `period`, the first dose at the start.
double DosesIn(double hours, int f, double period_hours) {
  return std::ceil(hours * f / period_hours - kCountEpsilon);
}

// A repeat with period >= 2 weeks: the period is the cycle, frequency the doses in it.
Entry CycleEntry(const Repeat& repeat, double period_hours, std::pair<int, int> freq,
                 DexDose& out) {
  Entry entry;
  entry.cycle_days = static_cast<int>(period_hours / kHoursPerDay);
  entry.doses_low = freq.first;
  entry.doses_high = freq.second;
  if (repeat.count() > 0 && repeat.count() < freq.first) {
    entry.doses_low = entry.doses_high = repeat.count();
    Note(out, "count is below one cycle's frequency: one partial cycle", true);
  } else if (repeat.count() > 0 || repeat.bounds_case() != Repeat::BOUNDS_NOT_SET) {
    Note(out, "count/bounds limit the number of cycles, not the dose per cycle", false);
  }
  return entry;
}

absl::StatusOr<Entry> TimingEntry(const Timing& timing, const CycleHint& hint, DexDose& out) {
  if (timing.event_size() > 0) return EventEntry(timing, hint);
  const Repeat& repeat = timing.repeat();
  double period_hours = 0;
  std::pair<int, int> freq;
  RETURN_IF_ERROR(RepeatRate(timing, period_hours, freq, out));
  RETURN_IF_ERROR(ApplyDaysOfWeek(repeat, period_hours, freq));
  if (!repeat.duration().value().empty() && repeat.duration_unit() >= Repeat::D) {
    return absl::FailedPreconditionError(
        "repeat.duration in days: is the dose per day or per administration?");
  }
  Entry entry;
  const double cycle_days = period_hours / kHoursPerDay;
  if (period_hours >= kMinCycleHours && cycle_days == std::floor(cycle_days) &&
      cycle_days <= kMaxCycleDays) {
    entry = CycleEntry(repeat, period_hours, freq, out);
    entry.rule = absl::StrCat("x", freq.first, " doses per ", cycle_days, "-day period");
    return entry;
  }
  ASSIGN_OR_RETURN(const std::optional<double> course_hours, BoundsHours(repeat));
  const double inf = std::numeric_limits<double>::infinity();
  double low = repeat.count() > 0 ? repeat.count() : inf;
  double high = repeat.count_max() > repeat.count() ? repeat.count_max() : low;
  if (course_hours) {
    low = std::min(low, DosesIn(*course_hours, freq.first, period_hours));
    high = std::min(high, DosesIn(*course_hours, freq.second, period_hours));
  }
  if (low != inf) {
    entry.doses_low = low;
    entry.doses_high = high;
    entry.rule = absl::StrCat("x", low, " doses (x", freq.first, " every ", Period(period_hours),
                              ", bounded)");
    return entry;
  }
  entry.continuous = true;
  entry.doses_low = freq.first;
  entry.doses_high = freq.second;
  entry.period_hours = period_hours;
  entry.rule = absl::StrCat("x", freq.first, " every ", Period(period_hours));
  return entry;
}

bool HasDose(const Dosage& d) {
  return std::any_of(d.dose_and_rate().begin(), d.dose_and_rate().end(),
                     [](const Dosage::DoseAndRate& dr) {
                       return dr.dose_case() != Dosage::DoseAndRate::DOSE_NOT_SET;
                     });
}

bool HasTiming(const Dosage& d) {
  return d.has_timing() &&
         (d.timing().has_repeat() || d.timing().event_size() > 0 || d.timing().has_code());
}

absl::StatusOr<Entry> DosageEntry(const Dosage& dosage, const DoseContext& context,
                                  const CycleHint& hint, DexDose& out) {
  if (dosage.as_needed_boolean() || dosage.has_as_needed_codeable_concept()) {
    return absl::FailedPreconditionError("as needed (PRN): no scheduled amount");
  }
  if (!HasDose(dosage)) return absl::FailedPreconditionError("no doseAndRate.dose");
  if (!HasTiming(dosage)) return absl::FailedPreconditionError("no timing");
  ASSIGN_OR_RETURN(const auto mg, DoseMg(dosage, context));
  ASSIGN_OR_RETURN(Entry entry, TimingEntry(dosage.timing(), hint, out));
  entry.mg_low = mg.first;
  entry.mg_high = mg.second;
  entry.sequence = dosage.sequence();
  const std::string dose = mg.first == mg.second
                               ? Mg(mg.first)
                               : absl::StrCat(mg.first, "-", mg.second, " mg");
  entry.rule = absl::StrCat(dose, " ", entry.rule);
  return entry;
}

// The single cycle length the entries state themselves, if any.
absl::StatusOr<std::optional<int>> OwnCycle(const std::vector<Entry>& entries) {
  std::optional<int> cycle;
  for (const Entry& e : entries) {
    if (!e.cycle_days) continue;
    if (cycle && *cycle != *e.cycle_days) {
      return absl::FailedPreconditionError("entries with different cycle lengths");
    }
    cycle = e.cycle_days;
  }
  return cycle;
}

// Open-ended entries: mg per 28 days = sum of mg x doses x 28 days / period.
absl::Status SumContinuous(const std::vector<Entry>& entries, const CycleHint& cycle,
                           DexDose& out) {
  for (const Entry& e : entries) {
    if (e.sequence != entries.front().sequence) {
      return absl::FailedPreconditionError(
          "open-ended entries in sequence: when does each apply?");
    }
  }
  // Multiply before dividing so that 40 mg x 1 per 168 h comes to exactly 160 mg per 672 h.
  auto total = [&entries](double window_hours, bool high) {
    double sum = 0;
    for (const Entry& e : entries) {
      sum += (high ? e.mg_high * e.doses_high : e.mg_low * e.doses_low) * window_hours /
             e.period_hours;
    }
    return sum;
  };
  const double window = kWindowDays * kHoursPerDay;
  out.mg_per_28_days = total(window, false);
  const double high = total(window, true);
  if (high != *out.mg_per_28_days) out.mg_per_28_days_high = high;
  if (cycle.days) {
    const double cycle_hours = *cycle.days * kHoursPerDay;
    out.cycle_days = cycle.days;
    out.mg_per_cycle = total(cycle_hours, false);
    if (out.mg_per_28_days_high) out.mg_per_cycle_high = total(cycle_hours, true);
  }
  return absl::OkStatus();
}

// Cyclic entries (courses, cycles, events): summed into one cycle.
absl::Status SumCyclic(const std::vector<Entry>& entries, const CycleHint& cycle, DexDose& out) {
  double low = 0;
  double high = 0;
  for (const Entry& e : entries) {
    low += e.mg_low * e.doses_low;
    high += e.mg_high * e.doses_high;
  }
  out.mg_per_cycle = low;
  if (high != low) out.mg_per_cycle_high = high;
  if (!cycle.days) return absl::OkStatus();
  out.cycle_days = cycle.days;
  // docs/clinical.md §0 rule 3: mg per 28 days = mg per cycle x 28 / cycle days.
  out.mg_per_28_days = low * kWindowDays / *cycle.days;
  if (high != low) out.mg_per_28_days_high = high * kWindowDays / *cycle.days;
  return absl::OkStatus();
}

std::string Totals(const DexDose& out, const CycleHint& cycle, bool continuous) {
  std::string s;
  if (out.mg_per_cycle && out.cycle_days) {
    s = absl::StrCat(Mg(*out.mg_per_cycle), " per ", *out.cycle_days, "-day cycle");
  } else if (out.mg_per_cycle) {
    s = absl::StrCat(Mg(*out.mg_per_cycle), " per cycle (cycle length unknown)");
  }
  if (out.mg_per_28_days) {
    absl::StrAppend(&s, s.empty() ? "" : ", ", Mg(*out.mg_per_28_days), " per 28 days",
                    continuous ? " (continuous)" : "");
  }
  if (!cycle.source.empty()) absl::StrAppend(&s, "; cycle length from ", cycle.source);
  return s;
}

// Sums entries into `out`: either all open-ended or all cyclic. `hint` supplies the cycle when
// no entry states one.
absl::Status Combine(const std::vector<Entry>& entries, const CycleHint& hint, DexDose& out) {
  const bool continuous = entries.front().continuous;
  for (const Entry& e : entries) {
    if (e.continuous != continuous) {
      return absl::FailedPreconditionError("open-ended and cyclic entries mixed");
    }
  }
  ASSIGN_OR_RETURN(const std::optional<int> own, OwnCycle(entries));
  CycleHint cycle = hint;
  if (own) {
    if (hint.days && *hint.days != *own) {
      Note(out, absl::StrCat("the order's ", *own, "-day cycle differs from the ", *hint.days,
                             "-day cycle in ", hint.source), true);
    }
    cycle = CycleHint{own, ""};
  }
  if (continuous) {
    RETURN_IF_ERROR(SumContinuous(entries, cycle, out));
  } else {
    if (own && std::any_of(entries.begin(), entries.end(),
                           [](const Entry& e) { return !e.cycle_days; })) {
      return absl::FailedPreconditionError("some entries state a cycle and others do not");
    }
    RETURN_IF_ERROR(SumCyclic(entries, cycle, out));
  }
  out.is_range = out.mg_per_cycle_high.has_value() || out.mg_per_28_days_high.has_value();
  if (out.is_range) Note(out, "a range: the low end is in the main fields", true);
  std::vector<std::string> rules;
  for (const Entry& e : entries) rules.push_back(e.rule);
  out.rule = absl::StrCat(absl::StrJoin(rules, " + "), " = ", Totals(out, cycle, continuous));
  return absl::OkStatus();
}

// A cycle length from the first source that states one; later sources that disagree are noted.
CycleHint FindHint(const std::vector<std::pair<std::string, std::optional<int>>>& sources,
                   DexDose& out) {
  CycleHint hint;
  for (const auto& [source, days] : sources) {
    if (!days) continue;
    if (!hint.days) {
      hint = CycleHint{days, source};
    } else if (*hint.days != *days) {
      Note(out, absl::StrCat(source, " gives a ", *days, "-day cycle; ", hint.source, " gives ",
                             *hint.days), true);
    }
  }
  return hint;
}

CycleHint ContextHint(const DoseContext& context,
                      std::vector<std::pair<std::string, std::optional<int>>> sources,
                      DexDose& out) {
  if (context.cycle_days) sources.emplace_back("the caller's cycle length", context.cycle_days);
  if (std::optional<int> days = FindCycleDays(context.regimen_text)) {
    sources.emplace_back("the regimen text", days);
  }
  return FindHint(sources, out);
}

absl::Status ValidateContext(const DoseContext& context) {
  if (context.cycle_days && (*context.cycle_days < 1 || *context.cycle_days > kMaxCycleDays)) {
    return absl::InvalidArgumentError("context.cycle_days out of range 1-366");
  }
  if (context.mg_per_unit && !(*context.mg_per_unit > 0 && std::isfinite(*context.mg_per_unit))) {
    return absl::InvalidArgumentError("context.mg_per_unit not a positive number");
  }
  return absl::OkStatus();
}

// Extreme inputs (a period of 1e-300 h) must not produce an infinite dose.
absl::Status CheckFinite(const DexDose& out) {
  for (const std::optional<double>* v : {&out.mg_per_cycle, &out.mg_per_28_days,
                                         &out.mg_per_cycle_high, &out.mg_per_28_days_high}) {
    if (v->has_value() && !std::isfinite(**v)) {
      return absl::InvalidArgumentError("dose arithmetic out of range");
    }
  }
  return absl::OkStatus();
}

absl::Status WithPath(const absl::Status& status, int index) {
  return absl::Status(status.code(), absl::StrCat("dosage[", index, "]: ", status.message()));
}

absl::StatusOr<DexDose> DoseFromOrder(
    const google::protobuf::RepeatedPtrField<Dosage>& dosages,
    const google::protobuf::RepeatedPtrField<fhir::r4::Annotation>& notes,
    const DoseContext& context) {
  absl::StatusOr<DexDose> structured = DoseFromDosages(dosages, context);
  if (structured.ok() || absl::IsInvalidArgument(structured.status())) return structured;
  std::vector<std::string> texts;
  // One entry's text describes the whole order only when there is one entry: with several
  // (days 1-4 and days 9-12), reading one of their texts would undercount.
  if (dosages.size() == 1) {
    texts.push_back(dosages[0].text());
    texts.push_back(dosages[0].patient_instruction());
  }
  for (const fhir::r4::Annotation& note : notes) texts.push_back(note.text());
  std::vector<std::string> reasons = {std::string(structured.status().message())};
  std::optional<absl::StatusCode> text_code;
  for (const std::string& text : texts) {
    if (text.empty()) continue;
    absl::StatusOr<DexDose> from_text = DoseFromText(text, context);
    if (from_text.ok()) {
      Note(*from_text, absl::StrCat("structured dose unknown (", reasons.front(), ")"), false);
      return from_text;
    }
    if (!text_code) text_code = from_text.status().code();
    reasons.push_back(absl::StrCat("text: ", from_text.status().message()));
  }
  const absl::StatusCode code = absl::IsNotFound(structured.status()) && text_code
                                    ? *text_code
                                    : structured.status().code();
  return absl::Status(code, absl::StrJoin(reasons, "; "));
}

}  // namespace

absl::StatusOr<double> MgPerUnitFromStrength(const fhir::r4::Ratio& strength) {
  const std::optional<double> value = ToDouble(strength.numerator().value());
  if (!value || *value <= 0) return absl::InvalidArgumentError("strength numerator missing");
  const std::optional<double> mg = QuantityIn(strength.numerator(), Unit::kMilligram);
  if (!mg) return absl::FailedPreconditionError("strength numerator is not a mass");
  if (!strength.has_denominator() || strength.denominator().value().value().empty()) return *mg;
  const Quantity& per = strength.denominator();
  const bool unitless = per.code().empty() && per.unit().empty();
  if (!unitless && per.code() != "1" && !IsUnitDose(per)) {
    return absl::FailedPreconditionError("strength is not per tablet or capsule");
  }
  const std::optional<double> count = ToDouble(per.value());
  if (!count || *count <= 0) return absl::InvalidArgumentError("strength denominator not positive");
  return *mg / *count;
}

absl::StatusOr<DexDose> DoseFromDosages(
    const google::protobuf::RepeatedPtrField<Dosage>& dosages, const DoseContext& context) {
  if (std::none_of(dosages.begin(), dosages.end(),
                   [](const Dosage& d) { return HasDose(d) || HasTiming(d); })) {
    return absl::NotFoundError("no structured dose or timing");
  }
  RETURN_IF_ERROR(ValidateContext(context));
  DexDose out;
  out.method = DexDose::Method::kStructured;
  // Only the texts that state a cycle are sources (FindHint passes over the others): a source's
  // name is made only for a note or a rule that may quote it.
  std::vector<std::pair<std::string, std::optional<int>>> sources;
  for (int i = 0; i < dosages.size(); ++i) {
    if (std::optional<int> days = FindCycleDays(dosages[i].text())) {
      sources.emplace_back(absl::StrCat("dosage[", i, "].text"), days);
    }
    if (std::optional<int> days = FindCycleDays(dosages[i].patient_instruction())) {
      sources.emplace_back(absl::StrCat("dosage[", i, "].patientInstruction"), days);
    }
  }
  const CycleHint hint = ContextHint(context, std::move(sources), out);
  std::vector<Entry> entries;
  for (int i = 0; i < dosages.size(); ++i) {
    absl::StatusOr<Entry> entry = DosageEntry(dosages[i], context, hint, out);
    if (!entry.ok()) return WithPath(entry.status(), i);
    entries.push_back(*std::move(entry));
  }
  RETURN_IF_ERROR(Combine(entries, hint, out));
  RETURN_IF_ERROR(CheckFinite(out));
  return out;
}

absl::StatusOr<DexDose> DoseFromText(absl::string_view text, const DoseContext& context) {
  RETURN_IF_ERROR(ValidateContext(context));
  ASSIGN_OR_RETURN(const TextDosing parsed, ParseDosingText(text));
  DexDose out;
  out.method = DexDose::Method::kText;
  Entry entry;
  entry.mg_low = parsed.amount;
  if (parsed.unit == AmountUnit::kUnit) {
    if (!context.mg_per_unit) {
      return absl::FailedPreconditionError("dose in tablets/capsules but no strength known");
    }
    entry.mg_low = parsed.amount * *context.mg_per_unit;
  }
  entry.mg_high = entry.mg_low;
  entry.continuous = parsed.continuous;
  entry.doses_low = entry.doses_high = parsed.continuous ? parsed.doses_per_period : parsed.doses;
  entry.period_hours = parsed.period_days * kHoursPerDay;
  entry.cycle_days = parsed.cycle_days;
  entry.rule = absl::StrCat("text \"", parsed.rule, "\"");
  const CycleHint hint = ContextHint(context, {}, out);
  RETURN_IF_ERROR(Combine({entry}, hint, out));
  RETURN_IF_ERROR(CheckFinite(out));
  return out;
}

absl::StatusOr<DexDose> DoseFromMedicationRequest(const fhir::r4::MedicationRequest& request,
                                                  const DoseContext& context) {
  return DoseFromOrder(request.dosage_instruction(), request.note(),
                                                    context);
}

absl::StatusOr<DexDose> DoseFromMedicationStatement(
    const fhir::r4::MedicationStatement& statement, const DoseContext& context) {
  return DoseFromOrder(statement.dosage(), statement.note(),
                                                      context);
}

absl::StatusOr<DexDose> DoseFromMedicationDispense(const fhir::r4::MedicationDispense& dispense,
                                                   const DoseContext& context) {
  return DoseFromOrder(dispense.dosage_instruction(), dispense.note(), context);
}

bool RangeStraddles(const DexDose& dose, double threshold_mg_per_28_days) {
  if (!dose.is_range || !dose.mg_per_28_days || !dose.mg_per_28_days_high) return false;
  return *dose.mg_per_28_days <= threshold_mg_per_28_days &&
         threshold_mg_per_28_days < *dose.mg_per_28_days_high;
}

}  // namespace thrombo::risk
