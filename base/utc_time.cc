// Copyright 2026 The Thrombo Authors.
#include "base/utc_time.h"

namespace thrombo::base {

CivilDate CivilFromDays(int64_t days) {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days: 400-year eras
  // of 146097 days, years starting in March so that the leap day ends a year.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                     // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                    // [0, 11]
  CivilDate date;
  date.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

namespace {

// Writes `value` as exactly `width` decimal digits ending just before `end`.
void PutDigits(int64_t value, int width, char* end) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string FormatUtc(absl::Time time, int fraction_digits) {
  const int digits = fraction_digits == 3 || fraction_digits == 6 ? fraction_digits : 0;
  constexpr int64_t kSecondsPerDay = 86400;
  // ToUnixSeconds rounds toward negative infinity, so the remainder is in [0, 1 s).
  const int64_t seconds = absl::ToUnixSeconds(time);
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  if (time == absl::InfiniteFuture() || time == absl::InfinitePast() || date.year < 1000 ||
      date.year > 9999) {
    return absl::FormatTime(digits == 3   ? "%Y-%m-%dT%H:%M:%E3SZ"
                            : digits == 6 ? "%Y-%m-%dT%H:%M:%E6SZ"
                                          : "%Y-%m-%dT%H:%M:%SZ",
                            time, absl::UTCTimeZone());
  }
  // "YYYY-MM-DDTHH:MM:SS" + ".fff" or ".ffffff" + "Z"
  std::string out(20 + (digits > 0 ? digits + 1 : 0), '\0');
  char* p = out.data();
  PutDigits(date.year, 4, p + 4);
  p[4] = '-';
  PutDigits(date.month, 2, p + 7);
  p[7] = '-';
  PutDigits(date.day, 2, p + 10);
  p[10] = 'T';
  PutDigits(second_of_day / 3600, 2, p + 13);
  p[13] = ':';
  PutDigits(second_of_day / 60 % 60, 2, p + 16);
  p[16] = ':';
  PutDigits(second_of_day % 60, 2, p + 19);
  if (digits > 0) {
    p[19] = '.';
    const int64_t micros =
        absl::ToInt64Microseconds(time - absl::FromUnixSeconds(seconds));  // [0, 999999]
    PutDigits(digits == 3 ? micros / 1000 : micros, digits, p + 20 + digits);
  }
  out.back() = 'Z';
  return out;
}

}  // namespace thrombo::base
