// Copyright 2026 The Thrombo Authors.
// Test support for the fact libraries: a patient record written as FHIR JSON resources, read
// through ExtractFacts with the default policy.
#ifndef THROMBO_RISK_FACT_TEST_UTIL_H_
#define THROMBO_RISK_FACT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/facts.h"

namespace thrombo::risk::testing {

// 2026-12-01T12:00:00Z: the evaluation time of every fact test.
absl::Time TestNow();
// TestNow() minus `days`, as a FHIR dateTime ("2026-11-21T12:00:00Z").
std::string DaysAgo(int days);

// A Patient (id "p", male, born 1956-01-01, so 70 at TestNow) plus `resources`, each a FHIR JSON
// resource; `drafts` are draft orders. Extracted at TestNow() with the default policy.
absl::StatusOr<v1::ClinicalFacts> Facts(const std::vector<std::string>& resources,
                                        const std::vector<std::string>& drafts = {},
                                        const DataAvailability& available = {},
                                        const std::string& patient_json = "");

// Small resource writers. `extra` is spliced into the resource's JSON object.
std::string Observation(const std::string& id, const std::string& loinc,
                        const std::string& value_json, int days_ago,
                        const std::string& status = "final");
std::string Quantity(const std::string& value, const std::string& unit,
                     const std::string& comparator = "");
std::string Condition(const std::string& id, const std::string& code_json,
                      const std::string& clinical_status, int days_ago);
std::string Coding(const std::string& system, const std::string& code,
                   const std::string& display = "");

inline constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kIcd10[] = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr char kSnomed[] = "http://snomed.info/sct";
inline constexpr char kLoinc[] = "http://loinc.org";

}  // namespace thrombo::risk::testing

#endif  // THROMBO_RISK_FACT_TEST_UTIL_H_
