// Copyright 2026 The Thrombo Authors.
// Fuzz target: a CDS Hooks request body end to end without the network: the envelope and
// prefetch reader (service/cds/hook_request_json.h), then HookService::Evaluate with the default
// engine, no FHIR fetcher (fetch-on-miss off) and a fixed clock. The service id is derived from
// the hook ("thrombo-" + hook), as POST /cds-services/{id} would name it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/time/time.h"
#include "risk/engine.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"

namespace {

const thrombo::service::HookService& Service() {
  static const auto* service = new thrombo::service::HookService(
      thrombo::risk::Engine::Default(), /*fetcher=*/nullptr,
      [] { return absl::FromUnixSeconds(1'767'225'600); },  // 2026-01-01T00:00:00Z
      thrombo::service::HookServiceOptions{});
  return *service;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  thrombo::fhir::ParseOptions options;
  options.max_document_bytes = 1 << 20;
  auto request = thrombo::service::ParseHookRequestJson(body, options);
  if (!request.ok()) return 0;
  request->set_service_id("thrombo-" + request->hook());
  (void)Service().Evaluate(*request);
  return 0;
}
