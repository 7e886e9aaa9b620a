// Copyright 2026 The Thrombo Authors.
#include "risk/evidence_refs.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace thrombo::risk {
namespace {

// Most calls hold a few dozen pieces of evidence of about a hundred bytes.
constexpr size_t kBlockBytes = 4096;
constexpr size_t kExpectedEvidence = 64;

void SetIfAny(std::string* field, std::string_view text) {
  if (!text.empty()) field->assign(text.data(), text.size());
}

// `e`'s own strings.
EvidenceText OwnText(const v1::Evidence& e) {
  return {e.resource_type(), e.resource_id(), e.path(), e.matched()};
}

// The text into `e`'s own strings, as a proto copy of the evidence would give them; the matched
// text followed by `more_matched`.
void WriteInto(v1::Evidence* e, const EvidenceText& text,
               std::initializer_list<std::string_view> more_matched = {}) {
  SetIfAny(e->mutable_resource_type(), text.resource_type);
  SetIfAny(e->mutable_resource_id(), text.resource_id);
  SetIfAny(e->mutable_path(), text.path);
  if (more_matched.size() == 0) {
    SetIfAny(e->mutable_matched(), text.matched);
    return;
  }
  std::string& matched = *e->mutable_matched();
  size_t size = matched.size() + text.matched.size();
  for (std::string_view piece : more_matched) size += piece.size();
  matched.reserve(size);  // one allocation for the joined text
  SetIfAny(&matched, text.matched);
  for (std::string_view piece : more_matched) matched.append(piece);
}

}  // namespace

char* EvidenceRefs::Reserve(size_t size) {
  if (size > free_size_) {
    const size_t block = std::max(kBlockBytes, size);
    blocks_.emplace_back(new char[block]);  // not zeroed: every byte handed out is written first
    free_ = blocks_.back().get();
    free_size_ = block;
  }
  char* at = free_;
  free_ += size;
  free_size_ -= size;
  return at;
}

size_t EvidenceRefs::SlotOf(const v1::Evidence* e) const {
  const size_t mask = slots_.size() - 1;
  // Messages are 8-byte aligned and a few dozen bytes apart: the low bits say little.
  size_t slot = (reinterpret_cast<uintptr_t>(e) >> 4) * 0x9E3779B97F4A7C15u >> 32 & mask;
  while (slots_[slot] != kNone && entries_[slots_[slot]].key != e) slot = (slot + 1) & mask;
  return slot;
}

uint32_t EvidenceRefs::Find(const v1::Evidence* e) const {
  if (slots_.empty()) return kNone;
  const uint32_t at = slots_[SlotOf(e)];
  return at != kNone && entries_[at].evidence != nullptr ? at : kNone;
}

void EvidenceRefs::Set(v1::Evidence* e, const EvidenceText& text) {
  if ((entries_.size() + 1) * 2 > slots_.size()) {  // grow: at most half full
    if (entries_.empty()) entries_.reserve(kExpectedEvidence);
    slots_.assign(std::max(kExpectedEvidence * 2, slots_.size() * 2), kNone);
    for (uint32_t i = 0; i < entries_.size(); ++i) slots_[SlotOf(entries_[i].key)] = i;
  }
  const size_t slot = SlotOf(e);
  if (slots_[slot] == kNone) {
    slots_[slot] = static_cast<uint32_t>(entries_.size());
    entries_.push_back({e, e, text});
    ++live_;
    return;
  }
  Entry& entry = entries_[slots_[slot]];
  if (entry.evidence == nullptr) ++live_;
  entry.evidence = e;
  entry.text = text;
}

void EvidenceRefs::Write(v1::Evidence* e, const EvidenceText& text,
                         std::initializer_list<std::string_view> more_matched) {
  if (e->GetArena() == nullptr) {  // it may be freed before the table: text of its own
    WriteInto(e, text, more_matched);
    return;
  }
  size_t matched_size = text.matched.size();
  for (std::string_view piece : more_matched) matched_size += piece.size();
  // One reservation for the four texts, each copied after the last.
  char* at = Reserve(text.resource_type.size() + text.resource_id.size() + text.path.size() +
                     matched_size);
  const auto put = [&at](std::string_view piece) {
    if (!piece.empty()) std::memcpy(at, piece.data(), piece.size());
    const std::string_view kept(at, piece.size());
    at += piece.size();
    return kept;
  };
  EvidenceText kept;
  kept.resource_type = put(text.resource_type);
  kept.resource_id = put(text.resource_id);
  kept.path = put(text.path);
  kept.matched = put(text.matched);
  for (std::string_view piece : more_matched) put(piece);
  kept.matched = std::string_view(kept.matched.data(), matched_size);
  Set(e, kept);
}

void EvidenceRefs::Copy(const v1::Evidence& from, v1::Evidence* to) {
  const uint32_t found = Find(&from);
  if (found == kNone) {
    // Not held here: copied whole; a stale entry for `to` (a reused message) must not shadow it.
    *to = from;
    if (const uint32_t stale = Find(to); stale != kNone) {
      entries_[stale].evidence = nullptr;
      --live_;
    }
    return;
  }
  to->set_source(from.source());
  to->set_draft_order(from.draft_order());
  const EvidenceText text = entries_[found].text;  // views into blocks_: stable
  if (to->GetArena() == nullptr) {  // it may be freed before the table: text of its own
    WriteInto(to, text);
    return;
  }
  // Its own text, if any, is what the proto copy would have replaced.
  to->clear_resource_type();
  to->clear_resource_id();
  to->clear_path();
  to->clear_matched();
  Set(to, text);
}

EvidenceText EvidenceRefs::Of(const v1::Evidence& e) const {
  if (const uint32_t at = Find(&e); at != kNone) return entries_[at].text;
  return OwnText(e);
}

void EvidenceRefs::Materialize() const {
  for (const Entry& entry : entries_) {
    if (entry.evidence != nullptr) WriteInto(entry.evidence, entry.text);
  }
}

void WriteEvidenceText(v1::Evidence* e, const EvidenceText& text,
                       std::initializer_list<std::string_view> more_matched, EvidenceRefs* refs) {
  if (refs != nullptr) {
    refs->Write(e, text, more_matched);
  } else {
    WriteInto(e, text, more_matched);
  }
}

EvidenceText EvidenceTextOf(const v1::Evidence& e, const EvidenceRefs* refs) {
  return refs != nullptr ? refs->Of(e) : OwnText(e);
}

void CopyEvidence(const v1::Evidence& from, v1::Evidence* to, EvidenceRefs* refs) {
  if (refs != nullptr) {
    refs->Copy(from, to);
  } else {
    *to = from;
  }
}

void ReferCopiedEvidence(const google::protobuf::RepeatedPtrField<v1::Evidence>& from,
                         google::protobuf::RepeatedPtrField<v1::Evidence>* to,
                         EvidenceRefs* refs) {
  if (refs == nullptr) return;
  for (int i = 0; i < from.size() && i < to->size(); ++i) refs->Copy(from[i], to->Mutable(i));
}

void AppendEvidenceCopies(const google::protobuf::RepeatedPtrField<v1::Evidence>& from,
                          google::protobuf::RepeatedPtrField<v1::Evidence>* to,
                          EvidenceRefs* refs) {
  for (const v1::Evidence& e : from) CopyEvidence(e, to->Add(), refs);
}

}  // namespace thrombo::risk
