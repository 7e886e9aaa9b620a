// Copyright 2026 The Thrombo Authors.
#include "risk/fact_context.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace thrombo::risk {
namespace {

// DayText writes the common case by hand; it must be the date absl::FormatTime writes, for
// every day, at any time of day, and the formatter's own text outside four-digit years.
TEST(DayText, IsTheUtcCalendarDateAsFormatTimeWritesIt) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (absl::CivilDay day(1899, 12, 25); day < absl::CivilDay(2101, 1, 10); day += 1) {
    for (const absl::Duration into : {absl::ZeroDuration(), absl::Hours(23) + absl::Minutes(59)}) {
      const absl::Time t = absl::FromCivil(day, utc) + into;
      ASSERT_EQ(DayText(t), absl::FormatTime("%Y-%m-%d", t, utc));
    }
  }
  EXPECT_EQ(DayText(absl::FromCivil(absl::CivilDay(2026, 3, 9), utc) - absl::Nanoseconds(1)),
            "2026-03-08");
  for (const absl::Time t : {absl::InfiniteFuture(), absl::InfinitePast(),
                             absl::FromCivil(absl::CivilDay(999, 1, 2), utc),
                             absl::FromCivil(absl::CivilDay(12026, 1, 2), utc)}) {
    EXPECT_EQ(DayText(t), absl::FormatTime("%Y-%m-%d", t, utc));
  }
}

}  // namespace
}  // namespace thrombo::risk
