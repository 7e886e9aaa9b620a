// Copyright 2026 The Thrombo Authors.
// What every fact library shares: the evaluation time, the compiled policy, the facts being
// written, and small helpers to record a fact with the record text behind it.
#ifndef THROMBO_RISK_FACT_CONTEXT_H_
#define THROMBO_RISK_FACT_CONTEXT_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/arena_owned.h"
#include "risk/engine_rules.h"
#include "risk/evidence_refs.h"
#include "risk/terminology.h"

namespace thrombo::risk {

// One extraction's shared state. Not thread-safe (it writes `facts`); one per ExtractFacts call.
struct FactContext {
  const Terminology& terminology;
  const EngineRules& rules;
  absl::Time now;
  v1::ClinicalFacts& facts;
  // Where the evidence's text goes (evidence_refs.h; a message on the heap keeps its own); null:
  // into the protos.
  EvidenceRefs* evidence_refs = nullptr;

  const FactRules& r() const { return rules.facts; }
  // The arena `facts` lives on (null: the heap). Messages meant for the facts are made here, so
  // that handing them over moves a pointer: a message copied across arenas is a deep copy.
  google::protobuf::Arena* arena() const { return facts.GetArena(); }
  // `t` is within `days` before now (a day's grace after now for clock skew and date-only values).
  bool Within(absl::Time t, int days) const {
    return t <= now + absl::Hours(24) && now - t <= absl::Hours(24) * days;
  }
};

// Evidence kept per fact: enough to explain, bounded so a long record cannot bloat a card.
inline constexpr int kMaxEvidence = 5;

// An Evidence made on the arena of the facts it is meant for (FactContext::arena), held until a
// fact takes it.
using EvidencePtr = ArenaOwned<v1::Evidence>;

// Writes one piece of evidence into `e` (fresh: fields left empty stay as they were).
void SetEvidence(v1::Evidence* e, absl::string_view type, absl::string_view id,
                 absl::string_view path, v1::Evidence::Source source, std::string matched,
                 bool draft = false);
// The same, made on `arena` (null: the heap), for evidence that is not yet sure of its fact.
EvidencePtr MakeEvidence(google::protobuf::Arena* arena, absl::string_view type,
                         absl::string_view id, absl::string_view path,
                         v1::Evidence::Source source, std::string matched, bool draft = false);
// The same through `c.evidence_refs`: the text kept there when it is set.
void SetEvidence(const FactContext& c, v1::Evidence* e, absl::string_view type,
                 absl::string_view id, absl::string_view path, v1::Evidence::Source source,
                 std::string matched, bool draft = false);
EvidencePtr MakeEvidence(const FactContext& c, absl::string_view type, absl::string_view id,
                         absl::string_view path, v1::Evidence::Source source,
                         std::string matched, bool draft = false);
// The same with what a terminology match matched, then `suffix` (" on 2026-11-30"), as the
// matched text: written once, into the field or the table, with no string built for it.
void SetEvidence(const FactContext& c, v1::Evidence* e, absl::string_view type,
                 absl::string_view id, absl::string_view path, v1::Evidence::Source source,
                 const MatchedText& matched, std::string_view suffix = {}, bool draft = false);
EvidencePtr MakeEvidence(const FactContext& c, absl::string_view type, absl::string_view id,
                         absl::string_view path, v1::Evidence::Source source,
                         const MatchedText& matched, std::string_view suffix = {},
                         bool draft = false);
// CODE or TEXT, from how the terminology matched.
v1::Evidence::Source SourceOf(MatchSource source);

// The fact's next evidence to fill in, or null when it already holds kMaxEvidence (then nothing
// is to be written).
v1::Evidence* AddEvidence(v1::Fact* fact);
// PRESENT. Returns AddEvidence(fact): the evidence to fill in, or null.
v1::Evidence* MarkPresent(v1::Fact* fact);
// PRESENT, with a copy of `evidence` added (up to kMaxEvidence), through `refs` (may be null).
void MarkPresent(v1::Fact* fact, const v1::Evidence& evidence, EvidenceRefs* refs);
// As above, handing `evidence` over (its last use): on the fact's arena, no copy at all.
void MarkPresent(v1::Fact* fact, EvidencePtr evidence);
// UNKNOWN with `note`, unless the fact is already PRESENT (a certain "yes" outranks a doubt).
// True when the fact took it (its evidence, if any, is then added with AddEvidence).
bool MarkUnknown(v1::Fact* fact, std::string note);
bool Present(const v1::Fact& fact);

// "2026-11-30" (UTC).
std::string DayText(absl::Time t);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACT_CONTEXT_H_
