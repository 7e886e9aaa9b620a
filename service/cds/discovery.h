// Copyright 2026 The Thrombo Authors.
// CDS Hooks discovery: the three services this server offers, with their prefetch templates.
#ifndef THROMBO_SERVICE_CDS_DISCOVERY_H_
#define THROMBO_SERVICE_CDS_DISCOVERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "proto/thrombo/v1/cds_hooks.pb.h"

namespace thrombo::service {

// Prefetch keys, shared by discovery, the hook handler and fetch-on-miss.
inline constexpr char kPrefetchPatient[] = "patient";
inline constexpr char kPrefetchMedicationRequests[] = "medicationRequests";
inline constexpr char kPrefetchMedicationStatements[] = "medicationStatements";
inline constexpr char kPrefetchConditions[] = "conditions";
inline constexpr char kPrefetchObservations[] = "observations";
inline constexpr char kPrefetchProcedures[] = "procedures";
inline constexpr char kPrefetchAllergies[] = "allergies";
inline constexpr char kPrefetchMedicationDispenses[] = "medicationDispenses";
inline constexpr char kPrefetchMedicationAdministrations[] = "medicationAdministrations";

// Discovery for the three hooks (patient-view, order-select, order-sign). `observation_codes`
// are "system|code" tokens of the labs and vitals the policy reads; the observations template
// asks for exactly those.
v1::CdsServices BuildDiscovery(const std::vector<std::string>& observation_codes);

// The service entry whose id is `id`, or nullptr.
const v1::CdsService* FindService(const v1::CdsServices& services, std::string_view id);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_DISCOVERY_H_
