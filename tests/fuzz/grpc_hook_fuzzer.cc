// Copyright 2026 The Thrombo Authors.
// Fuzz target: a gRPC EvaluateHook request's bytes as the service reads them
// (service/grpc/hook_request_wire.h: the prefetch searches' lab results as views into the bytes,
// the rest parsed), then HookService::Evaluate with the default engine, no FHIR fetcher and a
// fixed clock. When the bytes also parse whole, the whole parse is the oracle: both readings
// must give the same status and the same response.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fhir/lab_observation.h"
#include "google/protobuf/util/message_differencer.h"
#include "service/cds/cards.h"
#include "service/cds/hook_service.h"
#include "service/grpc/hook_request_wire.h"
#include "tests/fuzz/fuzz_hook_service.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  thrombo::v1::EvaluateHookRequest read;
  thrombo::fhir::LabObservationTable views;
  std::string scratch;
  if (!thrombo::service::ParseHookRequestWire(bytes, &read, &views, &scratch).ok()) return 0;
  const auto viewed = thrombo::fuzz::FuzzHookService().Evaluate(read, &views);
  thrombo::v1::EvaluateHookRequest whole;
  if (!whole.ParseFromString(bytes)) return 0;  // refused for an element the views pass over
  const auto parsed = thrombo::fuzz::FuzzHookService().Evaluate(whole);
  if (viewed.status() != parsed.status()) std::abort();
  if (viewed.ok() &&
      !google::protobuf::util::MessageDifferencer::Equals(
          thrombo::service::CardsToResponse(viewed->cards),
          thrombo::service::CardsToResponse(parsed->cards))) {
    std::abort();
  }
  return 0;
}
