// Copyright 2026 The Thrombo Authors.
// Reads a CDS Hooks 2.0 request body (JSON) into an EvaluateHookRequest in one pass, handing each
// embedded FHIR resource (prefetch values, context.draftOrders) to the FHIR parser.
#ifndef THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_
#define THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fhir/json_sax_handler.h"
#include "fhir/projection_reader.h"
#include "proto/thrombo/v1/service.pb.h"

namespace thrombo::service {

// A departure from CDS Hooks 2.0 or FHIR R4 that the tolerant hook path accepted. Carries where
// and what kind, never a value from the request.
struct HookDeviation {
  // The metrics label: a fhir::DeviationKindName ("object_for_array", "missing_required",
  // "dropped_element", ...); "byte_order_mark", "pre_1_0_user", "misplaced_user_id" (set here);
  // "unrequested_prefetch_key", "missing_hook_instance" (set by HookService).
  std::string kind;
  std::string path;           // e.g. "context.draftOrders.entry[0].resource.intent", "user"
  std::string resource_type;  // for FHIR deviations: the resource holding it
  std::string element;        // for FHIR deviations: that resource's element (JSON name)
};

// Parses `body`. Returns InvalidArgument, naming the JSON line/column for malformed JSON or the
// path (e.g. "context.patientId", "prefetch.conditions.entry[2].resource.code") for a value of
// the wrong shape, and for pre-1.0 requests (a top-level "user"). Unknown top-level and context
// members are ignored, as CDS Hooks allows extension. Does not check which fields a hook
// requires; see ValidateHookRequest. Thread-safe.
//
// With options.tolerant (the HTTP hook path), what real clients send is read instead of refused,
// and each departure is appended to `deviations` (when not null): the FHIR parser's tolerant
// mode for prefetch values and draftOrders (fhir/json_sax_handler.h); a UTF-8 byte-order mark
// before the JSON; the pre-1.0 top-level "user" (the current user as "Type/id") or a top-level
// "userId", used as context.userId when that is absent; one string for context.selections; a
// prefetch value that is not a resource or null, left out (the key then counts as not sent).
// Errors remain for what cannot be understood at all: not JSON, not an object, a duplicate
// member, a context, prefetch or fhirAuthorization member of the wrong JSON type, and hook,
// hookInstance or fhirServer given as an object or array.
absl::StatusOr<v1::EvaluateHookRequest> ParseHookRequestJson(
    std::string_view body, const fhir::ParseOptions& options = {},
    std::vector<HookDeviation>* deviations = nullptr);

// The same into `*request` (cleared first), which may live on a google::protobuf::Arena: its
// messages are then allocated there too. On error `*request` holds a partial parse.
absl::Status ParseHookRequestJson(std::string_view body, const fhir::ParseOptions& options,
                                  v1::EvaluateHookRequest* request,
                                  std::vector<HookDeviation>* deviations = nullptr);

// ParseHookRequestJson for the hook route: the envelope is read in full, the prefetch values and
// context.draftOrders through fhir::Projection::Decision() (fhir/projection_reader.h), i.e.
// only the elements the decision reads, type-checked and reported as deviations exactly as the
// full reader does; the others are skipped unjudged (counted in stats->unread_members). Every
// failure (invalid JSON, a limit, a refused element) is answered by ParseHookRequestJson on the
// same bytes, so errors are today's exactly. `deviations` and `stats` may be null.
// `readable_bytes` is how many bytes may be read from body.data() on (a std::string's
// capacity()); with room for the index's padding past the body, it reads the body in place
// instead of a padded copy. With `lab_observations` (cleared first), the Observation entries of
// prefetch Bundles may be read into it as views, each leaving a stub in the request
// (fhir/lab_observation.h): pass the same table to HookService::Evaluate. The views may point
// into `body`, which must outlive their use.
absl::Status ParseHookRequestJsonProjected(
    std::string_view body, const fhir::ParseOptions& options, v1::EvaluateHookRequest* request,
    std::vector<HookDeviation>* deviations = nullptr, fhir::ProjectionStats* stats = nullptr,
    size_t readable_bytes = 0, fhir::LabObservationTable* lab_observations = nullptr);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_
