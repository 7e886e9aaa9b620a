// Copyright 2026 The Thrombo Authors.
// FHIR primitive validation and date/time conversion, hand-written rather than std::regex
// because the parser calls these for every value and std::regex is slow and allocates.
#include "fhir/primitives.h"

#include <array>
#include <cstdio>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/string_compat.h"

namespace thrombo::fhir {
namespace {

using r4::DatePrecision;

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kSecondsPerDay = 86400;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The bytes an id may hold, [A-Za-z0-9\-\.], as one lookup a byte: the parser checks the id of
// every resource, and ascii_isalnum plus two compares took more.
constexpr std::array<bool, 256> kIdBytes = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
  }
  return table;
}();

// Reads exactly `n` digits at text[*pos] into *value.
bool ReadDigits(std::string_view text, size_t* pos, int n, int* value) {
  if (*pos + n > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic: 400-year cycles).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Inverse of DaysFromCivil.
void CivilFromDays(int64_t days, int* y, int* m, int* d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  *d = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(year_of_era + era * 400 + (*m <= 2 ? 1 : 0));
}

struct ParsedTime {
  int64_t value_us = 0;
  DatePrecision precision = r4::DATE_PRECISION_UNSPECIFIED;
  std::string_view timezone;
};

using Form = internal::TemporalForm;

// Parses "[+-]hh:mm" or "Z" at text[pos..] to the end; sets *offset_seconds.
bool ParseZone(std::string_view text, size_t pos, int* offset_seconds) {
  if (pos + 1 == text.size() && text[pos] == 'Z') {
    *offset_seconds = 0;
    return true;
  }
  if (pos + 6 != text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  int hh = 0;
  int mm = 0;
  if (!ReadDigits(text, &pos, 2, &hh) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &mm)) {
    return false;
  }
  if (mm > 59 || hh > 14 || (hh == 14 && mm != 0)) return false;
  *offset_seconds = sign * (hh * 3600 + mm * 60);
  return true;
}

// Parses "Thh:mm:ss[.f+]zone" at text[pos..]; adds the local time of day to *out.
bool ParseTimeOfDay(std::string_view text, size_t pos, ParsedTime* out) {
  int hh = 0;
  int mi = 0;
  int ss = 0;
  if (!Expect(text, &pos, 'T') || !ReadDigits(text, &pos, 2, &hh) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &mi) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &ss) || hh > 23 || mi > 59 || ss > 60) {
    return false;
  }
  int64_t micros = 0;
  out->precision = r4::SECOND;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    int64_t scale = kMicrosPerSecond;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (digits < 6) {
        scale /= 10;
        micros += (text[pos] - '0') * scale;
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    out->precision = digits <= 3 ? r4::MILLISECOND : r4::MICROSECOND;
  }
  int offset = 0;
  if (!ParseZone(text, pos, &offset)) return false;
  out->timezone = text.substr(pos);
  out->value_us += ((hh * 3600 + mi * 60 + ss) - offset) * kMicrosPerSecond + micros;
  return true;
}

// The shared grammar of date, dateTime and instant (FHIR R4 regexes plus a calendar check).
bool ParseTemporal(std::string_view text, Form form, ParsedTime* out) {
  size_t pos = 0;
  int year = 0;
  int month = 1;
  int day = 1;
  if (!ReadDigits(text, &pos, 4, &year) || year == 0) return false;
  out->precision = r4::YEAR;
  if (pos < text.size()) {
    if (!Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &month) || month < 1 ||
        month > 12) {
      return false;
    }
    out->precision = r4::MONTH;
  }
  if (pos < text.size()) {
    if (!Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &day) || day < 1 ||
        day > DaysInMonth(year, month)) {
      return false;
    }
    out->precision = r4::DAY;
  }
  out->value_us = DaysFromCivil(year, month, day) * kSecondsPerDay * kMicrosPerSecond;
  if (pos == text.size()) return form != Form::kInstant;
  if (form == Form::kDate || out->precision != r4::DAY) return false;
  return ParseTimeOfDay(text, pos, out);
}

// Two ASCII digits at p as a number, or -1. No bounds check: the caller checked the length.
int TwoDigits(const char* p) {
  const unsigned high = static_cast<unsigned char>(p[0]) - '0';
  const unsigned low = static_cast<unsigned char>(p[1]) - '0';
  return high <= 9 && low <= 9 ? static_cast<int>(high * 10 + low) : -1;
}

// Nearly every date clients send is YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.f+](Z|+hh:mm|-hh:mm);
// reading those at fixed offsets, without the general grammar's per-character bounds checks,
// takes about a quarter fewer instructions a date (callgrind, hook path). Returns true with *out
// set only for a valid text of those shapes; false (writing nothing) for anything else, valid or
// not, so that ParseTemporal decides: accepting exactly what it accepts keeps the two equal.
bool ParseFixedShape(std::string_view text, Form form, ParsedTime* out) {
  const char* p = text.data();
  const size_t n = text.size();
  if (n != 10 && n < 20) return false;
  const int century = TwoDigits(p);
  const int year_of_century = TwoDigits(p + 2);
  const int year = century * 100 + year_of_century;
  const int month = TwoDigits(p + 5);
  const int day = TwoDigits(p + 8);
  if (century < 0 || year_of_century < 0 || year == 0 || p[4] != '-' || p[7] != '-' ||
      month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  const int64_t day_us = DaysFromCivil(year, month, day) * kSecondsPerDay * kMicrosPerSecond;
  if (n == 10) {
    if (form == Form::kInstant) return false;
    out->value_us = day_us;
    out->precision = r4::DAY;
    return true;
  }
  const int hh = TwoDigits(p + 11);
  const int mi = TwoDigits(p + 14);
  const int ss = TwoDigits(p + 17);
  if (form == Form::kDate || p[10] != 'T' || p[13] != ':' || p[16] != ':' || hh < 0 || hh > 23 ||
      mi < 0 || mi > 59 || ss < 0 || ss > 60) {
    return false;
  }
  // The zone is the last character (Z) or the last six; only a fraction may stand before it.
  const bool utc = p[n - 1] == 'Z';
  const size_t zone = utc ? n - 1 : n - 6;
  if (zone < 19) return false;
  int offset = 0;
  if (!utc) {
    const int zh = TwoDigits(p + zone + 1);
    const int zm = TwoDigits(p + zone + 4);
    if ((p[zone] != '+' && p[zone] != '-') || p[zone + 3] != ':' || zh < 0 || zm < 0 ||
        zm > 59 || zh > 14 || (zh == 14 && zm != 0)) {
      return false;
    }
    offset = (p[zone] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
  }
  int64_t micros = 0;
  DatePrecision precision = r4::SECOND;
  if (zone > 19) {
    if (p[19] != '.' || zone == 20) return false;
    int64_t scale = kMicrosPerSecond;
    for (size_t i = 20; i < zone; ++i) {
      const unsigned digit = static_cast<unsigned char>(p[i]) - '0';
      if (digit > 9) return false;
      if (i < 26) micros += digit * (scale /= 10);  // digits past microseconds are dropped
    }
    precision = zone <= 23 ? r4::MILLISECOND : r4::MICROSECOND;
  }
  out->value_us = day_us + ((hh * 3600 + mi * 60 + ss) - offset) * kMicrosPerSecond + micros;
  out->precision = precision;
  out->timezone = text.substr(zone);
  return true;
}

// What Parse{Date,DateTime,Instant} parse with; fast_path is off only in the test comparing the
// two paths.
bool ParseText(std::string_view text, Form form, bool fast_path, ParsedTime* out) {
  return (fast_path && ParseFixedShape(text, form, out)) || ParseTemporal(text, form, out);
}

// An instant: the dateTime grammar, with at least seconds (and so a zone). ParseInstant and
// InstantMicros both judge through this.
bool ParseInstantText(std::string_view text, ParsedTime* out) {
  return ParseText(text, Form::kInstant, /*fast_path=*/true, out) && out->precision >= r4::SECOND;
}

absl::Status BadValue(std::string_view kind, std::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat("invalid ", base::Absl(kind), " \"", base::Absl(text), "\""));
}

// Formats value_us (UTC) shifted by the zone in `timezone` at the given precision.
absl::StatusOr<std::string> FormatTemporal(int64_t value_us, DatePrecision precision,
                                           std::string_view timezone) {
  int offset = 0;
  const bool has_time = precision >= r4::SECOND;
  if (has_time && !timezone.empty() && !ParseZone(timezone, 0, &offset)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid timezone \"", base::Absl(timezone), "\""));
  }
  if (precision == r4::DATE_PRECISION_UNSPECIFIED || precision > r4::MICROSECOND) {
    return absl::InvalidArgumentError("date has no precision");
  }
  const int64_t local_us = value_us + int64_t{offset} * kMicrosPerSecond;
  int64_t seconds = local_us / kMicrosPerSecond;
  int64_t micros = local_us % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --seconds;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  int y = 0;
  int m = 0;
  int d = 0;
  CivilFromDays(days, &y, &m, &d);
  if (y < 1 || y > 9999) return absl::InvalidArgumentError("date year out of range");
  char buffer[48];
  int n = 0;
  switch (precision) {
    case r4::YEAR: n = std::snprintf(buffer, sizeof(buffer), "%04d", y); break;
    case r4::MONTH: n = std::snprintf(buffer, sizeof(buffer), "%04d-%02d", y, m); break;
    case r4::DAY: n = std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", y, m, d); break;
    default:
      n = std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                        static_cast<int>(second_of_day / 3600),
                        static_cast<int>(second_of_day / 60 % 60),
                        static_cast<int>(second_of_day % 60));
      if (precision == r4::MILLISECOND) {
        n += std::snprintf(buffer + n, sizeof(buffer) - n, ".%03d",
                           static_cast<int>(micros / 1000));
      } else if (precision == r4::MICROSECOND) {
        n += std::snprintf(buffer + n, sizeof(buffer) - n, ".%06d", static_cast<int>(micros));
      }
  }
  std::string result(buffer, n);
  if (has_time) absl::StrAppend(&result, timezone.empty() ? "Z" : base::Absl(timezone));
  return result;
}

}  // namespace

bool IsValidDecimal(std::string_view text) {
  size_t pos = 0;
  const size_t n = text.size();
  if (pos < n && text[pos] == '-') ++pos;
  if (pos >= n) return false;
  if (text[pos] == '0') {
    ++pos;
  } else if (IsDigit(text[pos])) {
    while (pos < n && IsDigit(text[pos])) ++pos;
  } else {
    return false;
  }
  if (pos < n && text[pos] == '.') {
    const size_t start = ++pos;
    while (pos < n && IsDigit(text[pos])) ++pos;
    if (pos == start) return false;
  }
  if (pos < n && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < n && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const size_t start = pos;
    while (pos < n && IsDigit(text[pos])) ++pos;
    if (pos == start) return false;
  }
  return pos == n;
}

bool IsValidCode(std::string_view text) {
  if (text.empty()) return false;
  bool previous_space = true;  // a leading space is as bad as a doubled one
  for (char c : text) {
    const bool space = absl::ascii_isspace(static_cast<unsigned char>(c));
    if (space && previous_space) return false;
    previous_space = space;
  }
  return !previous_space;
}

bool IsValidId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  // No early exit: ids are nearly always valid, and without the branch a byte costs five
  // instructions rather than seven.
  bool valid = true;
  for (char c : text) valid &= kIdBytes[static_cast<unsigned char>(c)];
  return valid;
}

bool IsValidTime(std::string_view text) {
  size_t pos = 0;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!ReadDigits(text, &pos, 2, &hh) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &mm) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &ss) || hh > 23 || mm > 59 || ss > 60) {
    return false;
  }
  if (pos == text.size()) return true;
  if (!Expect(text, &pos, '.') || pos == text.size()) return false;
  for (; pos < text.size(); ++pos) {
    if (!IsDigit(text[pos])) return false;
  }
  return true;
}

absl::StatusOr<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  if (pos == text.size() || (text[pos] == '0' && pos + 1 != text.size())) {
    return BadValue("integer", text);
  }
  int64_t value = 0;
  const size_t first_digit = pos;
  for (; pos < text.size(); ++pos) {
    if (!IsDigit(text[pos])) return BadValue("integer", text);
    // Past 18 digits int64 could overflow; such values are out of every range we check.
    if (pos - first_digit < 18) value = value * 10 + (text[pos] - '0');
  }
  if (text.size() - first_digit >= 18) value = std::numeric_limits<int64_t>::max();
  if (negative) value = -value;
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("integer ", base::Absl(text), " is out of range [", min, ", ", max, "]"));
  }
  return value;
}

absl::Status ParseDate(std::string_view text, r4::Date* out) {
  ParsedTime parsed;
  if (!ParseText(text, Form::kDate, /*fast_path=*/true, &parsed)) return BadValue("date", text);
  out->set_value_us(parsed.value_us);
  out->set_precision(parsed.precision);
  return absl::OkStatus();
}

absl::Status ParseDateTime(std::string_view text, r4::DateTime* out) {
  ParsedTime parsed;
  if (!ParseText(text, Form::kDateTime, /*fast_path=*/true, &parsed)) {
    return BadValue("dateTime", text);
  }
  out->set_value_us(parsed.value_us);
  out->set_precision(parsed.precision);
  out->set_timezone(std::string(parsed.timezone));
  return absl::OkStatus();
}

absl::Status ParseInstant(std::string_view text, r4::Instant* out) {
  ParsedTime parsed;
  if (!ParseInstantText(text, &parsed)) return BadValue("instant", text);
  out->set_value_us(parsed.value_us);
  out->set_precision(parsed.precision);
  out->set_timezone(std::string(parsed.timezone));
  return absl::OkStatus();
}

std::optional<int64_t> DateTimeMicros(std::string_view text) {
  ParsedTime parsed;
  if (!ParseText(text, Form::kDateTime, /*fast_path=*/true, &parsed)) return std::nullopt;
  return parsed.value_us;
}

std::optional<int64_t> InstantMicros(std::string_view text) {
  ParsedTime parsed;
  if (!ParseInstantText(text, &parsed)) return std::nullopt;
  return parsed.value_us;
}

absl::StatusOr<std::string> FormatDate(const r4::Date& date) {
  if (date.precision() > r4::DAY) {
    return absl::InvalidArgumentError("a date cannot have a time precision");
  }
  return FormatTemporal(date.value_us(), date.precision(), "");
}

absl::StatusOr<std::string> FormatDateTime(const r4::DateTime& date_time) {
  return FormatTemporal(date_time.value_us(), date_time.precision(), date_time.timezone());
}

absl::StatusOr<std::string> FormatInstant(const r4::Instant& instant) {
  if (instant.precision() < r4::SECOND) {
    return absl::InvalidArgumentError("an instant needs at least seconds");
  }
  return FormatTemporal(instant.value_us(), instant.precision(), instant.timezone());
}

namespace internal {

ParsedTemporalForTest ParseTemporalForTest(std::string_view text, TemporalForm form,
                                           bool fast_path) {
  ParsedTime parsed;
  ParsedTemporalForTest result;
  result.ok = ParseText(text, form, fast_path, &parsed);
  if (result.ok) {
    result.value_us = parsed.value_us;
    result.precision = parsed.precision;
    result.timezone = std::string(parsed.timezone);
  }
  return result;
}

}  // namespace internal
}  // namespace thrombo::fhir
