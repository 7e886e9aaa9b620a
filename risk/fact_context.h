// Copyright 2026 The Thrombo Authors.
// What every fact library shares: the evaluation time, the compiled policy, the facts being
// written, and small helpers to record a fact with the record text behind it.
#ifndef THROMBO_RISK_FACT_CONTEXT_H_
#define THROMBO_RISK_FACT_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine_rules.h"
#include "risk/terminology.h"

namespace thrombo::risk {

// One extraction's shared state. Not thread-safe (it writes `facts`); one per ExtractFacts call.
struct FactContext {
  const Terminology& terminology;
  const EngineRules& rules;
  absl::Time now;
  v1::ClinicalFacts& facts;

  const FactRules& r() const { return rules.facts; }
  // `t` is within `days` before now (a day's grace after now for clock skew and date-only values).
  bool Within(absl::Time t, int days) const {
    return t <= now + absl::Hours(24) && now - t <= absl::Hours(24) * days;
  }
};

// Evidence kept per fact: enough to explain, bounded so a long record cannot bloat a card.
inline constexpr int kMaxEvidence = 5;

v1::Evidence MakeEvidence(absl::string_view type, absl::string_view id, absl::string_view path,
                          v1::Evidence::Source source, std::string matched, bool draft = false);
// CODE or TEXT, from how the terminology matched.
v1::Evidence::Source SourceOf(MatchSource source);

// PRESENT, with `evidence` added (up to kMaxEvidence).
void MarkPresent(v1::Fact* fact, const v1::Evidence& evidence);
// As above, moving `evidence` in (its last use): no copy of its strings.
void MarkPresent(v1::Fact* fact, v1::Evidence&& evidence);
// UNKNOWN with `note`, unless the fact is already PRESENT (a certain "yes" outranks a doubt).
void MarkUnknown(v1::Fact* fact, const std::string& note, const v1::Evidence* evidence = nullptr);
bool Present(const v1::Fact& fact);

// "2026-11-30" (UTC).
std::string DayText(absl::Time t);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACT_CONTEXT_H_
