// Copyright 2026 The Thrombo Authors.
// Tests for the dosing text parser: the myeloma phrasings it reads, and what it refuses.
#include "risk/dosing_text.h"

#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

struct CyclicCase {
  std::string text;
  double amount;
  int doses;
  int cycle_days;  // 0: not stated
};

TEST(ParseDosingTextTest, ReadsCyclicSchedules) {
  const std::vector<CyclicCase> cases = {
      {"dexamethasone 40 mg PO days 1-4, 9-12, 17-20 every 28 days", 40, 12, 28},
      {"40 mg d1,8,15,22 q28d", 40, 4, 28},
      {"40 mg D1, D8, D15, D22 q28", 40, 4, 28},
      {"20 mg days 1, 2, 4, 5, 8, 9, 11, 12 of a 21-day cycle", 20, 8, 21},
      {"20 mg on days 1, 8, 15, 22 of each 28-day cycle", 20, 4, 28},
      {"40mg D1-4 q4w", 40, 4, 28},
      {"dex 40 mg days 1-4 every 14 days", 40, 4, 14},
      {"40 mg daily x 4 days", 40, 4, 0},
      {"40 mg for 4 days, 28 day cycles", 40, 4, 28},
      {"Dexamethasone 40 mg by mouth on day 1 and 8, 21-day cycle.", 40, 2, 21},
      {"4 mg twice daily days 1 to 4", 4, 8, 0},
      {"40 mg once weekly on days 1, 8, 15 and 22, q28 days", 40, 4, 28},
      {"1.5 mg d1-21 every 4 weeks", 1.5, 21, 28},
      {"0.04 g d1,8,15,22 q28d", 40, 4, 28},
      {"500 mcg days 1-2 q14d", 0.5, 2, 14},
  };
  for (const CyclicCase& c : cases) {
    SCOPED_TRACE(c.text);
    const absl::StatusOr<TextDosing> parsed = ParseDosingText(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_FALSE(parsed->continuous);
    EXPECT_DOUBLE_EQ(parsed->amount, c.amount);
    EXPECT_EQ(parsed->unit, AmountUnit::kMilligram);
    EXPECT_EQ(parsed->doses, c.doses);
    EXPECT_EQ(parsed->cycle_days.value_or(0), c.cycle_days);
    EXPECT_FALSE(parsed->rule.empty());
  }
}

struct ContinuousCase {
  std::string text;
  double amount;
  int doses_per_period;
  int period_days;
  int cycle_days;  // 0: not stated
};

TEST(ParseDosingTextTest, ReadsContinuousSchedules) {
  const std::vector<ContinuousCase> cases = {
      {"40 mg weekly", 40, 1, 7, 0},
      {"40 mg once weekly", 40, 1, 7, 0},
      {"40 mg once a week", 40, 1, 7, 0},
      {"40 mg qw", 40, 1, 7, 0},
      {"40 mg q1w", 40, 1, 7, 0},
      {"40 mg every week", 40, 1, 7, 0},
      {"40 mg every 7 days", 40, 1, 7, 0},
      {"20 mg weekly of a 28-day cycle", 20, 1, 7, 28},
      {"12 mg daily", 12, 1, 1, 0},
      {"12 mg qd", 12, 1, 1, 0},
      {"4 mg twice daily", 4, 2, 1, 0},
      {"4 mg bid", 4, 2, 1, 0},
      {"4 mg tid", 4, 3, 1, 0},
      {"4 mg 3 times a day", 4, 3, 1, 0},
      {"4 mg q12h", 4, 2, 1, 0},
      {"4 mg/day", 4, 1, 1, 0},
      {"20 mg twice weekly", 20, 2, 7, 0},
      {"8 mg every other day", 8, 1, 2, 0},
      {"8 mg qod", 8, 1, 2, 0},
  };
  for (const ContinuousCase& c : cases) {
    SCOPED_TRACE(c.text);
    const absl::StatusOr<TextDosing> parsed = ParseDosingText(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(parsed->continuous);
    EXPECT_DOUBLE_EQ(parsed->amount, c.amount);
    EXPECT_EQ(parsed->doses_per_period, c.doses_per_period);
    EXPECT_EQ(parsed->period_days, c.period_days);
    EXPECT_EQ(parsed->cycle_days.value_or(0), c.cycle_days);
  }
}

TEST(ParseDosingTextTest, ReadsTabletCounts) {
  const absl::StatusOr<TextDosing> parsed = ParseDosingText("2 tablets weekly");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->unit, AmountUnit::kUnit);
  EXPECT_DOUBLE_EQ(parsed->amount, 2);
}

struct RefusedCase {
  std::string text;
  absl::StatusCode code;
  std::string reason;  // a substring of the message
};

TEST(ParseDosingTextTest, RefusesWhatItDoesNotUnderstand) {
  const std::vector<RefusedCase> cases = {
      {"as directed", absl::StatusCode::kFailedPrecondition, "not understood at 'as'"},
      {"40 mg as directed", absl::StatusCode::kFailedPrecondition, "'as'"},
      {"see protocol", absl::StatusCode::kFailedPrecondition, "'see'"},
      {"40 mg weekly per protocol", absl::StatusCode::kFailedPrecondition, "'protocol'"},
      {"20-40 mg weekly", absl::StatusCode::kFailedPrecondition, "dose range"},
      {"20 to 40 mg weekly", absl::StatusCode::kFailedPrecondition, "dose range"},
      {"40 mg daily then 20 mg daily", absl::StatusCode::kFailedPrecondition, "'then'"},
      {"40 mg", absl::StatusCode::kFailedPrecondition, "no schedule"},
      {"weekly", absl::StatusCode::kFailedPrecondition, "no dose"},
      {"40 mg monthly", absl::StatusCode::kFailedPrecondition, "monthly"},
      {"40 mg biweekly", absl::StatusCode::kFailedPrecondition, "biweekly"},
      {"40 mg prn", absl::StatusCode::kFailedPrecondition, "'prn'"},
      {"40 mg q28d", absl::StatusCode::kFailedPrecondition, "every 28 days without dosing days"},
      {"40 mg every 14 days", absl::StatusCode::kFailedPrecondition, "without dosing days"},
      {"40 mg daily, 28-day cycle", absl::StatusCode::kFailedPrecondition, "no dosing days"},
      {"40 mg d1,8,15,22 q21d", absl::StatusCode::kFailedPrecondition, "outside the 21-day"},
      {"40 mg d1-4 q28d, 21-day cycle", absl::StatusCode::kFailedPrecondition, "two different"},
      {"40 mg days 1, 1", absl::StatusCode::kFailedPrecondition, "twice"},
      {"40 mg days 4-1 q28d", absl::StatusCode::kFailedPrecondition, "backwards"},
      {"40 mg weekly on days 1-4", absl::StatusCode::kFailedPrecondition, "a week apart"},
      {"40 mg daily and weekly", absl::StatusCode::kFailedPrecondition, "both daily and weekly"},
      {"40 mg once", absl::StatusCode::kFailedPrecondition, "'once' without"},
      {"40 µg weekly", absl::StatusCode::kFailedPrecondition, "not understood"},
      {"40 mg d400", absl::StatusCode::kFailedPrecondition, "not understood"},
      // Found by fuzzing: a day word before a cycle length once looped forever.
      {"40 mg day 28-day cycle", absl::StatusCode::kFailedPrecondition, "not understood"},
      {"", absl::StatusCode::kInvalidArgument, "empty"},
      {"99999999 mg weekly", absl::StatusCode::kInvalidArgument, "too long"},
      {"40.123456 mg weekly", absl::StatusCode::kInvalidArgument, "decimals"},
      {std::string(2001, 'a'), absl::StatusCode::kInvalidArgument, "too long"},
      {std::string(401, ','), absl::StatusCode::kInvalidArgument, "too many tokens"},
  };
  for (const RefusedCase& c : cases) {
    SCOPED_TRACE(c.text.substr(0, 80));
    EXPECT_THAT(ParseDosingText(c.text), StatusIs(c.code, HasSubstr(c.reason)));
  }
}

// Arbitrary bytes must never crash, hang or read out of bounds (run under --config=asan too).
TEST(ParseDosingTextTest, SurvivesArbitraryBytes) {
  std::mt19937 random(20260101);
  const std::string alphabet = "0123456789 -,.dDqQxwkmgy/\xb5\xff";
  for (int i = 0; i < 2000; ++i) {
    std::string text(random() % 64, ' ');
    for (char& c : text) {
      c = i % 2 == 0 ? static_cast<char>(random() % 256) : alphabet[random() % alphabet.size()];
    }
    const absl::StatusOr<TextDosing> parsed = ParseDosingText(text);
    if (parsed.ok()) {
      EXPECT_GE(parsed->amount, 0);
    }
    FindCycleDays(text);
  }
}

TEST(FindCycleDaysTest, FindsTheCycleInRegimenTexts) {
  EXPECT_EQ(FindCycleDays("VRd, 21-day cycles x 8"), 21);
  EXPECT_EQ(FindCycleDays("lenalidomide 25 mg d1-21 q28d"), 28);
  EXPECT_EQ(FindCycleDays("KRd every 28 days"), 28);
  EXPECT_EQ(FindCycleDays("Td q4w"), 28);
  EXPECT_EQ(FindCycleDays("VTD 3-week cycles"), 21);
  EXPECT_EQ(FindCycleDays("Dara-Rd, 28 day cycle, dex 40 mg weekly"), 28);
  // Intervals under two weeks are doses, not cycles; two different cycles are no answer.
  EXPECT_EQ(FindCycleDays("40 mg every 7 days"), std::nullopt);
  EXPECT_EQ(FindCycleDays("21-day cycle, later 28-day cycle"), std::nullopt);
  EXPECT_EQ(FindCycleDays("as directed"), std::nullopt);
  EXPECT_EQ(FindCycleDays(""), std::nullopt);
  // Cycle lengths are read from digits only: spelled-out numbers state none.
  EXPECT_EQ(FindCycleDays("every four weeks, a cycle"), std::nullopt);
  EXPECT_EQ(FindCycleDays("twenty-eight day cycles"), std::nullopt);
}

}  // namespace
}  // namespace thrombo::risk
