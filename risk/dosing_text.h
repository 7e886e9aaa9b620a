// Copyright 2026 The Thrombo Authors.
// Reads the free-text dosing of common myeloma regimens ("40 mg d1,8,15,22 q28d") into a schedule.
#ifndef THROMBO_RISK_DOSING_TEXT_H_
#define THROMBO_RISK_DOSING_TEXT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thrombo::risk {

// What one administration is measured in.
enum class AmountUnit {
  kMilligram,  // "40 mg", "0.5 g", "500 mcg" (converted to mg)
  kUnit,       // "2 tablets", "1 cap": needs the product strength to become mg
};

// A dosing text reduced to a schedule. Two shapes:
// - cyclic (continuous == false): `doses` administrations per cycle, e.g. "days 1-4, 9-12, 17-20"
//   = 12. `cycle_days` is set when the text states the cycle ("q28d", "of a 21-day cycle"); a
//   course with no stated cycle ("40 mg x 4 days") leaves it empty.
// - continuous (continuous == true): `doses_per_period` administrations every `period_days` days,
//   with no end, e.g. weekly = 1 per 7, "4 mg twice daily" = 2 per 1. `cycle_days` is set only
//   when the text also names a cycle ("20 mg weekly of a 28-day cycle").
struct TextDosing {
  double amount = 0;  // per administration, in `unit`
  AmountUnit unit = AmountUnit::kMilligram;
  bool continuous = false;
  int doses = 0;             // cyclic
  int doses_per_period = 0;  // continuous
  int period_days = 0;       // continuous
  std::optional<int> cycle_days;
  std::string rule;  // what was recognised, e.g. "40 mg on days 1-4, 9-12, 17-20 every 28 days"
};

// Parses one dosing text (Dosage.text, patientInstruction or a MedicationRequest note).
//
// Grammar (case-insensitive, tokens in any order, one dose per text):
//   dose       "40 mg", "40mg", "0.5 g", "500 mcg", "2 tablets"
//   days       "days 1-4, 9-12, 17-20", "d1,8,15,22", "day 1 and 8", "x 4 days", "for 4 days"
//   frequency  daily, qd, od, bid, tid, qid, qod, "twice daily", "3 times a day", "q12h",
//              weekly, "once weekly", "once a week", qw, q1w, "every week", "twice weekly"
//   cycle      "q28d", "q28", "q4w", "every 28 days", "every 4 weeks", "28-day cycle"
//   fillers    drug names (dex, dexamethasone), route (po, oral, iv) and a few glue words
//
// Anything else makes the dose unknown; the parser never guesses. In particular it returns
// kFailedPrecondition, with the reason in the message, for: an unrecognised word ("as directed",
// "see protocol", "taper", "then", "prn"), a dose range ("20-40 mg"), two doses, "monthly"
// (calendar month or 28-day cycle?), "biweekly", a daily dose with a cycle length but no dosing
// days, "every N days" with N > 7 and no dosing days (an interval or the regimen's cycle?), a day
// outside the stated cycle, contradicting frequencies or cycle lengths, and no schedule at all.
// kInvalidArgument: empty text, text over 2,000 bytes, more than 400 tokens, numbers out of range
// (day numbers and cycles 1-366, at most 7 integer and 4 decimal digits). Work is linear in the
// text length; any byte sequence is safe to pass. Thread-safe (no shared state).
absl::StatusOr<TextDosing> ParseDosingText(absl::string_view text);

// The cycle length stated anywhere in a free text ("q28d", "every 21 days", "28-day cycle",
// "of a 21-day cycle", "q4w"), ignoring everything else, for regimen texts such as a CarePlan title
// or the IMiD order's note. Intervals under 14 days are not read as cycles ("every 7 days" is a
// weekly dose). Returns nullopt when no cycle is stated or two different cycles are.
std::optional<int> FindCycleDays(absl::string_view text);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_DOSING_TEXT_H_
