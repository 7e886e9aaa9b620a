// Copyright 2026 The Thrombo Authors.
// The evidence of one assessment held as text beside its protos, not in them. A v1::Evidence
// message keeps its source and draft flag; its four texts (resource type, id, FHIR path, what
// matched) are kept here once, keyed by the message, and a copy of the evidence into another
// fact, flag or card is a reference, not four strings. Written as text, the evidence is a
// quarter of the hook path's engine instructions (docs/benchmarks.md, "twenty-fourth round"):
// protobuf 3.21 puts the text of every string longer than 15 bytes on the heap.
//
// Readers ask EvidenceTextOf, which falls back to the proto's own strings for evidence written
// the usual way, so one reader serves both. Where the Assessment itself is the output (gRPC,
// the CLI, tests), Materialize writes the text into the protos.
//
// Keyed by address: only messages on an arena, which must outlive the table (the hook path's
// Assessment), are held; one on the heap, which may be freed first, gets its text in its own
// strings. Not thread-safe; one per assessment.
#ifndef THROMBO_RISK_EVIDENCE_REFS_H_
#define THROMBO_RISK_EVIDENCE_REFS_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/repeated_field.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

// The four texts of a v1::Evidence.
struct EvidenceText {
  std::string_view resource_type;
  std::string_view resource_id;
  std::string_view path;
  std::string_view matched;
};

class EvidenceRefs final {
 public:
  EvidenceRefs() = default;
  EvidenceRefs(const EvidenceRefs&) = delete;
  EvidenceRefs& operator=(const EvidenceRefs&) = delete;
  // The text stays where it is (the blocks move, not their bytes): views stay valid.
  EvidenceRefs(EvidenceRefs&&) = default;
  EvidenceRefs& operator=(EvidenceRefs&&) = default;

  // Keeps a copy of `text` as `e`'s (replacing any it had), its matched text followed by
  // `more_matched` (pieces joined here, so that no string is built to join them); `e`'s own
  // strings are left as they are (empty, for a fresh message).
  void Write(v1::Evidence* e, const EvidenceText& text,
             std::initializer_list<std::string_view> more_matched = {});
  // *to = from: the source and draft flag copied, the text referred to when `from`'s is held
  // here, else copied as a proto copies it.
  void Copy(const v1::Evidence& from, v1::Evidence* to);
  // `e`'s text: held here, or its own strings.
  EvidenceText Of(const v1::Evidence& e) const;
  // Writes every held text into its message, as a proto copy or the JSON printer will need it.
  // The table keeps the text (readers may still ask).
  void Materialize() const;
  // How many messages refer to text held here.
  size_t size() const { return live_; }

 private:
  struct Entry {
    const v1::Evidence* key;
    v1::Evidence* evidence;  // null once dropped
    EvidenceText text;
  };
  static constexpr uint32_t kNone = ~uint32_t{0};

  // `size` bytes of the table's own blocks (one allocation per few kilobytes), to be written.
  char* Reserve(size_t size);
  // The slot of `e` in slots_: its own, or the empty one where it would go.
  size_t SlotOf(const v1::Evidence* e) const;
  // The entry of `e`, or kNone.
  uint32_t Find(const v1::Evidence* e) const;
  // Makes `e` refer to `text` (kept already).
  void Set(v1::Evidence* e, const EvidenceText& text);

  // An open-addressing index by address (a few dozen keys a call; absl::flat_hash_map cost
  // 2.7 k instructions a call more): slots_ holds entry numbers (kNone: empty), at most half
  // full.
  std::vector<uint32_t> slots_;
  std::vector<Entry> entries_;  // an entry whose evidence is null was dropped
  size_t live_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;
  size_t free_size_ = 0;
};

// Writes `text` as `e`'s, its matched text followed by `more_matched`: through `refs` (Write),
// or, with no table, into `e`'s own strings (a field with no text is left as it is).
void WriteEvidenceText(v1::Evidence* e, const EvidenceText& text,
                       std::initializer_list<std::string_view> more_matched, EvidenceRefs* refs);
// `e`'s text through `refs` (null: its own strings).
EvidenceText EvidenceTextOf(const v1::Evidence& e, const EvidenceRefs* refs);
// *to = from through `refs` (null: a proto copy).
void CopyEvidence(const v1::Evidence& from, v1::Evidence* to, EvidenceRefs* refs);
// After a proto copy of a message holding evidence (`to` copied from `from`, piece for piece):
// makes each copied piece refer to the text `refs` holds for its original (no-op for null).
void ReferCopiedEvidence(const google::protobuf::RepeatedPtrField<v1::Evidence>& from,
                         google::protobuf::RepeatedPtrField<v1::Evidence>* to,
                         EvidenceRefs* refs);
// Appends a copy of each of `from` to `to`, through `refs`.
void AppendEvidenceCopies(const google::protobuf::RepeatedPtrField<v1::Evidence>& from,
                          google::protobuf::RepeatedPtrField<v1::Evidence>* to,
                          EvidenceRefs* refs);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_EVIDENCE_REFS_H_
