// Copyright 2026 The Thrombo Authors.
#include "risk/fact_context.h"

#include <string>
#include <utility>

namespace thrombo::risk {

v1::Evidence MakeEvidence(const std::string& type, const std::string& id, std::string path,
                          v1::Evidence::Source source, std::string matched, bool draft) {
  v1::Evidence e;
  e.set_resource_type(type);
  e.set_resource_id(id);
  e.set_path(std::move(path));
  e.set_source(source);
  e.set_matched(std::move(matched));
  e.set_draft_order(draft);
  return e;
}

v1::Evidence::Source SourceOf(MatchSource source) {
  return source == MatchSource::kCode ? v1::Evidence::CODE : v1::Evidence::TEXT;
}

void MarkPresent(v1::Fact* fact, const v1::Evidence& evidence) {
  if (fact->state() != v1::Fact::PRESENT) fact->clear_note();
  fact->set_state(v1::Fact::PRESENT);
  if (fact->evidence_size() < kMaxEvidence) *fact->add_evidence() = evidence;
}

void MarkUnknown(v1::Fact* fact, const std::string& note, const v1::Evidence* evidence) {
  if (fact->state() == v1::Fact::PRESENT) return;
  fact->set_state(v1::Fact::UNKNOWN);
  if (fact->note().empty()) fact->set_note(note);
  if (evidence != nullptr && fact->evidence_size() < kMaxEvidence) {
    *fact->add_evidence() = *evidence;
  }
}

bool Present(const v1::Fact& fact) { return fact.state() == v1::Fact::PRESENT; }

std::string DayText(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

}  // namespace thrombo::risk
