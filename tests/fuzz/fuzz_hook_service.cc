// Copyright 2026 The Thrombo Authors.
#include "tests/fuzz/fuzz_hook_service.h"

#include "absl/time/time.h"
#include "risk/engine.h"

namespace thrombo::fuzz {

const service::HookService& FuzzHookService() {
  static const auto* service = new service::HookService(
      risk::Engine::Default(), /*fetcher=*/nullptr,
      [] { return absl::FromUnixSeconds(1'767'225'600); },  // 2026-01-01T00:00:00Z
      service::HookServiceOptions{});
  return *service;
}

}  // namespace thrombo::fuzz
