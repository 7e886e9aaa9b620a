// Copyright 2026 The Thrombo Authors.
#include "service/cds/discovery.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thrombo::service {
namespace {

constexpr char kDescription[] =
    "Scores venous thromboembolism risk (IMPEDE VTE, SAVED, IMWG 2008) and arterial risk for "
    "patients with multiple myeloma on thalidomide, lenalidomide or pomalidomide, checks "
    "platelets, bleeding, renal function and existing anticoagulation, and suggests the "
    "prophylaxis to order.";

void AddPrefetch(const std::vector<std::string>& observation_codes, v1::CdsService* service) {
  auto& p = *service->mutable_prefetch();
  p[kPrefetchPatient] = "Patient/{{context.patientId}}";
  // Not only active records: an order on hold, or one completed or stopped within the last 30
  // days, and a statement whose status is intended, on hold or unknown may still be taken
  // (docs/clinical.md policy v1.1 rule 19); the engine decides from their dates. With the
  // Medications the orders refer to: US Core lets a server keep them outside the order, and a
  // server that does SHALL support this _include (US Core MedicationRequest profile).
  p[kPrefetchMedicationRequests] =
      "MedicationRequest?patient={{context.patientId}}"
      "&status=active,on-hold,completed,stopped,unknown&_include=MedicationRequest:medication";
  p[kPrefetchMedicationStatements] =
      "MedicationStatement?patient={{context.patientId}}"
      "&status=active,intended,on-hold,completed,stopped,unknown";
  // What the pharmacy handed over and what was given on the ward: a dispense covering today is
  // a current drug, and either may be the only record of an anticoagulant (rules 19, 20).
  p[kPrefetchMedicationDispenses] = "MedicationDispense?patient={{context.patientId}}";
  p[kPrefetchMedicationAdministrations] =
      "MedicationAdministration?patient={{context.patientId}}";
  p[kPrefetchConditions] = "Condition?patient={{context.patientId}}";
  p[kPrefetchObservations] =
      absl::StrCat("Observation?patient={{context.patientId}}&code=",
                   absl::StrJoin(observation_codes, ","), "&_sort=-date");
  // CDS Hooks 2.0 prefetch tokens cannot express "the last 90 days"; the engine applies the
  // surgery window itself.
  p[kPrefetchProcedures] = "Procedure?patient={{context.patientId}}";
  p[kPrefetchAllergies] = "AllergyIntolerance?patient={{context.patientId}}";
}

}  // namespace

v1::CdsServices BuildDiscovery(const std::vector<std::string>& observation_codes) {
  struct Entry {
    const char* hook;
    const char* id;
    const char* title;
    const char* usage;
  };
  static constexpr Entry kEntries[] = {
      {"patient-view", "thrombo-patient-view",
       "Thromboprophylaxis for myeloma on IMiDs (chart open)",
       "Cards appear only for patients with an active thalidomide, lenalidomide or pomalidomide "
       "order."},
      {"order-select", "thrombo-order-select",
       "Thromboprophylaxis for myeloma on IMiDs (order selected)",
       "Fires on IMiD orders in draftOrders; advice focuses on the selections."},
      {"order-sign", "thrombo-order-sign",
       "Thromboprophylaxis for myeloma on IMiDs (order signing)",
       "Fires on IMiD orders in draftOrders before signing."},
  };
  v1::CdsServices services;
  for (const Entry& entry : kEntries) {
    v1::CdsService& service = *services.add_services();
    service.set_hook(entry.hook);
    service.set_id(entry.id);
    service.set_title(entry.title);
    service.set_description(kDescription);
    service.set_usage_requirements(entry.usage);
    AddPrefetch(observation_codes, &service);
  }
  return services;
}

const v1::CdsService* FindService(const v1::CdsServices& services, std::string_view id) {
  for (const v1::CdsService& service : services.services()) {
    if (service.id() == id) return &service;
  }
  return nullptr;
}

}  // namespace thrombo::service
