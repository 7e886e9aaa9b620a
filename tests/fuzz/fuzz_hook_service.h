// Copyright 2026 The Thrombo Authors.
// The hook service the hook fuzzers evaluate with: the default engine, no FHIR fetcher
// (fetch-on-miss off) and a fixed clock, so that a replayed input answers the same.
#ifndef THROMBO_TESTS_FUZZ_FUZZ_HOOK_SERVICE_H_
#define THROMBO_TESTS_FUZZ_FUZZ_HOOK_SERVICE_H_

#include "service/cds/hook_service.h"

namespace thrombo::fuzz {

// Built on first use and kept for the process.
const service::HookService& FuzzHookService();

}  // namespace thrombo::fuzz

#endif  // THROMBO_TESTS_FUZZ_FUZZ_HOOK_SERVICE_H_
