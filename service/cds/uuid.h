// Copyright 2026 The Thrombo Authors.
// Name-based UUIDs (RFC 4122 version 5) for cards and suggestions.
#ifndef THROMBO_SERVICE_CDS_UUID_H_
#define THROMBO_SERVICE_CDS_UUID_H_

#include <string>
#include <string_view>

namespace thrombo::service {

// The version-5 UUID of `name` in this service's namespace, in canonical 8-4-4-4-12 lower-case
// form. Cards are named by the patient, the IMiD orders and the advice (service/cds/cards.h), so
// the same advice keeps its uuid across hooks and calls (a client can replace or de-duplicate
// it; feedback rows still tell calls apart by time and service) and different advice differs.
// Thread-safe.
std::string NameBasedUuid(std::string_view name);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_UUID_H_
