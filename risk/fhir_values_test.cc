#include "risk/fhir_values.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::testing::DoubleNear;
using ::testing::Optional;
using thrombo::testing::ParseTextProtoOrDie;
using fhir::r4::Quantity;

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(FhirValues, ConvertsCreatinineFromMicromolesPerLitre) {
  const auto q = ParseTextProtoOrDie<Quantity>(
      "value { value: '88.42' } unit: 'umol/L' system: 'http://unitsofmeasure.org' code: 'umol/L'");
  EXPECT_THAT(QuantityIn(q, Unit::kMilligramPerDecilitre), Optional(DoubleNear(1.0, 1e-9)));
  const auto mg = ParseTextProtoOrDie<Quantity>("value { value: '1.2' } unit: 'mg/dL'");
  EXPECT_THAT(QuantityIn(mg, Unit::kMilligramPerDecilitre), Optional(DoubleNear(1.2, 1e-12)));
}

TEST(FhirValues, ConvertsWeightHeightDoseAndHaemoglobin) {
  EXPECT_THAT(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '220' } code: '[lb_av]'"),
                         Unit::kKilogram),
              Optional(DoubleNear(99.79, 0.01)));
  EXPECT_THAT(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '1.75' } code: 'm'"),
                         Unit::kCentimetre),
              Optional(DoubleNear(175, 1e-9)));
  EXPECT_THAT(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '0.04' } code: 'g'"),
                         Unit::kMilligram),
              Optional(DoubleNear(40, 1e-9)));
  EXPECT_THAT(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '90' } code: 'g/L'"),
                         Unit::kGramPerDecilitre),
              Optional(DoubleNear(9, 1e-9)));
  EXPECT_THAT(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '220' } unit: 'K/uL'"),
                         Unit::kPerNanolitre),
              Optional(DoubleNear(220, 1e-9)));
}

TEST(FhirValues, RefusesWhatCannotBeActedOn) {
  // A comparator value ("<50") is not a platelet count.
  EXPECT_EQ(QuantityIn(ParseTextProtoOrDie<Quantity>(
                           "value { value: '50' } comparator: LESS_THAN code: '10*9/L'"),
                       Unit::kPerNanolitre),
            std::nullopt);
  EXPECT_EQ(QuantityIn(ParseTextProtoOrDie<Quantity>("value { value: '5' } code: 'mmol/L'"),
                       Unit::kEgfr),
            std::nullopt);
  EXPECT_EQ(QuantityIn(ParseTextProtoOrDie<Quantity>("code: 'mg'"), Unit::kMilligram),
            std::nullopt);
}

TEST(FhirValues, AgeCountsCompletedYears) {
  EXPECT_EQ(AgeInYears(Day(1946, 11, 25), Day(2026, 11, 25)), 80);
  EXPECT_EQ(AgeInYears(Day(1946, 11, 26), Day(2026, 11, 25)), 79);
}

TEST(FhirValues, ConditionStatus) {
  const auto active = ParseTextProtoOrDie<fhir::r4::Condition>(R"pb(
    clinical_status {
      coding { system: "http://terminology.hl7.org/CodeSystem/condition-clinical" code: "active" }
    })pb");
  EXPECT_TRUE(IsActiveCondition(active));
  auto resolved = active;
  resolved.mutable_clinical_status()->mutable_coding(0)->set_code("resolved");
  EXPECT_FALSE(IsActiveCondition(resolved));
  auto refuted = active;
  auto* v = refuted.mutable_verification_status()->add_coding();
  v->set_system("http://terminology.hl7.org/CodeSystem/condition-ver-status");
  v->set_code("refuted");
  EXPECT_FALSE(IsActiveCondition(refuted));
  EXPECT_TRUE(IsRefutedOrInError(refuted));
}

// ToDouble reads plain decimals without the general parser; its value must be exactly the
// general parser's (the double nearest the decimal), sign, zeros and all.
TEST(FhirValues, ToDoubleIsExactlyTheCorrectlyRoundedValue) {
  std::mt19937_64 random(20261125);
  auto digits = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + random() % 10));
    return out;
  };
  std::vector<std::string> texts = {"0",     "-0",    "0.0",   "-0.0",  "1.3",  "115",
                                    "0.1",   "2.675", "10.4",  "1e3",   "+5",   "5.",
                                    ".5",    "1.2.3", "-",     "",      " 1",   "nan",
                                    "999999999999999", "9999999999999999", "0.000000000000001"};
  for (int i = 0; i < 20000; ++i) {
    const int whole = 1 + static_cast<int>(random() % 9);
    const int fraction = static_cast<int>(random() % 10);
    texts.push_back(absl::StrCat(random() % 4 == 0 ? "-" : "", digits(whole),
                                 fraction > 0 ? "." : "", digits(fraction)));
  }
  for (const std::string& text : texts) {
    fhir::r4::Decimal decimal;
    decimal.set_value(text);
    double expected = 0;
    const bool parsed = !text.empty() && absl::SimpleAtod(text, &expected) &&
                        std::isfinite(expected);
    const std::optional<double> got = ToDouble(decimal);
    ASSERT_EQ(got.has_value(), parsed) << text;
    if (!parsed) continue;
    EXPECT_EQ(std::signbit(*got), std::signbit(expected)) << text;
    EXPECT_EQ(*got, expected) << text;
  }
}

// ToUtcDate is arithmetic; it must give the civil day absl's UTC zone gives, for every day of
// several centuries either side of 1970, at the first and last instant of the day.
TEST(ToUtcDate, IsTheCivilDayOfTheUtcZone) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (absl::CivilDay day(1599, 12, 20); day < absl::CivilDay(2401, 1, 10); day += 1) {
    for (const absl::Duration into :
         {absl::ZeroDuration(), absl::Hours(24) - absl::Nanoseconds(1)}) {
      const absl::Time t = absl::FromCivil(day, utc) + into;
      const std::optional<UtcDate> got = ToUtcDate(t);
      ASSERT_TRUE(got.has_value());
      ASSERT_EQ(got->year, day.year()) << day;
      ASSERT_EQ(got->month, day.month()) << day;
      ASSERT_EQ(got->day, day.day()) << day;
    }
  }
  for (const absl::CivilDay day : {absl::CivilDay(-4713, 11, 24), absl::CivilDay(0, 2, 29),
                                   absl::CivilDay(12026, 1, 2), absl::CivilDay(292277, 6, 1)}) {
    const std::optional<UtcDate> got = ToUtcDate(absl::FromCivil(day, utc));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->year, day.year());
    EXPECT_EQ(got->month, day.month());
    EXPECT_EQ(got->day, day.day());
  }
  EXPECT_FALSE(ToUtcDate(absl::InfiniteFuture()).has_value());
  EXPECT_FALSE(ToUtcDate(absl::InfinitePast()).has_value());
}

TEST(AgeInYears, CountsCompletedYearsOnUtcDates) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), utc);
  EXPECT_EQ(AgeInYears(absl::FromCivil(absl::CivilDay(1955, 11, 25), utc), now), 71);
  EXPECT_EQ(AgeInYears(absl::FromCivil(absl::CivilDay(1955, 11, 26), utc), now), 70);
  EXPECT_EQ(AgeInYears(absl::FromCivil(absl::CivilDay(2000, 2, 29), utc),
                       absl::FromCivil(absl::CivilDay(2001, 2, 28), utc)),
            0);
  EXPECT_EQ(AgeInYears(absl::FromCivil(absl::CivilDay(1965, 1, 1), utc) - absl::Seconds(1), now),
            61);
}

}  // namespace
}  // namespace thrombo::risk
