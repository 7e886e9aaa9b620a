// Copyright 2026 The Thrombo Authors.
#include "risk/fact_test_util.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fhir/json_parser.h"
#include "fhir/patient_record.h"
#include "risk/engine.h"
#include "risk/policy.h"

namespace thrombo::risk::testing {
namespace {

const Engine& TestEngine() {
  static const Engine* engine = Engine::Create(DefaultPolicy()).value().release();
  return *engine;
}

std::string Bundle(const std::vector<std::string>& resources) {
  std::vector<std::string> entries;
  for (const std::string& r : resources) entries.push_back(absl::StrCat("{\"resource\":", r, "}"));
  return absl::StrCat("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[",
                      absl::StrJoin(entries, ","), "]}");
}

}  // namespace

absl::Time TestNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 12, 1, 12, 0, 0), absl::UTCTimeZone());
}

std::string DaysAgo(int days) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", TestNow() - absl::Hours(24) * days,
                          absl::UTCTimeZone());
}

absl::StatusOr<v1::ClinicalFacts> Facts(const std::vector<std::string>& resources,
                                        const std::vector<std::string>& drafts,
                                        const DataAvailability& available,
                                        const std::string& patient_json) {
  std::vector<std::string> all = {
      patient_json.empty()
          ? R"({"resourceType":"Patient","id":"p","gender":"male","birthDate":"1956-01-01"})"
          : patient_json};
  all.insert(all.end(), resources.begin(), resources.end());
  absl::StatusOr<fhir::r4::Bundle> bundle = fhir::ParseAs<fhir::r4::Bundle>(Bundle(all));
  if (!bundle.ok()) return bundle.status();
  absl::StatusOr<fhir::PatientRecord> record = fhir::PatientRecord::FromBundle(*bundle);
  if (!record.ok()) return record.status();
  std::optional<fhir::r4::Bundle> draft_bundle;
  std::optional<fhir::PatientRecord> draft_record;
  if (!drafts.empty()) {
    absl::StatusOr<fhir::r4::Bundle> b = fhir::ParseAs<fhir::r4::Bundle>(Bundle(drafts));
    if (!b.ok()) return b.status();
    draft_bundle = *std::move(b);
    absl::StatusOr<fhir::PatientRecord> r = fhir::PatientRecord::FromBundle(*draft_bundle);
    if (!r.ok()) return r.status();
    draft_record = *std::move(r);
  }
  const Engine& engine = TestEngine();
  return ExtractFacts(*record, draft_record ? &*draft_record : nullptr, engine.terminology(),
                      engine.rules(), TestNow(), available);
}

std::string Coding(const std::string& system, const std::string& code, const std::string& display) {
  return absl::StrCat("{\"system\":\"", system, "\",\"code\":\"", code, "\"",
                      display.empty() ? "" : absl::StrCat(",\"display\":\"", display, "\""), "}");
}

std::string Quantity(const std::string& value, const std::string& unit,
                     const std::string& comparator) {
  return absl::StrCat(
      "\"valueQuantity\":{\"value\":", value,
      comparator.empty() ? "" : absl::StrCat(",\"comparator\":\"", comparator, "\""),
      ",\"unit\":\"", unit, "\"}");
}

std::string Observation(const std::string& id, const std::string& loinc,
                        const std::string& value_json, int days_ago, const std::string& status) {
  return absl::StrCat("{\"resourceType\":\"Observation\",\"id\":\"", id, "\",\"status\":\"", status,
                      "\",\"code\":{\"coding\":[", Coding(kLoinc, loinc),
                      "]},\"subject\":{\"reference\":\"Patient/p\"},\"effectiveDateTime\":\"",
                      DaysAgo(days_ago), "\"", value_json.empty() ? "" : ",", value_json, "}");
}

std::string Condition(const std::string& id, const std::string& code_json,
                      const std::string& clinical_status, int days_ago) {
  return absl::StrCat(
      "{\"resourceType\":\"Condition\",\"id\":\"", id, "\",",
      clinical_status.empty()
          ? ""
          : absl::StrCat("\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
                         "CodeSystem/condition-clinical\",\"code\":\"",
                         clinical_status, "\"}]},"),
      "\"code\":", code_json, ",\"subject\":{\"reference\":\"Patient/p\"},\"onsetDateTime\":\"",
      DaysAgo(days_ago), "\"}");
}

}  // namespace thrombo::risk::testing
