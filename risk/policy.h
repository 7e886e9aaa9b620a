// Copyright 2026 The Thrombo Authors.
// Loads, validates and embeds the engine Policy (proto/thrombo/v1/policy.proto).
#ifndef THROMBO_RISK_POLICY_H_
#define THROMBO_RISK_POLICY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/thrombo/v1/policy.pb.h"

namespace thrombo::risk {

// Parses `text` as a thrombo.v1.Policy textproto and validates it (ValidatePolicy).
// Errors: kInvalidArgument. A syntax error names "line L, column C" (1-based); a semantic error
// names the path of the bad field (e.g. "drug[3].code[1].system: empty").
absl::StatusOr<v1::Policy> LoadPolicyFromTextproto(std::string_view text);

// Reads the file at `path` and loads it as LoadPolicyFromTextproto does. Errors: kNotFound when
// the file cannot be opened, kInvalidArgument (prefixed with the path) when it is not a valid
// policy. The only function in risk/ that does I/O; call it once at start-up.
absl::StatusOr<v1::Policy> LoadPolicyFromFile(const std::string& path);

// The default policy: risk/default_policy.textproto, embedded at build time (no file is read).
// Parsed and validated on first use; a default that does not validate aborts the process, since
// it is a build defect that the policy test catches. Thread-safe; the reference never dangles.
const v1::Policy& DefaultPolicy();

// Checks everything the schema cannot: required fields, enum values in range and not
// UNSPECIFIED, ordered thresholds, code syntax, duplicate codes/terms/roles, agents that name a
// known ingredient of the right role. Returns OK or kInvalidArgument whose message starts with
// the path of the first bad field, e.g. "impede.tier_high_min: must be > tier_intermediate_min".
absl::Status ValidatePolicy(const v1::Policy& policy);

// Text normalisation shared with the terminology, so that what the validator calls a duplicate
// is what the matcher would confuse.
// Lower-cased words of `text`: runs of ASCII letters/digits and non-ASCII bytes; everything else
// separates words. "Epoetin Alfa-epbx 4000 UNT/ML" -> {"epoetin","alfa","epbx","4000","unt","ml"}.
std::vector<std::string> NormalizedWords(std::string_view text);
// ICD-10-CM code without the dot, upper-cased: "i82.401" -> "I82401".
std::string NormalizeIcd10Code(std::string_view code);

// Code-system URIs (docs/clinical.md §9).
inline constexpr char kRxNormSystem[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kAtcSystem[] = "http://www.whocc.no/atc";
inline constexpr char kIcd10CmSystem[] = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr char kSnomedSystem[] = "http://snomed.info/sct";
inline constexpr char kLoincSystem[] = "http://loinc.org";

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_POLICY_H_
