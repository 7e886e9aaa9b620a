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

#include "absl/time/time.h"
#include "fhir/lab_observation.h"
#include "google/protobuf/util/message_differencer.h"
#include "risk/engine.h"
#include "service/cds/cards.h"
#include "service/cds/hook_service.h"
#include "service/grpc/hook_request_wire.h"

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
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  thrombo::v1::EvaluateHookRequest read;
  thrombo::fhir::LabObservationTable views;
  std::string scratch;
  if (!thrombo::service::ParseHookRequestWire(bytes, &read, &views, &scratch).ok()) return 0;
  const auto viewed = Service().Evaluate(read, &views);
  thrombo::v1::EvaluateHookRequest whole;
  if (!whole.ParseFromString(bytes)) return 0;  // refused for an element the views pass over
  const auto parsed = Service().Evaluate(whole);
  if (viewed.status() != parsed.status()) std::abort();
  if (viewed.ok() &&
      !google::protobuf::util::MessageDifferencer::Equals(
          thrombo::service::CardsToResponse(viewed->cards),
          thrombo::service::CardsToResponse(parsed->cards))) {
    std::abort();
  }
  return 0;
}
