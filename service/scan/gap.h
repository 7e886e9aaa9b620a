// Copyright 2026 The Thrombo Authors.
// One row of the population scan: what the engine's Assessment says about an IMiD patient, and
// the prophylaxis gap read off it. The gap is derived from the Assessment's own fields (the
// recommended action, hard stops, the medication facts, the agents' verify lines); it is never a
// second clinical computation.
#ifndef THROMBO_SERVICE_SCAN_GAP_H_
#define THROMBO_SERVICE_SCAN_GAP_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::scan {

// The gap categories, most urgent first (the report's order).
enum class Gap {
  // A hard stop (docs/clinical.md policy v1 rule 8) applies to a drug the patient is on.
  kHardStopUnaddressed,
  // The tier calls for prophylaxis and the record shows none.
  kMissing,
  // Less than the tier calls for: aspirin where an anticoagulant is due (policy v1 rule 9), or a
  // current agent the engine says must not be continued (rule 22).
  kInsufficient,
  // An anticoagulant that may still be taken (rule 19): the record cannot say whether it covers.
  kPossiblyCurrentAnticoagulant,
  // Whether the patient is covered depends on data the record does not give (an UNKNOWN tier
  // term or gating datum, rules 6 and 14).
  kDataMissing,
  kNone,
};

std::string_view GapName(Gap gap);  // "hard_stop_unaddressed", "missing", ...
std::optional<Gap> GapFromName(std::string_view name);

// Everything gaps.ndjson / gaps.csv hold for one patient. Numbers are the Assessment's.
struct GapRow {
  std::string patient_id;
  std::string imid;       // the IMiD ingredients, "+"-joined, e.g. "lenalidomide"
  int impede_points = 0;  // the published IMPEDE VTE score
  int impede_decision_points = 0;
  int impede_min = 0;
  int impede_max = 0;
  std::string impede_tier;  // decision tier: LOW | INTERMEDIATE | HIGH
  bool impede_tier_certain = true;
  int saved_points = 0;
  std::string saved_tier;  // LOW | HIGH
  bool saved_tier_certain = true;
  int imwg_risk_factors = 0;
  bool imwg_anticoagulant_indicated = false;
  std::string deciding_model;
  std::string action;               // Recommendation.Action name, e.g. "ANTICOAGULANT"
  std::string recommended;          // the preferred agent's dose text, "" when none
  bool one_click = false;           // the preferred agent may be ordered without verifying data
  std::string current_prophylaxis;  // "enoxaparin 40 mg x1/day (PROPHYLACTIC); ..." or ""
  std::string current_intensity;  // THERAPEUTIC | PROPHYLACTIC | UNKNOWN_INTENSITY | ASPIRIN | NONE
  Gap gap = Gap::kNone;
  std::string gap_reason;  // one sentence: why this gap
  std::string hard_stops;  // HardStop ids, "+"-joined
  bool possibly_current_anticoagulant = false;
  bool esa = false;
  std::string hemoglobin_g_dl;       // latest, as a number, "" when none
  bool esa_hb_above_13 = false;      // Cotherapy.hemoglobin_above_esa_stop (policy v1 rule 12)
  std::string platelets;             // 10*9/L, "UNKNOWN" or ""
  std::string creatinine_clearance;  // mL/min, "UNKNOWN" or ""
  std::string unknown_facts;         // gating facts that are UNKNOWN, "+"-joined
};

// The row of an Assessment of a patient with an active IMiD (facts.imid PRESENT); nullopt for
// any other (no IMiD: the scan does not list them). Pure.
std::optional<GapRow> RowFromAssessment(const v1::Assessment& assessment);

// One line of gaps.ndjson (a JSON object, no newline) and back. Keys are the field names above.
std::string RowToJson(const GapRow& row);
absl::StatusOr<GapRow> RowFromJson(std::string_view json);

// gaps.csv: the header line and one row (RFC 4180 quoting), both without the newline.
std::string CsvHeader();
std::string RowToCsv(const GapRow& row);

}  // namespace thrombo::scan

#endif  // THROMBO_SERVICE_SCAN_GAP_H_
