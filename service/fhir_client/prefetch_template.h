// Copyright 2026 The Thrombo Authors.
// CDS Hooks prefetch template substitution: "Patient/{{context.patientId}}" -> "Patient/123".
#ifndef THROMBO_SERVICE_FHIR_CLIENT_PREFETCH_TEMPLATE_H_
#define THROMBO_SERVICE_FHIR_CLIENT_PREFETCH_TEMPLATE_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace thrombo::service {

// Replaces every "{{token}}" in a prefetch template (CDS Hooks 2.0.1 "Prefetch") and returns a relative
// FHIR query ready for FhirFetcher. Tokens (ASCII spaces inside the braces are ignored):
//   {{context.<field>}}      context[<field>]; <field> is one root-level name, no dots
//                            ({{context.draftOrders.x}} is an error). The hook handler passes
//                            only primitive, "Prefetch Token: Yes" fields in `context`.
//   {{context.userId}}       `user_id`, or context["userId"] when `user_id` is empty.
//   {{userPractitionerId}}, {{userPractitionerRoleId}}, {{userPatientId}},
//   {{userRelatedPersonId}}  the id part of the user reference when its type matches
//                            ("Practitioner/abc" gives userPractitionerId "abc").
// Values are percent-encoded for where they land: before the template's '?', as one path
// segment (PercentEncodeComponent; a "Type/id" user reference keeps its '/'); after it, as a
// query value (PercentEncodeQueryValue: ',' '|' '&' '=' '+' '#' '%' are encoded). Text outside
// tokens is copied unchanged (the fetcher normalizes it with EncodeRelativeQuery).
//
// Errors: InvalidArgument for an unterminated "{{", an unknown token, or a nested context
// token; FailedPrecondition for a known token this request cannot fill (a context field that
// is missing or empty, or a user token whose type does not match the user). Each message names
// the token, e.g. "prefetch token {{context.encounterId}}: ...". Pure; thread-safe.
absl::StatusOr<std::string> ResolvePrefetchTemplate(
    std::string_view prefetch_template, const std::map<std::string, std::string>& context,
    std::string_view user_id);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_FHIR_CLIENT_PREFETCH_TEMPLATE_H_
