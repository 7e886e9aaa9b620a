// Copyright 2026 The Thrombo Authors.
// Tests for dexamethasone dose arithmetic: myeloma regimens written as FHIR Dosage and as text,
// the docs/clinical.md §0 rule 3 boundaries (120, 160, 161, 480 mg) and the cases that must stay unknown.
#include "risk/dex_dose.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::thrombo::fhir::r4::MedicationRequest;
using ::testing::HasSubstr;
using ::thrombo::testing::ParseTextProtoOrDie;
using ::thrombo::testing::StatusIs;

constexpr double kUnset = -1;
// 2026-01-01T00:00:00Z in microseconds, and one day.
constexpr int64_t kJan1Us = int64_t{1767225600} * 1000000;
constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// --- textproto builders for Dosage entries -------------------------------------------------

std::string Qty(const std::string& value, const std::string& code) {
  return absl::StrCat("value { value: \"", value, "\" } unit: \"", code,
                      "\" system: \"http://unitsofmeasure.org\" code: \"", code, "\"");
}
std::string Dose(const std::string& value, const std::string& code = "mg") {
  return absl::StrCat("dose_and_rate { dose_quantity { ", Qty(value, code), " } } ");
}
std::string Repeat(const std::string& fields) {
  return absl::StrCat("timing { repeat { ", fields, " } } ");
}
// frequency per period (e.g. Per(4, "28", "D") = 4 times per 28 days).
std::string Per(int frequency, const std::string& period, const std::string& unit) {
  return absl::StrCat("frequency: ", frequency, " period { value: \"", period,
                      "\" } period_unit: ", unit, " ");
}
std::string Code(const std::string& gts) {
  return absl::StrCat(
      "timing { code { coding { system: "
      "\"http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation\" code: \"",
      gts, "\" } } } ");
}
std::string Events(const std::vector<int>& days) {
  std::string s = "timing { ";
  for (int day : days) {
    absl::StrAppend(&s, "event { value_us: ", kJan1Us + (day - 1) * kDayUs, " precision: DAY } ");
  }
  return s + "} ";
}
std::string Entry(const std::string& inner) {
  return absl::StrCat("dosage_instruction { ", inner, "} ");
}

MedicationRequest Order(const std::string& textproto) {
  return ParseTextProtoOrDie<MedicationRequest>(textproto);
}

// --- the regimen table ---------------------------------------------------------------------

struct RegimenCase {
  std::string name;
  std::string structured;  // MedicationRequest textproto with the dex dosageInstruction
  std::string text;        // the same dex schedule as a dosing text
  DoseContext context;
  double mg_per_cycle;     // kUnset: not computable
  int cycle_days;          // 0: unknown
  double mg_per_28_days;   // kUnset: not computable
};

DoseContext Cycle(int days) {
  DoseContext context;
  context.cycle_days = days;
  return context;
}
DoseContext Regimen(const std::string& text) {
  DoseContext context;
  context.regimen_text = text;
  return context;
}
DoseContext Strength(double mg_per_unit) {
  DoseContext context;
  context.mg_per_unit = mg_per_unit;
  return context;
}

std::vector<RegimenCase> Regimens() {
  const std::string daily4 = Repeat(Per(1, "1", "D") + "bounds_duration { " + Qty("4", "d") + " }");
  return {
      // Rd: lenalidomide + dex 40 mg d1,8,15,22 q28 (vignette 1: exactly at the 160 boundary).
      {"Rd_Dex40_D1_8_15_22_q28", Entry(Dose("40") + Repeat(Per(4, "28", "D"))),
       "dexamethasone 40 mg PO on days 1, 8, 15, 22 of each 28-day cycle", {}, 160, 28, 160},
      // Low-dose Rd: dex 20 mg weekly; the cycle comes from the lenalidomide regimen text.
      {"LowDoseRd_Dex20_Weekly", Entry(Dose("20") + Repeat(Per(1, "1", "WK"))),
       "20 mg once weekly", Regimen("Rd: lenalidomide 25 mg d1-21, 28-day cycles"), 80, 28, 80},
      // VRd: 20 mg x 8 per 21 days = 160 per cycle = 213.3 per 28 days (docs/clinical.md §2).
      {"VRd_Dex20_D1_2_4_5_8_9_11_12_q21", Entry(Dose("20") + Repeat(Per(8, "21", "D"))),
       "20 mg days 1, 2, 4, 5, 8, 9, 11, 12 of a 21-day cycle", {}, 160, 21, 160.0 * 28 / 21},
      // KRd: dated events on days 1, 8, 15, 22; the cycle from the regimen text.
      {"KRd_Dex40_Events_q28", Entry(Dose("40") + Events({1, 8, 15, 22})),
       "40 mg d1,8,15,22 q28", Regimen("KRd q28d"), 160, 28, 160},
      // KRd, split-dose protocols: 20 mg d1,2,8,9,15,16,22,23; the period written as 4 weeks.
      {"KRd_Dex20_Split_q4w", Entry(Dose("20") + Repeat(Per(8, "4", "WK"))),
       "20 mg d1,2,8,9,15,16,22,23 q28d", {}, 160, 28, 160},
      // DRd: dex 40 mg weekly (vignette 4: 160), written with the GTS code WK; no cycle known.
      {"DRd_Dex40_Weekly", Entry(Dose("40") + Code("WK")), "40 mg weekly", {}, kUnset, 0, 160},
      // Pd: dex 40 mg on Mondays (dayOfWeek) in a 28-day cycle the caller knows.
      {"Pd_Dex40_DayOfWeek", Entry(Dose("40") + Repeat(Per(1, "1", "D") + "day_of_week: MON")),
       "40 mg d1, 8, 15, 22 every 28 days", Cycle(28), 160, 28, 160},
      // DPd: dex 40 mg every 7 days in a 28-day cycle.
      {"DPd_Dex40_Weekly", Entry(Dose("40") + Repeat(Per(1, "7", "D"))), "dex 40 mg once a week",
       Cycle(28), 160, 28, 160},
      // Td: thalidomide + dex 40 mg d1-4, 9-12, 17-20 q28 = 480 (vignette 2), as three
      // sequenced 4-day courses; the cycle length from the first entry's text.
      {"Td_Dex40_D1_4_9_12_17_20_q28",
       Entry("sequence: 1 text: \"days 1-4, 9-12, 17-20 of a 28-day cycle\" " + Dose("40") +
             daily4) +
           Entry("sequence: 2 " + Dose("40") + daily4) + Entry("sequence: 3 " + Dose("40") + daily4),
       "dexamethasone 40 mg PO days 1-4, 9-12, 17-20 every 28 days", {}, 480, 28, 480},
      // VTd: dex 40 mg d1,2,4,5,8,9,11,12 on the 21-day bortezomib cycle (the q21 variant chosen).
      {"VTd_Dex40_q21", Entry(Dose("40") + Repeat(Per(8, "3", "WK"))),
       "40 mg d1,2,4,5,8,9,11,12 q3w", {}, 320, 21, 320.0 * 28 / 21},
      // VDT-PACE: dex 40 mg d1-4 (count 4), cycle from the regimen text.
      {"VDT_PACE_Dex40_D1_4", Entry(Dose("40") + Repeat(Per(1, "1", "D") + "count: 4")),
       "40mg D1-4 q4w", Regimen("VDT-PACE, 28-day cycles"), 160, 28, 160},
      // High-dose pulses: 40 mg d1-4, 9-12, 17-20 q28 = 480 (IMWG high dose, docs/clinical.md §1).
      {"HighDose_Dex40_Pulses_q28", Entry(Dose("40") + Repeat(Per(12, "28", "D"))),
       "dex 40 mg days 1-4, 9-12, 17-20 every 28 days", {}, 480, 28, 480},
      // High-dose pulses every 14 days: 160 per cycle, 320 per 28 days.
      {"HighDose_Dex40_D1_4_q14", Entry(Dose("40") + Repeat(Per(4, "14", "D"))),
       "dex 40 mg days 1-4 every 14 days", {}, 160, 14, 320},
      // Continuous schedules: mg per day x 28.
      {"Continuous_12mg_Daily", Entry(Dose("12") + Code("QD")), "12 mg daily", {}, kUnset, 0, 336},
      {"Continuous_4mg_Bid", Entry(Dose("4") + Repeat(Per(2, "1", "D"))), "4 mg twice daily", {},
       kUnset, 0, 224},
      // Boundaries (docs/clinical.md §0 rule 3): 161 is high-dose for IMPEDE and SAVED; 120 is the
      // bottom of SAVED's standard band.
      {"Boundary_161", Entry(Dose("40.25") + Repeat(Per(4, "28", "D"))),
       "40.25 mg d1,8,15,22 q28d", {}, 161, 28, 161},
      {"Boundary_120_PerCycle", Entry(Dose("40") + Repeat(Per(3, "28", "D"))),
       "40 mg d1,8,15 q28d", {}, 120, 28, 120},
      {"Boundary_120_Weekly_q21", Entry(Dose("40") + Repeat(Per(1, "1", "WK"))),
       "40 mg weekly of a 21-day cycle", Cycle(21), 120, 21, 160},
      // Units.
      {"Units_Grams", Entry(Dose("0.04", "g") + Repeat(Per(1, "1", "WK"))), "0.04 g weekly", {},
       kUnset, 0, 160},
      {"Units_Micrograms", Entry(Dose("40000", "ug") + Repeat(Per(4, "28", "D"))),
       "40000 mcg d1,8,15,22 q28d", {}, 160, 28, 160},
      {"Units_TabletsTimesStrength", Entry(Dose("10", "{tab}") + Repeat(Per(1, "1", "WK"))),
       "10 tablets weekly", Strength(4), kUnset, 0, 160},
  };
}

void ExpectDose(const DexDose& dose, const RegimenCase& c) {
  if (c.mg_per_cycle == kUnset) {
    EXPECT_FALSE(dose.mg_per_cycle.has_value()) << *dose.mg_per_cycle;
  } else {
    ASSERT_TRUE(dose.mg_per_cycle.has_value());
    EXPECT_DOUBLE_EQ(*dose.mg_per_cycle, c.mg_per_cycle);
  }
  EXPECT_EQ(dose.cycle_days.value_or(0), c.cycle_days);
  if (c.mg_per_28_days == kUnset) {
    EXPECT_FALSE(dose.mg_per_28_days.has_value());
  } else {
    ASSERT_TRUE(dose.mg_per_28_days.has_value());
    EXPECT_DOUBLE_EQ(*dose.mg_per_28_days, c.mg_per_28_days);
  }
  EXPECT_FALSE(dose.is_range);
  EXPECT_FALSE(dose.rule.empty());
}

class RegimenTest : public ::testing::TestWithParam<RegimenCase> {};

TEST_P(RegimenTest, Structured) {
  const RegimenCase& c = GetParam();
  SCOPED_TRACE(c.structured);
  const absl::StatusOr<DexDose> dose =
      DoseFromDosages(Order(c.structured).dosage_instruction(), c.context);
  ASSERT_TRUE(dose.ok()) << dose.status();
  SCOPED_TRACE(dose->rule);
  EXPECT_EQ(dose->method, DexDose::Method::kStructured);
  ExpectDose(*dose, c);
}

TEST_P(RegimenTest, Text) {
  const RegimenCase& c = GetParam();
  SCOPED_TRACE(c.text);
  const absl::StatusOr<DexDose> dose = DoseFromText(c.text, c.context);
  ASSERT_TRUE(dose.ok()) << dose.status();
  SCOPED_TRACE(dose->rule);
  EXPECT_EQ(dose->method, DexDose::Method::kText);
  ExpectDose(*dose, c);
}

INSTANTIATE_TEST_SUITE_P(MyelomaRegimens, RegimenTest, ::testing::ValuesIn(Regimens()),
                         [](const ::testing::TestParamInfo<RegimenCase>& info) {
                           return info.param.name;
                         });

// --- exact boundaries and the spec's vignettes -----------------------------------------------

// docs/clinical.md §10: 40 mg weekly = 160 (vignettes 3, 4, 6, 8), 40 mg d1-4, 9-12, 17-20 = 480
// (vignette 2), 20 mg weekly = 80 (vignettes 5, 7), all per 28 days. Exact equality: the bands
// are "> 160" and ">= 480", so 160.00000001 would be a different score.
TEST(DexDoseTest, SpecVignettesAreExact) {
  EXPECT_EQ(DoseFromText("40 mg weekly", {})->mg_per_28_days, 160.0);
  EXPECT_EQ(DoseFromText("40 mg d1-4, 9-12, 17-20 q28d", {})->mg_per_28_days, 480.0);
  EXPECT_EQ(DoseFromText("20 mg weekly", {})->mg_per_28_days, 80.0);
  EXPECT_EQ(DoseFromText("40 mg d1,8,15,22 q28d", {})->mg_per_28_days, 160.0);
  const MedicationRequest weekly = Order(Entry(Dose("40") + Repeat(Per(1, "7", "D"))));
  EXPECT_EQ(DoseFromDosages(weekly.dosage_instruction(), {})->mg_per_28_days, 160.0);
}

TEST(DexDoseTest, RuleSaysWhatFired) {
  const absl::StatusOr<DexDose> dose =
      DoseFromDosages(Order(Entry(Dose("40") + Repeat(Per(4, "28", "D")))).dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_THAT(dose->rule, HasSubstr("40 mg"));
  EXPECT_THAT(dose->rule, HasSubstr("160 mg per 28-day cycle"));
  EXPECT_FALSE(dose->ambiguous);
}

// --- partially known -----------------------------------------------------------------------

TEST(DexDoseTest, CourseWithoutCycleGivesMgPerCycleOnly) {
  for (const char* text : {"40 mg daily x 4 days", "40 mg days 1-4"}) {
    SCOPED_TRACE(text);
    const absl::StatusOr<DexDose> dose = DoseFromText(text, {});
    ASSERT_TRUE(dose.ok()) << dose.status();
    EXPECT_EQ(dose->mg_per_cycle, 160);
    EXPECT_FALSE(dose->cycle_days.has_value());
    EXPECT_FALSE(dose->mg_per_28_days.has_value());
    EXPECT_THAT(dose->rule, HasSubstr("cycle length unknown"));
  }
  const MedicationRequest course = Order(Entry(Dose("40") + Repeat(Per(1, "1", "D") + "count: 4")));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(course.dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_cycle, 160);
  EXPECT_FALSE(dose->mg_per_28_days.has_value());
}

TEST(DexDoseTest, BoundsPeriodIsInclusiveOfTheEndDay) {
  const std::string bounds = absl::StrCat("bounds_period { start { value_us: ", kJan1Us,
                                          " precision: DAY } end { value_us: ", kJan1Us + 3 * kDayUs,
                                          " precision: DAY } }");
  const MedicationRequest order =
      Order(Entry(Dose("40") + Repeat(Per(1, "1", "D") + bounds)));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), Cycle(28));
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_cycle, 160);
  EXPECT_EQ(dose->mg_per_28_days, 160);
}

TEST(DexDoseTest, MonthIsAUcumMonthNotACycle) {
  const MedicationRequest order = Order(Entry(Dose("40") + Repeat(Per(1, "1", "MO"))));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_DOUBLE_EQ(*dose->mg_per_28_days, 40 * 28 / 30.4375);
  EXPECT_FALSE(dose->cycle_days.has_value());
}

TEST(DexDoseTest, TwoDaysOfWeekDoubleTheWeeklyDose) {
  const MedicationRequest order =
      Order(Entry(Dose("20") + Repeat(Per(1, "1", "D") + "day_of_week: MON day_of_week: THU")));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_28_days, 160);
}

TEST(DexDoseTest, OrderCycleWinsOverRegimenTextButIsFlagged) {
  const MedicationRequest order = Order(Entry(Dose("40") + Repeat(Per(4, "28", "D"))));
  const absl::StatusOr<DexDose> dose =
      DoseFromDosages(order.dosage_instruction(), Regimen("VRd 21-day cycles"));
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->cycle_days, 28);
  EXPECT_TRUE(dose->ambiguous);
  EXPECT_THAT(dose->notes, ::testing::Contains(HasSubstr("21-day")));
}

// --- ranges: reported, not resolved ----------------------------------------------------------

TEST(DexDoseTest, DoseRangeReportsBothEnds) {
  const MedicationRequest order = Order(Entry(
      "dose_and_rate { dose_range { low { " + Qty("20", "mg") + " } high { " + Qty("40", "mg") +
      " } } } " + Repeat(Per(1, "1", "WK"))));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), Cycle(28));
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_TRUE(dose->is_range);
  EXPECT_TRUE(dose->ambiguous);
  EXPECT_EQ(dose->mg_per_28_days, 80);
  EXPECT_EQ(dose->mg_per_28_days_high, 160);
  EXPECT_EQ(dose->mg_per_cycle, 80);
  EXPECT_EQ(dose->mg_per_cycle_high, 160);
  // 80-160 is low-dose for IMPEDE either way (> 160 is high) ...
  EXPECT_FALSE(RangeStraddles(*dose, 160));
  // ... but it straddles SAVED's 120 mg band edge, so that component is unknown.
  EXPECT_TRUE(RangeStraddles(*dose, 119.999));
}

TEST(DexDoseTest, DoseRangeWhereItMattersStraddlesTheHighDoseCutOff) {
  const MedicationRequest order = Order(Entry(
      "dose_and_rate { dose_range { low { " + Qty("20", "mg") + " } high { " + Qty("60", "mg") +
      " } } } " + Repeat(Per(1, "1", "WK"))));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_28_days, 80);
  EXPECT_EQ(dose->mg_per_28_days_high, 240);
  EXPECT_TRUE(RangeStraddles(*dose, 160));
}

TEST(DexDoseTest, FrequencyMaxIsTheHighEnd) {
  const MedicationRequest order =
      Order(Entry(Dose("40") + Repeat(Per(1, "1", "WK") + "frequency_max: 2")));
  const absl::StatusOr<DexDose> dose = DoseFromDosages(order.dosage_instruction(), {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_28_days, 160);
  EXPECT_EQ(dose->mg_per_28_days_high, 320);
  EXPECT_TRUE(dose->is_range);
}

// --- unknown: never guessed -----------------------------------------------------------------

struct UnknownCase {
  std::string name;
  std::string structured;
  DoseContext context;
  absl::StatusCode code;
  std::string reason;
};

TEST(DexDoseTest, UnknownStructuredDoses) {
  const std::vector<UnknownCase> cases = {
      {"no dose", Entry(Repeat(Per(1, "1", "WK"))), {}, absl::StatusCode::kFailedPrecondition,
       "dosage[0]: no doseAndRate.dose"},
      {"no schedule", Entry(Dose("40")), {}, absl::StatusCode::kFailedPrecondition, "no timing"},
      {"text only", Entry("text: \"as directed\""), {}, absl::StatusCode::kNotFound, "no structured"},
      {"no dex order (MPT)", "", {}, absl::StatusCode::kNotFound, "no structured"},
      {"as needed", Entry(Dose("4") + Code("QD") + "as_needed_boolean: true"), {},
       absl::StatusCode::kFailedPrecondition, "as needed"},
      {"tablets without strength", Entry(Dose("10", "{tab}") + Code("WK")), {},
       absl::StatusCode::kFailedPrecondition, "no strength"},
      {"volume", Entry(Dose("4", "mL") + Code("WK")), {}, absl::StatusCode::kFailedPrecondition,
       "not a mass"},
      {"mg/kg", Entry(Dose("0.5", "mg/kg") + Code("WK")), {},
       absl::StatusCode::kFailedPrecondition, "not a mass"},
      {"comparator",
       Entry("dose_and_rate { dose_quantity { " + Qty("40", "mg") + " comparator: LESS_THAN } } " +
             Code("WK")),
       {}, absl::StatusCode::kFailedPrecondition, "comparator"},
      {"negative", Entry(Dose("-40") + Code("WK")), {}, absl::StatusCode::kInvalidArgument,
       "negative"},
      {"not a number", Entry(Dose("forty") + Code("WK")), {}, absl::StatusCode::kInvalidArgument,
       "not a number"},
      {"zero period", Entry(Dose("40") + Repeat(Per(1, "0", "D"))), {},
       absl::StatusCode::kInvalidArgument, "period"},
      {"period without unit", Entry(Dose("40") + Repeat("frequency: 1 period { value: \"7\" }")),
       {}, absl::StatusCode::kFailedPrecondition, "without a unit"},
      {"unsupported code", Entry(Dose("40") + Code("Q5H")), {},
       absl::StatusCode::kFailedPrecondition, "Timing.code"},
      {"bounds range",
       Entry(Dose("40") + Repeat(Per(1, "1", "D") + "bounds_range { low { " + Qty("2", "d") +
                                 " } high { " + Qty("4", "d") + " } }")),
       {}, absl::StatusCode::kFailedPrecondition, "boundsRange"},
      {"duration in days",
       Entry(Dose("40") + Repeat(Per(1, "28", "D") + "duration { value: \"4\" } duration_unit: D")),
       {}, absl::StatusCode::kFailedPrecondition, "duration"},
      {"continuous and cyclic mixed",
       Entry(Dose("40") + Repeat(Per(4, "28", "D"))) + Entry(Dose("4") + Code("QD")), {},
       absl::StatusCode::kFailedPrecondition, "mixed"},
      {"different cycles",
       Entry(Dose("40") + Repeat(Per(4, "28", "D"))) + Entry(Dose("20") + Repeat(Per(8, "21", "D"))),
       {}, absl::StatusCode::kFailedPrecondition, "different cycle"},
      {"sequential open-ended (a taper)",
       Entry("sequence: 1 " + Dose("40") + Code("QD")) +
           Entry("sequence: 2 " + Dose("20") + Code("QD")),
       {}, absl::StatusCode::kFailedPrecondition, "in sequence"},
      {"events over 28 days and no cycle", Entry(Dose("40") + Events({1, 8, 15, 22, 29, 36})), {},
       absl::StatusCode::kFailedPrecondition, "more than 28 days"},
  };
  for (const UnknownCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(DoseFromDosages(Order(c.structured).dosage_instruction(), c.context),
                StatusIs(c.code, HasSubstr(c.reason)));
  }
}

TEST(DexDoseTest, UnknownTextDoses) {
  for (const char* text : {"as directed", "see protocol", "dex per protocol", "40 mg",
                                  "20-40 mg weekly", "40 mg daily then taper"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(DoseFromText(text, {}), StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  EXPECT_THAT(DoseFromText("2 tablets weekly", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no strength")));
}

// --- whole orders: structure first, then text ------------------------------------------------

TEST(DexDoseTest, MedicationRequestFallsBackToText) {
  const MedicationRequest order =
      Order(Entry("text: \"dexamethasone 40 mg PO days 1-4, 9-12, 17-20 every 28 days\""));
  const absl::StatusOr<DexDose> dose = DoseFromMedicationRequest(order, {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->method, DexDose::Method::kText);
  EXPECT_EQ(dose->mg_per_28_days, 480);
  EXPECT_THAT(dose->notes, ::testing::Contains(HasSubstr("structured dose unknown")));
}

TEST(DexDoseTest, MedicationRequestUsesNotesLast) {
  const MedicationRequest order = Order(
      Entry("text: \"see protocol\" patient_instruction: \"as directed\"") +
      "note { text: \"dex 40 mg weekly\" }");
  const absl::StatusOr<DexDose> dose = DoseFromMedicationRequest(order, {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->mg_per_28_days, 160);
}

TEST(DexDoseTest, MedicationRequestPrefersStructure) {
  const MedicationRequest order =
      Order(Entry("text: \"20 mg weekly\" " + Dose("40") + Repeat(Per(1, "1", "WK"))));
  const absl::StatusOr<DexDose> dose = DoseFromMedicationRequest(order, {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_EQ(dose->method, DexDose::Method::kStructured);
  EXPECT_EQ(dose->mg_per_28_days, 160);
}

TEST(DexDoseTest, MedicationRequestUnknownExplainsEveryReason) {
  const MedicationRequest order = Order(Entry("text: \"as directed\""));
  EXPECT_THAT(DoseFromMedicationRequest(order, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr("no structured"), HasSubstr("'as'"))));
  EXPECT_THAT(DoseFromMedicationRequest(MedicationRequest(), {}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(DexDoseTest, MedicationStatementDosage) {
  const auto statement = ParseTextProtoOrDie<fhir::r4::MedicationStatement>(
      "dosage { " + Dose("20") + Repeat(Per(8, "21", "D")) + "}");
  const absl::StatusOr<DexDose> dose = DoseFromMedicationStatement(statement, {});
  ASSERT_TRUE(dose.ok()) << dose.status();
  EXPECT_DOUBLE_EQ(*dose->mg_per_28_days, 160.0 * 28 / 21);
}

TEST(DexDoseTest, OneOfSeveralEntriesTextsIsNotTheOrder) {
  // The second entry has only text; reading it alone would give 160 instead of 320.
  const MedicationRequest order =
      Order(Entry("sequence: 1 " + Dose("40") + Repeat(Per(1, "1", "D") + "count: 4")) +
            Entry("sequence: 2 text: \"40 mg days 9-12\""));
  EXPECT_THAT(DoseFromMedicationRequest(order, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("dosage[1]")));
}

TEST(DexDoseTest, RejectsOutOfRangeContextAndOverflow) {
  const MedicationRequest order = Order(Entry(Dose("40") + Repeat(Per(1, "1", "WK"))));
  EXPECT_THAT(DoseFromDosages(order.dosage_instruction(), Cycle(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DoseFromText("40 mg weekly", Strength(-1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const MedicationRequest tiny = Order(Entry(Dose("1e300") + Repeat(Per(1, "1e-300", "S"))));
  EXPECT_THAT(DoseFromDosages(tiny.dosage_instruction(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("out of range")));
}

// --- strength --------------------------------------------------------------------------------

TEST(MgPerUnitFromStrengthTest, ReadsPerTabletMass) {
  auto ratio = [](const std::string& textproto) {
    return ParseTextProtoOrDie<fhir::r4::Ratio>(textproto);
  };
  EXPECT_EQ(*MgPerUnitFromStrength(ratio("numerator { " + Qty("4", "mg") + " } denominator { " +
                                         Qty("1", "{tab}") + " }")),
            4);
  EXPECT_EQ(*MgPerUnitFromStrength(ratio("numerator { " + Qty("20", "mg") + " }")), 20);
  EXPECT_EQ(*MgPerUnitFromStrength(ratio("numerator { " + Qty("0.5", "g") + " } denominator { " +
                                         Qty("1", "1") + " }")),
            500);
  EXPECT_THAT(MgPerUnitFromStrength(ratio("numerator { " + Qty("10", "mg") + " } denominator { " +
                                          Qty("1", "mL") + " }")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(MgPerUnitFromStrength(ratio("")), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::risk
