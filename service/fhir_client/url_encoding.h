// Copyright 2026 The Thrombo Authors.
// Percent-encoding for relative FHIR REST queries ("Observation?code=http://loinc.org|777-3").
#ifndef THROMBO_SERVICE_FHIR_CLIENT_URL_ENCODING_H_
#define THROMBO_SERVICE_FHIR_CLIENT_URL_ENCODING_H_

#include <string>
#include <string_view>

namespace thrombo::service {

// Encodes every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX
// (uppercase hex). For a value substituted into one path segment: '/', '?', '&', '=', ',', '|'
// and '%' all lose their meaning. Pure; thread-safe.
std::string PercentEncodeComponent(std::string_view text);

// Like PercentEncodeComponent but keeps '/' and ':' literal, for a value substituted into a
// query parameter (a reference "Patient/123" or a system URL stays readable and means the
// same). ',' (FHIR's OR), '|' (token system separator), '&', '=', '+', '#' and '%' are encoded.
std::string PercentEncodeQueryValue(std::string_view text);

// Makes a relative FHIR query safe to send without changing its structure: the path, '?', the
// '&' between parameters and the first '=' of each stay as they are; inside path segments,
// names and values, bytes that are not allowed there are encoded. In particular '|' becomes
// %7C, ' ' %20, '+' %2B (a literal plus, as in a time zone; servers may read a raw '+' as a
// space) and '#' %23. Literal ',', ':', '/', '$' and '@' are kept, since FHIR search gives them
// meaning. An existing escape "%XX" (two hex digits) is kept, so the function is idempotent
// and never double-encodes a value ResolvePrefetchTemplate already encoded; a '%' not starting
// an escape becomes %25. Pure; thread-safe.
std::string EncodeRelativeQuery(std::string_view query);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_FHIR_CLIENT_URL_ENCODING_H_
