// Copyright 2026 The Thrombo Authors.
#include "risk/dose_timing.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::risk {
namespace {

using ::testing::DoubleNear;
using ::testing::Optional;
using Repeat = fhir::r4::Timing::Repeat;

constexpr char kGts[] = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation";

fhir::r4::Timing Coded(const std::string& code, const std::string& system = kGts) {
  fhir::r4::Timing t;
  auto* c = t.mutable_code()->add_coding();
  c->set_system(system);
  c->set_code(code);
  return t;
}

fhir::r4::Timing Repeated(int frequency, const std::string& period, Repeat::UnitsOfTime unit) {
  fhir::r4::Timing t;
  t.mutable_repeat()->set_frequency(frequency);
  t.mutable_repeat()->mutable_period()->set_value(period);
  t.mutable_repeat()->set_period_unit(unit);
  return t;
}

fhir::r4::Timing Text(const std::string& text) {
  fhir::r4::Timing t;
  t.mutable_code()->set_text(text);
  return t;
}

TEST(DosesPerDayTest, GtsCodes) {
  EXPECT_THAT(DosesPerDay(Coded("QD")), Optional(DoubleNear(1, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("BID")), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("TID")), Optional(DoubleNear(3, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("QID")), Optional(DoubleNear(4, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("QOD")), Optional(DoubleNear(0.5, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("WK")), Optional(DoubleNear(1.0 / 7, 1e-9)));
}

// The case that disagreed before: apixaban timed by code Q12H read as 0 doses per day.
TEST(DosesPerDayTest, EveryNHoursCodes) {
  EXPECT_THAT(DosesPerDay(Coded("Q12H")), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("Q8H")), Optional(DoubleNear(3, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("Q6H")), Optional(DoubleNear(4, 1e-9)));
  EXPECT_THAT(DosesPerDay(Coded("Q4H")), Optional(DoubleNear(6, 1e-9)));
  EXPECT_EQ(DosesPerDay(Coded("Q5H")), std::nullopt);  // not a GTS code
}

TEST(DosesPerDayTest, CodeWithoutSystemIsReadAsGts) {
  EXPECT_THAT(DosesPerDay(Coded("bid", "")), Optional(DoubleNear(2, 1e-9)));
}

TEST(DosesPerDayTest, CodeOfAnotherSystemIsNotGuessed) {
  EXPECT_EQ(DosesPerDay(Coded("BID", "http://example.org/local-frequency")), std::nullopt);
}

TEST(DosesPerDayTest, RepeatFrequencyPeriodUnit) {
  EXPECT_THAT(DosesPerDay(Repeated(2, "1", Repeat::D)), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Repeated(1, "12", Repeat::H)), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Repeated(1, "8", Repeat::H)), Optional(DoubleNear(3, 1e-9)));
  EXPECT_THAT(DosesPerDay(Repeated(1, "1", Repeat::WK)), Optional(DoubleNear(1.0 / 7, 1e-9)));
  EXPECT_THAT(DosesPerDay(Repeated(1, "2", Repeat::D)), Optional(DoubleNear(0.5, 1e-9)));
}

TEST(DosesPerDayTest, RepeatWinsOverCode) {
  fhir::r4::Timing t = Repeated(1, "1", Repeat::D);
  t.mutable_code()->add_coding()->set_code("BID");
  EXPECT_THAT(DosesPerDay(t), Optional(DoubleNear(1, 1e-9)));
}

TEST(DosesPerDayTest, DaysOfWeekShareOfADailyRate) {
  fhir::r4::Timing t = Repeated(1, "1", Repeat::D);
  t.mutable_repeat()->add_day_of_week(Repeat::MON);
  t.mutable_repeat()->add_day_of_week(Repeat::WED);
  t.mutable_repeat()->add_day_of_week(Repeat::FRI);
  EXPECT_THAT(DosesPerDay(t), Optional(DoubleNear(3.0 / 7, 1e-9)));
}

TEST(DosesPerDayTest, Text) {
  EXPECT_THAT(DosesPerDay(Text("twice daily")), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Text("Every 12 hours")), Optional(DoubleNear(2, 1e-9)));
  EXPECT_THAT(DosesPerDay(Text("q8h")), Optional(DoubleNear(3, 1e-9)));
  EXPECT_THAT(DosesPerDay(Text("once-daily")), Optional(DoubleNear(1, 1e-9)));
  EXPECT_THAT(DosesPerDay(Text("every other day")), Optional(DoubleNear(0.5, 1e-9)));
}

TEST(DosesPerDayTest, UnknownIsNotZero) {
  EXPECT_EQ(DosesPerDay(Text("as directed")), std::nullopt);
  EXPECT_EQ(DosesPerDay(fhir::r4::Timing()), std::nullopt);
  fhir::r4::Timing frequency_only;
  frequency_only.mutable_repeat()->set_frequency(2);
  EXPECT_EQ(DosesPerDay(frequency_only), std::nullopt);
}

TEST(ReadTimingRateTest, SaysWhereItReadTheRate) {
  EXPECT_EQ(ReadTimingRate(Coded("BID"))->read_from, "code");
  EXPECT_EQ(ReadTimingRate(Repeated(1, "1", Repeat::D))->read_from, "repeat");
  EXPECT_EQ(ReadTimingRate(Text("twice a day"))->read_from, "text");
  EXPECT_DOUBLE_EQ(ReadTimingRate(Coded("Q12H"))->period_hours, 12);
}

}  // namespace
}  // namespace thrombo::risk
