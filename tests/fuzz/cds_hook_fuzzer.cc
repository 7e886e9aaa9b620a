// Copyright 2026 The Thrombo Authors.
// Fuzz target: a CDS Hooks request body end to end without the network: the envelope and
// prefetch readers (service/cds/hook_request_json.h: the strict full reader, and the hook
// route's tolerant projection reader), then HookService::Evaluate with the default
// engine, no FHIR fetcher (fetch-on-miss off) and a fixed clock. The service id is derived from
// the hook ("thrombo-" + hook), as POST /cds-services/{id} would name it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json_index.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"
#include "tests/fuzz/fuzz_hook_service.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  thrombo::fhir::ParseOptions options;
  options.max_document_bytes = 1 << 20;
  {
    // The hook route's reader: tolerant, through the projection reader, with lab results read
    // as views (fhir/lab_observation.h) that Evaluate must find.
    thrombo::fhir::ParseOptions tolerant = options;
    tolerant.tolerant = true;
    thrombo::v1::EvaluateHookRequest projected;
    std::vector<thrombo::service::HookDeviation> deviations;
    thrombo::fhir::LabObservationTable views;
    // Read in place, as the server reads a body with room for the index's padding: the views
    // point into this copy of the input, which Evaluate reads after the parse.
    std::string in_place(body);
    in_place.reserve(body.size() + thrombo::base::JsonIndex::kPadding);
    if (thrombo::service::ParseHookRequestJsonProjected(in_place, tolerant, &projected,
                                                        &deviations, nullptr,
                                                        in_place.capacity(), &views)
            .ok()) {
      projected.set_service_id("thrombo-" + projected.hook());
      (void)thrombo::fuzz::FuzzHookService().Evaluate(projected, std::move(deviations), &views);
    }
  }
  auto request = thrombo::service::ParseHookRequestJson(body, options);
  if (!request.ok()) return 0;
  request->set_service_id("thrombo-" + request->hook());
  (void)thrombo::fuzz::FuzzHookService().Evaluate(*request);
  return 0;
}
