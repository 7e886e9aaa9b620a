// Copyright 2026 The Thrombo Authors.
// Tests of FHIR primitive validation and date/time conversion.
#include "fhir/primitives.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
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

// Every byte value against the rule [A-Za-z0-9\-\.] (as the table's former code said it, through
// absl's ASCII class), alone and inside an otherwise good id.
TEST(PrimitivesTest, IdEveryByte) {
  for (int byte = 0; byte < 256; ++byte) {
    const bool allowed = absl::ascii_isalnum(static_cast<unsigned char>(byte)) || byte == '-' ||
                         byte == '.';
    const std::string alone(1, static_cast<char>(byte));
    EXPECT_EQ(IsValidId(alone), allowed) << "byte " << byte;
    EXPECT_EQ(IsValidId(absl::StrCat("ab", alone, "cd")), allowed) << "byte " << byte;
  }
  EXPECT_FALSE(IsValidId(""));
  EXPECT_TRUE(IsValidId(std::string(64, '9')));
  EXPECT_FALSE(IsValidId(std::string(65, '9')));
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

// DateTimeMicros / InstantMicros (the lab views' reading) accept exactly what ParseDateTime /
// ParseInstant accept, with the same moment.
TEST(PrimitivesTest, MicrosAgreeWithTheProtoParsers) {
  for (const char* text :
       {"2015-02-07T13:28:17.239+02:00", "2015-02-07T13:28:17.1234Z", "2017", "2017-03",
        "2017-03-04", "1969-12-31T23:00:00-14:00", "2024-02-29T23:59:60+14:00",
        "2024-02-29T23:59:59.123456789-14:00", "2020-01-01T00:00:00Z", "2015-02-07T13:28:17",
        "2015-02-07T13:28Z", "2015-02T10:00:00Z", "2015-02-07T24:00:00Z",
        "2015-02-07T13:28:17+15:00", "2015-02-07T13:28:17.Z", "2015-02-07 13:28:17Z",
        "2023-02-29", "", "0000-01-01"}) {
    r4::DateTime date_time;
    const bool date_time_ok = ParseDateTime(text, &date_time).ok();
    const std::optional<int64_t> date_time_us = DateTimeMicros(text);
    EXPECT_EQ(date_time_us.has_value(), date_time_ok) << text;
    if (date_time_ok && date_time_us.has_value()) {
      EXPECT_EQ(*date_time_us, date_time.value_us()) << text;
    }
    r4::Instant instant;
    const bool instant_ok = ParseInstant(text, &instant).ok();
    const std::optional<int64_t> instant_us = InstantMicros(text);
    EXPECT_EQ(instant_us.has_value(), instant_ok) << text;
    if (instant_ok && instant_us.has_value()) EXPECT_EQ(*instant_us, instant.value_us()) << text;
  }
  EXPECT_EQ(DateTimeMicros("2015-02-07T13:28:17.239+02:00"), int64_t{1423308497239000});
  EXPECT_EQ(InstantMicros("2017-03-04"), std::nullopt);  // an instant needs a time and a zone
}

// Values worked out by hand (seconds since 1970 from a calendar), through the fixed-shape path.
TEST(PrimitivesTest, FixedShapeDates) {
  r4::DateTime dt;
  ASSERT_OK(ParseDateTime("2024-02-29T23:59:60+14:00", &dt));  // a leap second is accepted
  EXPECT_EQ(dt.value_us(), int64_t{1709200800} * 1000000);
  EXPECT_EQ(dt.precision(), r4::SECOND);
  EXPECT_EQ(dt.timezone(), "+14:00");
  ASSERT_OK(ParseDateTime("2026-11-25T12:00:00.1-05:30", &dt));
  EXPECT_EQ(dt.value_us(), int64_t{1795627800100000});
  EXPECT_EQ(dt.precision(), r4::MILLISECOND);
  EXPECT_EQ(dt.timezone(), "-05:30");
  r4::Instant instant;
  ASSERT_OK(ParseInstant("2024-02-29T23:59:59.123456789-14:00", &instant));
  EXPECT_EQ(instant.value_us(), int64_t{1709301599123456});
  EXPECT_EQ(instant.precision(), r4::MICROSECOND);
  EXPECT_EQ(instant.timezone(), "-14:00");
  r4::Date date;
  ASSERT_OK(ParseDate("0001-01-01", &date));
  EXPECT_EQ(date.value_us(), int64_t{-62135596800} * 1000000);
  ASSERT_OK(ParseDate("9999-12-31", &date));
  EXPECT_EQ(date.value_us(), int64_t{253402214400} * 1000000);
  EXPECT_EQ(date.precision(), r4::DAY);
  for (const char* bad :
       {"2023-02-29T10:00:00Z", "0000-01-01T10:00:00Z", "2024-02-29T24:00:00Z",
        "2024-02-29T10:60:00Z", "2024-02-29T10:00:61Z", "2024-02-29T10:00:00+14:30",
        "2024-02-29T10:00:00+15:00", "2024-02-29T10:00:00", "2024-02-29T10:00:00z",
        "2024-02-29T10:00:00Zx", "2024-02-29T10:00:00.Z", "2024-02-29T10:00:00+01:00 "}) {
    EXPECT_FALSE(ParseDateTime(bad, &dt).ok()) << bad;
  }
}

// The fixed-shape fast path must give exactly what the general grammar gives: compare the two
// on every combination of good and bad parts, and on every prefix of a long valid text.
TEST(PrimitivesTest, FastPathMatchesGeneralGrammar) {
  std::vector<std::string> texts;
  const std::string full = "2024-02-29T23:59:60.123456789+14:00";
  for (size_t n = 0; n <= full.size(); ++n) texts.push_back(full.substr(0, n));
  const char* const dates[] = {"2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29",
                               "0000-01-01", "0001-01-01", "9999-12-31", "2020-00-10",
                               "2020-13-01", "2020-01-00", "2020-01-32", "2020-04-31",
                               "2020-1a-01", "20x0-01-01", "2020/01/01", "2020-01-1"};
  const char* const times[] = {"",          "T00:00:00", "T23:59:59", "T23:59:60",
                               "T24:00:00", "T12:60:00", "T12:00:61", "t12:00:00",
                               "T12:00",    "T1:00:00",  "T12-00-00", " 12:00:00"};
  const char* const fractions[] = {"",          ".",         ".1",       ".12",     ".123",
                                   ".1234",     ".12345",    ".123456",  ".1234567", ".12345678",
                                   ".123456789", ".12a",     "..1"};
  const char* const zones[] = {"",       "Z",      "z",      "+00:00", "-00:00",    "+14:00",
                               "-14:00", "+14:30", "+15:00", "+13:59", "-05:30",    "+12:60",
                               "+1:00",  "+01:0",  "+0100",  "ZZ",     "+01:00:00", "+01:00Z"};
  const char* const tails[] = {"", " ", "x", "0"};
  for (const char* d : dates) {
    for (const char* t : times) {
      for (const char* f : fractions) {
        for (const char* z : zones) {
          for (const char* tail : tails) texts.push_back(absl::StrCat(d, t, f, z, tail));
        }
      }
    }
  }
  int accepted = 0;
  for (const std::string& text : texts) {
    for (internal::TemporalForm form :
         {internal::TemporalForm::kDate, internal::TemporalForm::kDateTime,
          internal::TemporalForm::kInstant}) {
      const internal::ParsedTemporalForTest fast =
          internal::ParseTemporalForTest(text, form, /*fast_path=*/true);
      const internal::ParsedTemporalForTest general =
          internal::ParseTemporalForTest(text, form, /*fast_path=*/false);
      const int form_number = static_cast<int>(form);
      ASSERT_EQ(fast.ok, general.ok) << text << " as form " << form_number;
      if (!fast.ok) continue;
      ++accepted;
      EXPECT_EQ(fast.value_us, general.value_us) << text << " as form " << form_number;
      EXPECT_EQ(fast.precision, general.precision) << text << " as form " << form_number;
      EXPECT_EQ(fast.timezone, general.timezone) << text << " as form " << form_number;
    }
  }
  // Not a vacuous comparison: many texts are valid.
  EXPECT_GT(accepted, 1000);
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
