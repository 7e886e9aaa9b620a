// Copyright 2026 The Thrombo Authors.
#include "risk/fact_context.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/time/civil_time.h"
#include "risk/fhir_values.h"

namespace thrombo::risk {

void SetEvidence(v1::Evidence* e, absl::string_view type, absl::string_view id,
                 absl::string_view path, v1::Evidence::Source source, std::string matched,
                 bool draft) {
  // Each written into the field's own string (no temporary std::string to move in). An empty
  // value leaves the field as it was: empty, as setting it would.
  if (!type.empty()) e->mutable_resource_type()->assign(type.data(), type.size());
  if (!id.empty()) e->mutable_resource_id()->assign(id.data(), id.size());
  if (!path.empty()) e->mutable_path()->assign(path.data(), path.size());
  e->set_source(source);
  e->set_matched(std::move(matched));
  e->set_draft_order(draft);
}

EvidencePtr MakeEvidence(google::protobuf::Arena* arena, absl::string_view type,
                         absl::string_view id, absl::string_view path,
                         v1::Evidence::Source source, std::string matched, bool draft) {
  EvidencePtr e = MakeArenaOwned<v1::Evidence>(arena);
  SetEvidence(e.get(), type, id, path, source, std::move(matched), draft);
  return e;
}

namespace {

// The four texts as EvidenceRefs takes them.
EvidenceText TextOf(absl::string_view type, absl::string_view id, absl::string_view path,
                    std::string_view matched) {
  return {std::string_view(type.data(), type.size()), std::string_view(id.data(), id.size()),
          std::string_view(path.data(), path.size()), matched};
}

}  // namespace

void SetEvidence(const FactContext& c, v1::Evidence* e, absl::string_view type,
                 absl::string_view id, absl::string_view path, v1::Evidence::Source source,
                 std::string matched, bool draft) {
  if (c.evidence_refs == nullptr) {
    SetEvidence(e, type, id, path, source, std::move(matched), draft);
    return;
  }
  e->set_source(source);
  e->set_draft_order(draft);
  c.evidence_refs->Write(e, TextOf(type, id, path, matched));
}

EvidencePtr MakeEvidence(const FactContext& c, absl::string_view type, absl::string_view id,
                         absl::string_view path, v1::Evidence::Source source,
                         std::string matched, bool draft) {
  EvidencePtr e = MakeArenaOwned<v1::Evidence>(c.arena());
  SetEvidence(c, e.get(), type, id, path, source, std::move(matched), draft);
  return e;
}

void SetEvidence(const FactContext& c, v1::Evidence* e, absl::string_view type,
                 absl::string_view id, absl::string_view path, v1::Evidence::Source source,
                 const MatchedText& matched, std::string_view suffix, bool draft) {
  e->set_source(source);
  e->set_draft_order(draft);
  // The pieces joined where the text is kept, the table or the fields: no string is built.
  const auto [head, separator, code] = matched.Pieces();
  WriteEvidenceText(e, TextOf(type, id, path, head), {separator, code, suffix},
                    c.evidence_refs);
}

EvidencePtr MakeEvidence(const FactContext& c, absl::string_view type, absl::string_view id,
                         absl::string_view path, v1::Evidence::Source source,
                         const MatchedText& matched, std::string_view suffix, bool draft) {
  EvidencePtr e = MakeArenaOwned<v1::Evidence>(c.arena());
  SetEvidence(c, e.get(), type, id, path, source, matched, suffix, draft);
  return e;
}

v1::Evidence::Source SourceOf(MatchSource source) {
  return source == MatchSource::kCode ? v1::Evidence::CODE : v1::Evidence::TEXT;
}

v1::Evidence* AddEvidence(v1::Fact* fact) {
  return fact->evidence_size() < kMaxEvidence ? fact->add_evidence() : nullptr;
}

v1::Evidence* MarkPresent(v1::Fact* fact) {
  if (fact->state() != v1::Fact::PRESENT) fact->clear_note();
  fact->set_state(v1::Fact::PRESENT);
  return AddEvidence(fact);
}

void MarkPresent(v1::Fact* fact, const v1::Evidence& evidence, EvidenceRefs* refs) {
  if (v1::Evidence* e = MarkPresent(fact)) CopyEvidence(evidence, e, refs);
}

void MarkPresent(v1::Fact* fact, EvidencePtr evidence) {
  if (fact->state() != v1::Fact::PRESENT) fact->clear_note();
  fact->set_state(v1::Fact::PRESENT);
  // Same arena (or both on the heap): the field takes the pointer. (A heap one is taken over by
  // the facts' arena; only one from another arena would be copied.)
  if (fact->evidence_size() < kMaxEvidence) {
    fact->mutable_evidence()->AddAllocated(evidence.release());
  }
}

bool MarkUnknown(v1::Fact* fact, std::string note) {
  if (fact->state() == v1::Fact::PRESENT) return false;
  fact->set_state(v1::Fact::UNKNOWN);
  if (fact->note().empty()) fact->set_note(std::move(note));
  return true;
}

bool Present(const v1::Fact& fact) { return fact.state() == v1::Fact::PRESENT; }

std::string DayText(absl::Time t) {
  // The common case without the general formatter: a finite time in a four-digit year.
  if (const std::optional<UtcDate> day = ToUtcDate(t)) {
    if (day->year >= 1000 && day->year <= 9999) {
      const int year = static_cast<int>(day->year);
      const char text[10] = {static_cast<char>('0' + year / 1000),
                             static_cast<char>('0' + year / 100 % 10),
                             static_cast<char>('0' + year / 10 % 10),
                             static_cast<char>('0' + year % 10),
                             '-',
                             static_cast<char>('0' + day->month / 10),
                             static_cast<char>('0' + day->month % 10),
                             '-',
                             static_cast<char>('0' + day->day / 10),
                             static_cast<char>('0' + day->day % 10)};
      return std::string(text, sizeof(text));
    }
  }
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
}

}  // namespace thrombo::risk
