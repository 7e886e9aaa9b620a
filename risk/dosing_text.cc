// Copyright 2026 The Thrombo Authors.
// A hand-written tokenizer and clause parser for dosing texts. std::regex is avoided: it is slow,
// and its backtracking makes the work on hostile input hard to bound.
#include "risk/dosing_text.h"

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace thrombo::risk {
namespace {

// Input limits keep the work bounded when the parser is fed arbitrary bytes. A real dosing text is
// a sentence or two; Dosage.text rarely exceeds a few hundred characters.
constexpr size_t kMaxTextBytes = 2000;
constexpr size_t kMaxTokens = 400;
// Day numbers and cycle lengths above a year are not a myeloma schedule we can reason about.
constexpr int kMaxDay = 366;
constexpr int kMaxIntegerDigits = 7;
constexpr int kMaxFractionDigits = 4;
// "every N days" up to a week is an interval between doses; beyond that it is as likely to be the
// regimen's cycle, so without dosing days it is not read either way.
constexpr int kMaxIntervalDays = 7;
// FindCycleDays: a "qNd"/"every N days" cycle is at least two weeks (the shortest myeloma cycle we
// know of, high-dose dexamethasone pulses every 14 days).
constexpr int kMinCycleDays = 14;

enum class Kind { kNumber, kWord, kPunct };

struct Token {
  Kind kind;
  absl::string_view text;  // lower-cased; points into the parser's copy of the input
  double value = 0;        // numbers only
  bool integral = false;   // numbers written without a decimal point
};

// Reads digits[.digits] at i. The fraction is summed as an integer and divided once, so "40.25"
// is exactly 40.25. Overlong numbers set `error` (the digits are still consumed).
size_t ReadNumber(absl::string_view s, size_t i, Token& token, absl::Status& error) {
  const size_t start = i;
  double value = 0;
  for (; i < s.size() && absl::ascii_isdigit(s[i]); ++i) {
    if (i - start < kMaxIntegerDigits) value = value * 10 + (s[i] - '0');
  }
  if (i - start > kMaxIntegerDigits) error = absl::InvalidArgumentError("number too long");
  token.integral = true;
  if (i + 1 < s.size() && s[i] == '.' && absl::ascii_isdigit(s[i + 1])) {
    const size_t fraction_start = ++i;
    double fraction = 0;
    double scale = 1;
    for (; i < s.size() && absl::ascii_isdigit(s[i]); ++i) {
      if (i - fraction_start >= kMaxFractionDigits) continue;
      fraction = fraction * 10 + (s[i] - '0');
      scale *= 10;
    }
    if (i - fraction_start > kMaxFractionDigits) {
      error = absl::InvalidArgumentError("number has too many decimals");
    }
    value += fraction / scale;
    token.integral = false;
  }
  token.kind = Kind::kNumber;
  token.value = value;
  token.text = s.substr(start, i - start);
  return i;
}

bool IsWordByte(char c) {
  // Bytes >= 0x80 (UTF-8 and anything else) join words, so "µg" becomes an unknown word rather
  // than a stray "g".
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

// Splits lower-cased text into numbers, words (letter runs) and single punctuation characters.
// "40mg" -> 40, mg; "q28d" -> q, 28, d; "d1-4" -> d, 1, -, 4.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view s) {
  std::vector<Token> tokens;
  // Dosing text averages a token per three bytes or so: one allocation instead of a growth chain.
  tokens.reserve(std::min<size_t>(s.size() / 2 + 1, kMaxTokens));
  size_t i = 0;
  absl::Status error;
  while (i < s.size()) {
    const char c = s[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token token{Kind::kPunct, s.substr(i, 1)};
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      i = ReadNumber(s, i, token, error);
      if (!error.ok()) return error;
    } else if (IsWordByte(c)) {
      const size_t start = i;
      while (i < s.size() && IsWordByte(s[i])) ++i;
      token = Token{Kind::kWord, s.substr(start, i - start)};
    } else {
      ++i;
    }
    if (tokens.size() == kMaxTokens) return absl::InvalidArgumentError("too many tokens");
    tokens.push_back(token);
  }
  return tokens;
}

// `text` (at most kMaxTextBytes) lower-cased into `buffer`, on the caller's stack: each
// dexamethasone order's texts are read on the hook path, and the tokens point into the copy.
absl::string_view LowerInto(absl::string_view text, char (&buffer)[kMaxTextBytes]) {
  for (size_t i = 0; i < text.size(); ++i) {
    buffer[i] = absl::ascii_tolower(static_cast<unsigned char>(text[i]));
  }
  return absl::string_view(buffer, text.size());
}

bool In(absl::string_view word, std::initializer_list<absl::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool IsDayWord(absl::string_view w) { return In(w, {"d", "day", "days"}); }
bool IsWeekWord(absl::string_view w) { return In(w, {"w", "wk", "wks", "week", "weeks"}); }
bool IsHourWord(absl::string_view w) { return In(w, {"h", "hr", "hrs", "hour", "hours"}); }
bool IsMonthWord(absl::string_view w) { return In(w, {"mo", "month", "months", "monthly"}); }
bool IsCycleWord(absl::string_view w) { return In(w, {"cycle", "cycles"}); }

// Words that carry no dosing meaning: drug names, route, and glue.
bool IsFillerWord(absl::string_view w) {
  return In(w, {"dexamethasone", "dex", "decadron", "hemady", "po", "oral", "orally", "by",
                "mouth", "iv", "intravenous", "intravenously", "take", "give", "given", "with",
                "food", "breakfast", "in", "the", "morning", "am", "on", "of", "each", "a", "an",
                "at", "and", "per", "high", "low", "dose", "pulse", "pulses", "pulsed"});
}

bool IsFillerPunct(absl::string_view p) { return In(p, {",", ";", ".", ":", "(", ")"}); }

// The dosing days of a cycle, 1..kMaxDay, with the first and last listed kept so that the
// readers below look only between them (a whole year's loop cost more than the rest of a text).
class DaySet {
 public:
  // Adds day d (1..kMaxDay); false when it was there already.
  bool Add(int d) {
    if (days_[d]) return false;
    days_[d] = true;
    first_ = std::min(first_, d);
    last_ = std::max(last_, d);
    return true;
  }
  bool Has(int d) const { return days_[d]; }
  int first() const { return first_; }  // kMaxDay + 1 when empty
  int last() const { return last_; }    // 0 when empty

 private:
  std::bitset<kMaxDay + 1> days_;
  int first_ = kMaxDay + 1;
  int last_ = 0;
};

// Formats a set of days as "1-4, 9-12, 17-20".
std::string DayRanges(const DaySet& days) {
  std::string out;
  for (int d = days.first(); d <= days.last(); ++d) {
    if (!days.Has(d)) continue;
    int end = d;
    while (end < days.last() && days.Has(end + 1)) ++end;
    if (!out.empty()) out.append(", ");
    absl::StrAppend(&out, d);
    if (end != d) absl::StrAppend(&out, "-", end);
    d = end;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens)
      : tokens_(std::move(tokens)) {}

  absl::StatusOr<TextDosing> Run();

 private:
  const Token* At(size_t k) const { return k < tokens_.size() ? &tokens_[k] : nullptr; }
  bool Word(size_t k, absl::string_view w) const {
    return At(k) && At(k)->kind == Kind::kWord && At(k)->text == w;
  }
  absl::string_view WordAt(size_t k) const {
    return At(k) && At(k)->kind == Kind::kWord ? At(k)->text : absl::string_view();
  }
  bool Punct(size_t k, absl::string_view p) const {
    return At(k) && At(k)->kind == Kind::kPunct && At(k)->text == p;
  }
  bool Number(size_t k) const { return At(k) && At(k)->kind == Kind::kNumber; }
  // An integral number in [1, kMaxDay], the range of day numbers, intervals and cycles.
  std::optional<int> SmallInt(size_t k) const {
    if (!Number(k) || !At(k)->integral || At(k)->value < 1 || At(k)->value > kMaxDay) {
      return std::nullopt;
    }
    return static_cast<int>(At(k)->value);
  }

  // "28-day cycle", "28 day cycles", "4-week cycle" starting at k.
  bool CycleLengthAt(size_t k) const {
    const size_t unit_at = k + 1 + (Punct(k + 1, "-") ? 1 : 0);
    const absl::string_view unit = WordAt(unit_at);
    return SmallInt(k) && (IsDayWord(unit) || IsWeekWord(unit)) &&
           IsCycleWord(WordAt(unit_at + 1));
  }

  bool Fail(absl::string_view message) {
    if (error_.ok()) error_ = absl::FailedPreconditionError(message);
    return true;
  }

  bool Dose();
  bool Days();
  size_t DayItem(size_t k);
  bool Course();
  bool Cycle();
  bool EveryOrQ(size_t unit_at, int n);
  bool Frequency();
  size_t PeriodPhrase(size_t k, bool& weekly) const;
  bool Filler();

  void SetPer(std::optional<int>& slot, int value, absl::string_view what);
  void SetPerDay(int v) { SetPer(per_day_, v, "doses per day"); }
  void SetPerWeek(int v) { SetPer(per_week_, v, "doses per week"); }
  void SetEveryDays(int v) { SetPer(every_days_, v, "intervals"); }
  void SetCycleDays(int v) { SetPer(cycle_days_, v, "cycle lengths"); }

  absl::StatusOr<TextDosing> Interpret();
  absl::StatusOr<TextDosing> InterpretDays(TextDosing out);
  absl::StatusOr<TextDosing> InterpretContinuous(TextDosing out);

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  absl::Status error_;
  std::optional<double> amount_;
  AmountUnit unit_ = AmountUnit::kMilligram;
  DaySet days_;
  int day_count_ = 0;
  bool days_from_course_ = false;
  std::optional<int> per_day_;
  std::optional<int> per_week_;
  std::optional<int> every_days_;
  std::optional<int> cycle_days_;
};

void Parser::SetPer(std::optional<int>& slot, int value, absl::string_view what) {
  if (slot.has_value() && *slot != value) Fail(absl::StrCat("contradicting ", what));
  slot = value;
}

// "40 mg", "0.5 g", "500 mcg", "2 tablets".
bool Parser::Dose() {
  if (!Number(pos_)) return false;
  const absl::string_view unit = WordAt(pos_ + 1);
  double factor = 1;
  AmountUnit kind = AmountUnit::kMilligram;
  if (In(unit, {"mg", "mgs", "milligram", "milligrams"})) {
  } else if (In(unit, {"g", "gm", "gram", "grams"})) {
    factor = 1000;
  } else if (In(unit, {"mcg", "ug", "microgram", "micrograms"})) {
    factor = 0.001;
  } else if (In(unit, {"tab", "tabs", "tablet", "tablets", "cap", "caps", "capsule", "capsules"})) {
    kind = AmountUnit::kUnit;
  } else {
    // "20-40 mg" / "20 to 40 mg": the first number of a dose range.
    if ((Punct(pos_ + 1, "-") || Word(pos_ + 1, "to")) && Number(pos_ + 2) &&
        In(WordAt(pos_ + 3), {"mg", "g", "mcg", "ug", "tab", "tabs", "tablet", "tablets"})) {
      pos_ += 4;
      return Fail("a dose range in text");
    }
    return false;
  }
  if (amount_.has_value()) Fail("more than one dose in one text (a taper or split dose?)");
  amount_ = At(pos_)->value * factor;
  unit_ = kind;
  pos_ += 2;
  return true;
}

// One item of a day list: [d|day|days] N [(-|to|through|thru) [d|day] N]. Returns the index
// after the item, or k when there is none.
size_t Parser::DayItem(size_t k) {
  size_t i = k;
  if (IsDayWord(WordAt(i))) ++i;
  const std::optional<int> first = SmallInt(i);
  // "day 1 and 8, 21-day cycle": the 21 starts the cycle, not another day.
  if (!first || CycleLengthAt(i)) return k;
  ++i;
  int last = *first;
  const bool dash = Punct(i, "-") || In(WordAt(i), {"to", "through", "thru"});
  const size_t after_dash = i + 1 + (IsDayWord(WordAt(i + 1)) ? 1 : 0);
  if (dash && SmallInt(after_dash)) {
    last = *SmallInt(after_dash);
    i = after_dash + 1;
    if (last < *first) Fail("a day range that runs backwards");
  }
  for (int d = *first; d <= last; ++d) {
    if (!days_.Add(d)) Fail("a day listed twice");
    ++day_count_;
  }
  return i;
}

// "days 1-4, 9-12, 17-20", "d1,8,15,22", "day 1 and 8", "d1, d8".
bool Parser::Days() {
  if (!IsDayWord(WordAt(pos_)) || !SmallInt(pos_ + 1)) return false;
  if (days_from_course_) Fail("both a day list and a course length");
  size_t i = DayItem(pos_);
  if (i == pos_) return false;  // "day 28-day cycle": no day list after all
  while (true) {
    size_t sep = i;
    while (Punct(sep, ",") || Punct(sep, "&") || Word(sep, "and")) ++sep;
    if (sep == i) break;
    const size_t next = DayItem(sep);
    if (next == sep) break;  // the separator belongs to what follows the list
    i = next;
  }
  pos_ = i;
  return true;
}

// "x 4 days", "for 4 days": a course on days 1..N.
bool Parser::Course() {
  if (!In(WordAt(pos_), {"x", "for"}) || !SmallInt(pos_ + 1) || !IsDayWord(WordAt(pos_ + 2))) {
    return false;
  }
  if (day_count_ > 0) Fail("both a day list and a course length");
  const int n = *SmallInt(pos_ + 1);
  for (int d = 1; d <= n; ++d) days_.Add(d);
  day_count_ = n;
  days_from_course_ = true;
  pos_ += 3;
  return true;
}

// The unit after "qN"/"every N" at `unit_at`: days, weeks, hours (a frequency) or months.
bool Parser::EveryOrQ(size_t unit_at, int n) {
  const absl::string_view unit = WordAt(unit_at);
  if (IsDayWord(unit)) {
    SetEveryDays(n);
  } else if (IsWeekWord(unit)) {
    if (n * 7 > kMaxDay) return Fail("an interval over a year");
    SetEveryDays(n * 7);
  } else if (IsHourWord(unit)) {
    if (24 % n != 0) return Fail("an hourly interval that does not divide a day");
    SetPerDay(24 / n);
  } else if (IsMonthWord(unit)) {
    return Fail("a monthly schedule (calendar month or 28-day cycle?)");
  } else {
    return false;
  }
  pos_ = unit_at + 1;
  return true;
}

// "q28d", "q28", "q4w", "q12h", "every 21 days", "every 4 weeks", "every week", "every other day",
// "28-day cycle", "4-week cycles".
bool Parser::Cycle() {
  if (Word(pos_, "q") || Word(pos_, "every")) {
    const bool every = Word(pos_, "every");
    if (const std::optional<int> n = SmallInt(pos_ + 1)) {
      if (EveryOrQ(pos_ + 2, *n)) return true;
      // "q28" alone: a cycle in days by convention; short ones (q6, q8) could be hours.
      if (!every && *n >= kMinCycleDays) {
        SetEveryDays(*n);
        pos_ += 2;
        return true;
      }
      return false;
    }
    const bool other = Word(pos_ + 1, "other");
    const absl::string_view unit = WordAt(pos_ + 1 + (other ? 1 : 0));
    if (IsMonthWord(unit)) return Fail("a monthly schedule (calendar month or 28-day cycle?)");
    if (!In(unit, {"day", "week", "wk", "w"})) return false;
    if (unit == "day") other ? SetEveryDays(2) : SetPerDay(1);
    if (unit != "day") other ? SetEveryDays(14) : SetPerWeek(1);
    pos_ += other ? 3 : 2;
    return true;
  }
  if (!CycleLengthAt(pos_)) return false;
  const int n = *SmallInt(pos_);
  const size_t unit_at = pos_ + 1 + (Punct(pos_ + 1, "-") ? 1 : 0);
  const int days = IsDayWord(WordAt(unit_at)) ? n : n * 7;
  if (days > kMaxDay) return Fail("a cycle over a year");
  SetCycleDays(days);
  pos_ = unit_at + 2;
  return true;
}

// "daily", "a day", "per day", "/day", "weekly", "a week", "per week", "/wk". Returns the number of
// tokens used (0: none) and whether the period is a week.
size_t Parser::PeriodPhrase(size_t k, bool& weekly) const {
  const absl::string_view w = WordAt(k);
  if (w == "daily" || w == "weekly") {
    weekly = w == "weekly";
    return 1;
  }
  if (!In(w, {"a", "per", "each", "every"}) && !Punct(k, "/")) return 0;
  const absl::string_view unit = WordAt(k + 1);
  if (In(unit, {"day", "d"})) {
    weekly = false;
    return 2;
  }
  if (In(unit, {"week", "wk", "w"})) {
    weekly = true;
    return 2;
  }
  return 0;
}

// Single-word frequencies (bid, qw, qod, ...) and a multiplier with a period: "once weekly",
// "twice a day", "3 times daily", "2x/day", or a period alone ("daily", "per week").
bool Parser::Frequency() {
  const absl::string_view w = WordAt(pos_);
  struct Named {
    absl::string_view word;
    int per_day;
    int per_week;
    int every_days;
  };
  static constexpr Named kNamed[] = {
      {"qd", 1, 0, 0},    {"od", 1, 0, 0},    {"qday", 1, 0, 0},  {"qam", 1, 0, 0},
      {"qpm", 1, 0, 0},   {"qhs", 1, 0, 0},   {"nightly", 1, 0, 0}, {"bid", 2, 0, 0},
      {"bd", 2, 0, 0},    {"tid", 3, 0, 0},   {"tds", 3, 0, 0},   {"qid", 4, 0, 0},
      {"qod", 0, 0, 2},   {"qw", 0, 1, 0},    {"qwk", 0, 1, 0},   {"qweek", 0, 1, 0},
      {"fortnightly", 0, 0, 14},
  };
  for (const Named& named : kNamed) {
    if (w != named.word) continue;
    if (named.per_day) SetPerDay(named.per_day);
    if (named.per_week) SetPerWeek(named.per_week);
    if (named.every_days) SetEveryDays(named.every_days);
    ++pos_;
    return true;
  }
  if (w == "biweekly") return Fail("'biweekly' (twice a week or every two weeks?)");
  if (IsMonthWord(w)) return Fail("a monthly schedule (calendar month or 28-day cycle?)");
  int times = 1;
  size_t i = pos_;
  if (In(w, {"once", "twice", "thrice"})) {
    times = w == "once" ? 1 : (w == "twice" ? 2 : 3);
    ++i;
  } else if (In(w, {"one", "two", "three", "four"}) && Word(pos_ + 1, "times")) {
    times = w == "one" ? 1 : (w == "two" ? 2 : (w == "three" ? 3 : 4));
    i += 2;
  } else if (SmallInt(pos_) && In(WordAt(pos_ + 1), {"times", "x"})) {
    times = *SmallInt(pos_);
    i += 2;
  }
  bool weekly = false;
  const size_t used = PeriodPhrase(i, weekly);
  if (used == 0) {
    if (i != pos_) return Fail(absl::StrCat("'", At(pos_)->text, "' without 'daily' or 'weekly'"));
    return false;
  }
  weekly ? SetPerWeek(times) : SetPerDay(times);
  pos_ = i + used;
  return true;
}

bool Parser::Filler() {
  const Token* t = At(pos_);
  if ((t->kind == Kind::kWord && IsFillerWord(t->text)) ||
      (t->kind == Kind::kPunct && IsFillerPunct(t->text))) {
    ++pos_;
    return true;
  }
  return false;
}

absl::StatusOr<TextDosing> Parser::Run() {
  while (pos_ < tokens_.size() && error_.ok()) {
    const size_t before = pos_;
    if (Dose() || Days() || Course() || Cycle() || Frequency() || Filler()) {
      // Every clause that matches consumes a token or fails; anything else would loop forever.
      if (pos_ == before && error_.ok()) return absl::InternalError("dosing text parser stalled");
      continue;
    }
    return absl::FailedPreconditionError(
        absl::StrCat("dosing text not understood at '", At(pos_)->text, "'"));
  }
  if (!error_.ok()) return error_;
  return Interpret();
}

absl::StatusOr<TextDosing> Parser::Interpret() {
  if (!amount_) return absl::FailedPreconditionError("no dose in the text");
  if (per_day_ && per_week_) return absl::FailedPreconditionError("both daily and weekly");
  TextDosing out;
  out.amount = *amount_;
  out.unit = unit_;
  // StrCat writes a double as printf's "%g" does.
  out.rule = absl::StrCat(*amount_, unit_ == AmountUnit::kMilligram ? " mg" : " unit(s)");
  if (day_count_ > 0) return InterpretDays(std::move(out));
  return InterpretContinuous(std::move(out));
}

// Listed days (or a course): doses = days x doses per day; the cycle is "every N days" or the
// stated "N-day cycle".
absl::StatusOr<TextDosing> Parser::InterpretDays(TextDosing out) {
  if (every_days_ && cycle_days_ && *every_days_ != *cycle_days_) {
    return absl::FailedPreconditionError("two different cycle lengths");
  }
  if (per_week_) {
    // "weekly on days 1, 8, 15, 22": consistent only when the listed days are a week apart.
    int previous = 0;
    for (int d = days_.first(); d <= days_.last(); ++d) {
      if (!days_.Has(d)) continue;
      if (*per_week_ != 1 || (previous != 0 && d - previous != 7)) {
        return absl::FailedPreconditionError("'weekly' with days that are not a week apart");
      }
      previous = d;
    }
  }
  const int per_day = per_day_.value_or(1);
  out.doses = day_count_ * per_day;
  out.cycle_days = cycle_days_ ? cycle_days_ : every_days_;
  const int last_day = days_.last();
  if (out.cycle_days && last_day > *out.cycle_days) {
    return absl::FailedPreconditionError(
        absl::StrCat("day ", last_day, " is outside the ", *out.cycle_days, "-day cycle"));
  }
  absl::StrAppend(&out.rule, per_day > 1 ? absl::StrCat(" x", per_day, " daily") : "",
                  " on days ", DayRanges(days_), " (", out.doses, " doses)");
  absl::StrAppend(&out.rule, out.cycle_days ? absl::StrCat(" per ", *out.cycle_days, "-day cycle")
                                            : ", cycle length not stated");
  return out;
}

// No listed days: a standing daily, weekly or every-N-days schedule.
absl::StatusOr<TextDosing> Parser::InterpretContinuous(TextDosing out) {
  out.continuous = true;
  if (per_week_) {
    if (every_days_ && !(*every_days_ == 7 && *per_week_ == 1)) {
      return absl::FailedPreconditionError("'weekly' and a different interval");
    }
    out.doses_per_period = *per_week_;
    out.period_days = 7;
  } else if (per_day_) {
    if (every_days_) return absl::FailedPreconditionError("a daily dose with 'every N days'");
    if (cycle_days_) {
      return absl::FailedPreconditionError("a daily dose with a cycle length but no dosing days");
    }
    out.doses_per_period = *per_day_;
    out.period_days = 1;
  } else if (every_days_) {
    if (*every_days_ > kMaxIntervalDays) {
      return absl::FailedPreconditionError(absl::StrCat(
          "every ", *every_days_, " days without dosing days (an interval or the cycle?)"));
    }
    out.doses_per_period = 1;
    out.period_days = *every_days_;
  } else {
    return absl::FailedPreconditionError("no schedule in the text");
  }
  if (cycle_days_) {
    if (*cycle_days_ % out.period_days != 0) {
      return absl::FailedPreconditionError("the cycle is not a whole number of dosing periods");
    }
    out.cycle_days = cycle_days_;
  }
  absl::StrAppend(&out.rule, " x", out.doses_per_period, " every ", out.period_days,
                  out.period_days == 1 ? " day" : " days", " (continuous)");
  if (out.cycle_days) absl::StrAppend(&out.rule, " in a ", *out.cycle_days, "-day cycle");
  return out;
}

}  // namespace

absl::StatusOr<TextDosing> ParseDosingText(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty dosing text");
  if (text.size() > kMaxTextBytes) return absl::InvalidArgumentError("dosing text too long");
  char lowered[kMaxTextBytes];
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(LowerInto(text, lowered));
  if (!tokens.ok()) return tokens.status();
  return Parser(*std::move(tokens)).Run();
}

std::optional<int> FindCycleDays(absl::string_view text) {
  if (text.empty() || text.size() > kMaxTextBytes) return std::nullopt;
  // Every cycle this finds is a number, and numbers are digits only ("every two weeks" is not
  // read): a text without a digit, such as most patient instructions, states none.
  if (std::none_of(text.begin(), text.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    return std::nullopt;
  }
  char lowered[kMaxTextBytes];
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(LowerInto(text, lowered));
  if (!tokens.ok()) return std::nullopt;
  std::optional<int> found;
  bool conflict = false;
  const std::vector<Token>& t = *tokens;
  auto word = [&t](size_t k) {
    return k < t.size() && t[k].kind == Kind::kWord ? t[k].text : absl::string_view();
  };
  auto small_int = [&t](size_t k) -> std::optional<int> {
    if (k >= t.size() || t[k].kind != Kind::kNumber || !t[k].integral || t[k].value < 1 ||
        t[k].value > kMaxDay) {
      return std::nullopt;
    }
    return static_cast<int>(t[k].value);
  };
  auto record = [&found, &conflict](int days) {
    if (days > kMaxDay) return;
    if (found && *found != days) conflict = true;
    found = days;
  };
  for (size_t k = 0; k < t.size(); ++k) {
    const std::optional<int> n = small_int(k + 1);
    if (n && In(word(k), {"q", "every"})) {  // the cheap test first: most tokens are no number
      const absl::string_view unit = word(k + 2);
      const int days = IsWeekWord(unit) ? *n * 7 : *n;
      const bool unit_ok = IsDayWord(unit) || IsWeekWord(unit) || (word(k) == "q" && unit.empty());
      if (unit_ok && days >= kMinCycleDays) record(days);
    }
    if (const std::optional<int> m = small_int(k)) {
      const size_t unit_at = k + 1 + (k + 1 < t.size() && t[k + 1].text == "-" ? 1 : 0);
      const absl::string_view unit = word(unit_at);
      // The cycle word first: it is the rarest ("days 1, 8, 15 of each 28-day cycle").
      if (IsCycleWord(word(unit_at + 1)) && (IsDayWord(unit) || IsWeekWord(unit))) {
        record(IsDayWord(unit) ? *m : *m * 7);
      }
    }
  }
  if (conflict) return std::nullopt;
  return found;
}

}  // namespace thrombo::risk
