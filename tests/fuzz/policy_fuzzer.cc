// Copyright 2026 The Thrombo Authors.
// Fuzz target: the policy loader (risk/policy.h LoadPolicyFromTextproto, ValidatePolicy). A
// policy that validates is compiled into an engine (risk::Engine::Create), since a validated
// policy is what the engine trusts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "risk/engine.h"
#include "risk/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = thrombo::risk::LoadPolicyFromTextproto(text);
  if (!policy.ok()) return 0;
  if (!thrombo::risk::ValidatePolicy(*policy).ok()) __builtin_trap();  // loader's contract
  (void)thrombo::risk::Engine::Create(*policy);
  return 0;
}
