// Copyright 2026 The Thrombo Authors.
// Name-based UUIDs (RFC 4122 version 5) for cards and suggestions.
#ifndef THROMBO_SERVICE_CDS_UUID_H_
#define THROMBO_SERVICE_CDS_UUID_H_

#include <string>
#include <string_view>

namespace thrombo::service {

// The version-5 UUID of `name` in this service's namespace, in canonical 8-4-4-4-12 lower-case
// form. Cards are named by hookInstance + card key, so a card's uuid is stable for one hook call
// (repeatable in tests and golden files) and distinct across calls, as feedback requires.
// Thread-safe.
std::string NameBasedUuid(std::string_view name);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_UUID_H_
