// Copyright 2026 The Thrombo Authors.
// An Observation as the lab and vital-sign facts read it: the status, the codings and text of
// its code, when it applies, and its value, as views of the text they were read from.
//
// Why a view and not the r4::Observation proto: Observations are most of what a hook request
// carries (77% of the load mix's bytes, about 30 per request), and building each into a proto
// (a dozen arena strings and sub-messages, freed again at the end of the call) costs more than
// everything the decision then does with it (docs/benchmarks.md, "fourth round"). The facts read
// this struct, so a reader can fill it straight from the request text; a proto, from the full
// reader or gRPC, is read through LabObservationFromProto, and both give the same struct.
#ifndef THROMBO_FHIR_LAB_OBSERVATION_H_
#define THROMBO_FHIR_LAB_OBSERVATION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/time/time.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

// One Coding of a CodeableConcept.
struct CodingView {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};

// The views point into the proto (or the text) the struct was read from, which must outlive it.
struct LabObservation {
  // What Observation.value[x] holds, as far as the facts distinguish it.
  enum class ValueKind {
    kNone,             // no value
    kQuantity,         // valueQuantity (its value may still be missing)
    kString,           // valueString
    kCodeableConcept,  // valueCodeableConcept (smoking status)
    kOther,            // any other type: not a number the facts can read
  };
  struct Quantity {
    std::string_view value;  // the decimal's exact text; empty when absent
    r4::Quantity::Comparator comparator = r4::Quantity::COMPARATOR_UNSPECIFIED;
    std::string_view unit;
    std::string_view code;
  };

  std::string_view id;
  std::string_view subject_reference;  // subject.reference: whose result it is
  r4::ObservationStatusCode::Value status =
      r4::ObservationStatusCode::OBSERVATION_STATUS_UNSPECIFIED;
  // Observation.code.
  absl::InlinedVector<CodingView, 2> codings;
  std::string_view code_text;
  // When it applies: effective[x] (dateTime, period start else end, instant), else issued.
  std::optional<absl::Time> time;

  ValueKind value_kind = ValueKind::kNone;
  Quantity quantity;              // kQuantity
  std::string_view value_string;  // kString
  // kCodeableConcept: the concept, read by terminology matching (risk/terminology.h), which
  // takes protos. Set only from a proto: a reader filling this struct from text leaves such
  // Observations (a few smoking-status records) to the proto.
  const r4::CodeableConcept* value_concept = nullptr;

  // dataAbsentReason, and the words a card quotes for it: its text, else the first coding's
  // display, else its code.
  bool has_data_absent_reason = false;
  std::string_view data_absent_text;
};

// `observation` as the facts read it. Views into `observation`, which must outlive the result.
// A stub (below) without its view is not an Observation to read: callers check IsViewStub.
LabObservation LabObservationFromProto(const r4::Observation& observation);

// The Observations a reader filled as views straight from request text, each left in the request
// as a stub: an Observation proto holding nothing but a status out of ObservationStatusCode's
// range, kViewStubStatus plus the view's position in the table, which no FHIR text can produce.
// A stub read without its view (a copy of it, say, or one given to another table) is an error,
// never an empty Observation: Find() checks the stub's address too. Owns the text the views
// point to, but for text it was lent (Borrow). One per hook call; not thread-safe.
class LabObservationTable final {
 public:
  // Out of the range of ObservationStatusCode: the JSON readers set only its values.
  static constexpr r4::ObservationStatusCode::Value kViewStubStatus =
      static_cast<r4::ObservationStatusCode::Value>(1000);

  LabObservationTable() = default;
  LabObservationTable(const LabObservationTable&) = delete;
  LabObservationTable& operator=(const LabObservationTable&) = delete;

  // A new view for `stub`, to be filled, and `stub` marked as its stub (its status set).
  LabObservation& Add(r4::Observation* stub);
  // The view of `stub`, or nullptr when it has none.
  const LabObservation* Find(const r4::Observation* stub) const;
  // `text` for a view to point to: `text` itself when it lies within the borrowed text (below),
  // else a copy owned by the table.
  std::string_view Keep(std::string_view text) {
    // Where `text` starts in the borrowed text; past its end (wrapped around) when before it.
    const uintptr_t at =
        reinterpret_cast<uintptr_t>(text.data()) - reinterpret_cast<uintptr_t>(borrowed_.data());
    if (at <= borrowed_.size() && text.size() <= borrowed_.size() - at) return text;
    return Copy(text);
  }
  // Lets views point into `text` (a request body a reader reads in place) instead of copies of
  // its pieces; `text` must then outlive every use of the table's views. Until Clear().
  void Borrow(std::string_view text) { borrowed_ = text; }

  size_t size() const { return views_.size(); }
  // Drops the views added after the first `size` (a reader giving up on them), or all. Their
  // stubs, which the reader clears, are stubs no more.
  void Truncate(size_t size);
  void Clear() {
    Truncate(0);
    borrowed_ = {};
  }

 private:
  // A copy of `text` in the table's blocks.
  std::string_view Copy(std::string_view text);

  // Each view with its stub; a stub's status says where (no hash map: this is every
  // Observation of every hook call).
  std::vector<std::pair<const r4::Observation*, LabObservation>> views_;
  // Text blocks; a block is never reallocated, so views stay valid as more text is kept.
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::string_view borrowed_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
};

// Whether `observation` is a LabObservationTable stub.
inline bool IsViewStub(const r4::Observation& observation) {
  return observation.status() >= LabObservationTable::kViewStubStatus;
}

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_LAB_OBSERVATION_H_
