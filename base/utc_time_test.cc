// Copyright 2026 The Thrombo Authors.
#include "base/utc_time.h"

#include <cstdint>
#include <random>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace thrombo::base {
namespace {

TEST(CivilFromDays, EveryDayFrom1600To2400IsAbslsCivilDay) {
  const absl::CivilDay first(1600, 1, 1);
  const absl::CivilDay last(2400, 12, 31);
  for (absl::CivilDay day = first; day <= last; ++day) {
    const CivilDate date = CivilFromDays(day - absl::CivilDay(1970, 1, 1));
    ASSERT_EQ(date.year, day.year()) << day;
    ASSERT_EQ(date.month, day.month()) << day;
    ASSERT_EQ(date.day, day.day()) << day;
  }
}

TEST(FormatUtc, IsAbslsTextForMillisAndMicros) {
  std::mt19937_64 random(20261202);
  // Times from 0001 to 9999, whole seconds and odd fractions (to the nanosecond: truncated).
  std::uniform_int_distribution<int64_t> seconds(-62135596800, 253402300799);
  std::uniform_int_distribution<int64_t> nanos(0, 999'999'999);
  for (int i = 0; i < 200'000; ++i) {
    const absl::Time t = absl::FromUnixSeconds(seconds(random)) +
                         (i % 4 == 0 ? absl::ZeroDuration() : absl::Nanoseconds(nanos(random)));
    ASSERT_EQ(FormatUtc(t, 3), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone()));
    ASSERT_EQ(FormatUtc(t, 6), absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone()));
    ASSERT_EQ(FormatUtc(t, 0), absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone()));
  }
}

TEST(FormatUtc, EdgesOfDaysYearsAndTheEpoch) {
  for (const absl::Time t :
       {absl::UnixEpoch(), absl::UnixEpoch() - absl::Nanoseconds(1),
        absl::FromCivil(absl::CivilSecond(2024, 2, 29, 23, 59, 59), absl::UTCTimeZone()) +
            absl::Microseconds(999'999),
        absl::FromCivil(absl::CivilSecond(2000, 3, 1, 0, 0, 0), absl::UTCTimeZone()),
        absl::FromCivil(absl::CivilSecond(1969, 12, 31, 23, 59, 59), absl::UTCTimeZone())}) {
    EXPECT_EQ(FormatUtc(t, 3), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone()));
  }
  EXPECT_EQ(FormatUtc(absl::FromUnixMillis(1764685205123), 3), "2025-12-02T14:20:05.123Z");
}

TEST(FormatUtc, InfiniteAndFarTimesAreAbsls) {
  for (const absl::Time t :
       {absl::InfiniteFuture(), absl::InfinitePast(),
        absl::FromCivil(absl::CivilSecond(12026, 1, 1, 0, 0, 0), absl::UTCTimeZone())}) {
    EXPECT_EQ(FormatUtc(t, 3), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone()));
  }
}

}  // namespace
}  // namespace thrombo::base
