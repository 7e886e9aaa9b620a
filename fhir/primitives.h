// Copyright 2026 The Thrombo Authors.
// FHIR R4 primitive types: validation of their JSON text and conversion of date, dateTime and
// instant to and from the Date/DateTime/Instant protos. Shared by the JSON parser and printer.
#ifndef THROMBO_FHIR_PRIMITIVES_H_
#define THROMBO_FHIR_PRIMITIVES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/fhir/r4/datatypes.pb.h"

namespace thrombo::fhir {

// All functions here are pure and thread-safe. Errors are InvalidArgument with a message that
// names the bad value but no FHIR path: the caller appends the path.

// decimal: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsValidDecimal(std::string_view text);
// code: [^\s]+(\s[^\s]+)*  (no leading, trailing or doubled whitespace).
bool IsValidCode(std::string_view text);
// id: [A-Za-z0-9\-\.]{1,64}
bool IsValidId(std::string_view text);
// time: ([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?
bool IsValidTime(std::string_view text);

// FHIR integer text (-?(0|[1-9][0-9]*)) within [min, max]; rejects fractions and exponents.
absl::StatusOr<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// date: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date. value_us is the start of the period
// in UTC.
absl::Status ParseDate(std::string_view text, r4::Date* out);
// dateTime: a date, or a date with hh:mm:ss[.fff] and a mandatory zone (Z or +hh:mm / -hh:mm).
absl::Status ParseDateTime(std::string_view text, r4::DateTime* out);
// instant: a dateTime with at least seconds and a zone.
absl::Status ParseInstant(std::string_view text, r4::Instant* out);

// The value_us that ParseDateTime / ParseInstant would set, or nullopt where they would fail:
// for a reader that keeps only the moment (a lab result's view), without making the proto and
// its timezone string.
std::optional<int64_t> DateTimeMicros(std::string_view text);
std::optional<int64_t> InstantMicros(std::string_view text);

// The FHIR text of a value, from value_us, precision and timezone. Fractions print with 3
// (MILLISECOND) or 6 (MICROSECOND) digits. An empty timezone on a time prints as "Z". Errors on
// a missing or impossible precision, a bad timezone, or a year outside 0001-9999.
absl::StatusOr<std::string> FormatDate(const r4::Date& date);
absl::StatusOr<std::string> FormatDateTime(const r4::DateTime& date_time);
absl::StatusOr<std::string> FormatInstant(const r4::Instant& instant);

namespace internal {

// The three date types, which share one grammar.
enum class TemporalForm { kDate, kDateTime, kInstant };

struct ParsedTemporalForTest {
  bool ok = false;
  int64_t value_us = 0;
  r4::DatePrecision precision = r4::DATE_PRECISION_UNSPECIFIED;
  std::string timezone;
};

// Test-only: how ParseDate/ParseDateTime/ParseInstant read `text`, with their fixed-shape fast
// path on or off (before the instant's precision check), so that a test can check both paths
// agree on any input. Production code calls the functions above.
ParsedTemporalForTest ParseTemporalForTest(std::string_view text, TemporalForm form,
                                           bool fast_path);

}  // namespace internal
}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_PRIMITIVES_H_
