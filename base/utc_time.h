// Copyright 2026 The Thrombo Authors.
// UTC calendar arithmetic and RFC 3339 timestamps without a time-zone lookup: absl's civil-time
// conversion and FormatTime go through the zone's transition tables and a format interpreter,
// which cost more than the log line or audit row they stamp.
#ifndef THROMBO_BASE_UTC_TIME_H_
#define THROMBO_BASE_UTC_TIME_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace thrombo::base {

// A proleptic Gregorian date.
struct CivilDate {
  int64_t year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31
};

// The date `days` days after 1970-01-01 (negative: before it).
CivilDate CivilFromDays(int64_t days);

// `time` in UTC as "YYYY-MM-DDTHH:MM:SSZ", with `fraction_digits` (3 or 6; anything else means
// none) digits of the second's fraction before the Z, truncated: the text
// absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()) gives (base/utc_time_test
// compares them). Infinite times and years outside 1000-9999 (which %Y writes with fewer or
// more digits) are formatted by absl itself.
std::string FormatUtc(absl::Time time, int fraction_digits);

}  // namespace thrombo::base

#endif  // THROMBO_BASE_UTC_TIME_H_
