// Copyright 2026 The Thrombo Authors.
// Tests of FHIR primitive validation and date/time conversion.
#include "fhir/primitives.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

TEST(PrimitivesTest, Decimal) {
  for (const char* good : {"0", "-0", "1.50", "12", "1e5", "1E-7", "-3.25e+2"}) {
    EXPECT_TRUE(IsValidDecimal(good)) << good;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "1.5.2", "NaN", "1 "}) {
    EXPECT_FALSE(IsValidDecimal(bad)) << bad;
  }
}

TEST(PrimitivesTest, CodeIdTime) {
  EXPECT_TRUE(IsValidCode("a b"));
  EXPECT_FALSE(IsValidCode(" a"));
  EXPECT_FALSE(IsValidCode("a "));
  EXPECT_FALSE(IsValidCode("a  b"));
  EXPECT_FALSE(IsValidCode(""));
  EXPECT_TRUE(IsValidId("abc-1.2"));
  EXPECT_FALSE(IsValidId("a_b"));
  EXPECT_FALSE(IsValidId(std::string(65, 'a')));
  EXPECT_TRUE(IsValidTime("23:59:60.123"));
  EXPECT_FALSE(IsValidTime("24:00:00"));
  EXPECT_FALSE(IsValidTime("10:00"));
  EXPECT_FALSE(IsValidTime("10:00:00."));
}

TEST(PrimitivesTest, Integer) {
  EXPECT_THAT(ParseInteger("-12", -100, 100), IsOkAndHolds(-12));
  EXPECT_THAT(ParseInteger("0", 0, 1), IsOkAndHolds(0));
  EXPECT_THAT(ParseInteger("1.0", 0, 5), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseInteger("1e2", 0, 500), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseInteger("007", 0, 500), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseInteger("99999999999999999999999", 0, 5),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PrimitivesTest, Dates) {
  r4::Date date;
  ASSERT_OK(ParseDate("2024-02-29", &date));
  EXPECT_EQ(date.precision(), r4::DAY);
  EXPECT_EQ(date.value_us(), int64_t{1709164800} * 1000000);
  EXPECT_THAT(FormatDate(date), IsOkAndHolds("2024-02-29"));
  ASSERT_OK(ParseDate("1905-08", &date));
  EXPECT_THAT(FormatDate(date), IsOkAndHolds("1905-08"));
  for (const char* bad : {"2023-02-29", "0000", "2020-13", "2020-1-01", "2020-01-01T10:00:00Z",
                          "20200", "1900-02-29", ""}) {
    EXPECT_FALSE(ParseDate(bad, &date).ok()) << bad;
  }
}

TEST(PrimitivesTest, DateTimes) {
  r4::DateTime dt;
  ASSERT_OK(ParseDateTime("2015-02-07T13:28:17.239+02:00", &dt));
  EXPECT_EQ(dt.precision(), r4::MILLISECOND);
  EXPECT_EQ(dt.timezone(), "+02:00");
  EXPECT_EQ(dt.value_us(), int64_t{1423308497239000});
  EXPECT_THAT(FormatDateTime(dt), IsOkAndHolds("2015-02-07T13:28:17.239+02:00"));
  ASSERT_OK(ParseDateTime("2015-02-07T13:28:17.1234Z", &dt));
  EXPECT_EQ(dt.precision(), r4::MICROSECOND);
  EXPECT_THAT(FormatDateTime(dt), IsOkAndHolds("2015-02-07T13:28:17.123400Z"));
  ASSERT_OK(ParseDateTime("2017", &dt));
  EXPECT_THAT(FormatDateTime(dt), IsOkAndHolds("2017"));
  ASSERT_OK(ParseDateTime("1969-12-31T23:00:00-14:00", &dt));
  EXPECT_THAT(FormatDateTime(dt), IsOkAndHolds("1969-12-31T23:00:00-14:00"));
  for (const char* bad : {"2015-02-07T13:28:17", "2015-02-07T13:28Z", "2015-02T10:00:00Z",
                          "2015-02-07T24:00:00Z", "2015-02-07T13:28:17+15:00",
                          "2015-02-07T13:28:17.Z", "2015-02-07 13:28:17Z"}) {
    EXPECT_FALSE(ParseDateTime(bad, &dt).ok()) << bad;
  }
}

TEST(PrimitivesTest, Instants) {
  r4::Instant instant;
  ASSERT_OK(ParseInstant("2020-01-01T00:00:00Z", &instant));
  EXPECT_EQ(instant.precision(), r4::SECOND);
  EXPECT_THAT(FormatInstant(instant), IsOkAndHolds("2020-01-01T00:00:00Z"));
  EXPECT_FALSE(ParseInstant("2020-01-01", &instant).ok());
  EXPECT_FALSE(ParseInstant("2020-01-01T00:00:00", &instant).ok());
}

TEST(PrimitivesTest, FormatRejectsImpossibleValues) {
  r4::DateTime dt;
  EXPECT_THAT(FormatDateTime(dt), StatusIs(absl::StatusCode::kInvalidArgument));
  dt.set_precision(r4::SECOND);
  dt.set_timezone("bogus");
  EXPECT_THAT(FormatDateTime(dt), StatusIs(absl::StatusCode::kInvalidArgument));
  r4::Date date;
  date.set_precision(r4::SECOND);
  EXPECT_THAT(FormatDate(date), StatusIs(absl::StatusCode::kInvalidArgument));
  dt.set_timezone("");
  EXPECT_THAT(FormatDateTime(dt), IsOkAndHolds("1970-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace thrombo::fhir
