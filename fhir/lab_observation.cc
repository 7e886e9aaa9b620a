// Copyright 2026 The Thrombo Authors.
#include "fhir/lab_observation.h"

#include <algorithm>
#include <cstring>

namespace thrombo::fhir {
namespace {

// A date/dateTime/instant's start; nullopt when it carries no precision (absent or unreadable).
template <typename Temporal>
std::optional<absl::Time> StartOf(const Temporal& t) {
  if (t.precision() == r4::DATE_PRECISION_UNSPECIFIED) return std::nullopt;
  return absl::FromUnixMicros(t.value_us());
}

std::optional<absl::Time> TimeOf(const r4::Observation& o) {
  switch (o.effective_case()) {
    case r4::Observation::kEffectiveDateTime:
      return StartOf(o.effective_date_time());
    case r4::Observation::kEffectivePeriod:
      return o.effective_period().has_start() ? StartOf(o.effective_period().start())
                                              : StartOf(o.effective_period().end());
    case r4::Observation::kEffectiveInstant:
      return StartOf(o.effective_instant());
    default:
      break;  // none, or a Timing: when it applies is read from issued
  }
  if (o.has_issued()) return StartOf(o.issued());
  return std::nullopt;
}

std::string_view ConceptWords(const r4::CodeableConcept& cc) {
  if (!cc.text().empty()) return cc.text();
  for (const r4::Coding& coding : cc.coding()) {
    if (!coding.display().empty()) return coding.display();
    if (!coding.code().empty()) return coding.code();
  }
  return {};
}

}  // namespace

LabObservation LabObservationFromProto(const r4::Observation& o) {
  LabObservation view;
  view.id = o.id();
  view.subject_reference = o.subject().reference();
  view.status = o.status();
  view.codings.reserve(o.code().coding_size());
  for (const r4::Coding& coding : o.code().coding()) {
    view.codings.push_back(CodingView{coding.system(), coding.code(), coding.display()});
  }
  view.code_text = o.code().text();
  view.time = TimeOf(o);
  switch (o.value_case()) {
    case r4::Observation::kValueQuantity: {
      const r4::Quantity& q = o.value_quantity();
      view.value_kind = LabObservation::ValueKind::kQuantity;
      view.quantity = {q.value().value(), q.comparator(), q.unit(), q.code()};
      break;
    }
    case r4::Observation::kValueString:
      view.value_kind = LabObservation::ValueKind::kString;
      view.value_string = o.value_string();
      break;
    case r4::Observation::kValueCodeableConcept:
      view.value_kind = LabObservation::ValueKind::kCodeableConcept;
      view.value_concept = &o.value_codeable_concept();
      break;
    case r4::Observation::VALUE_NOT_SET:
      break;
    default:
      view.value_kind = LabObservation::ValueKind::kOther;
      break;
  }
  if (o.has_data_absent_reason()) {
    view.has_data_absent_reason = true;
    view.data_absent_text = ConceptWords(o.data_absent_reason());
  }
  return view;
}

LabObservation& LabObservationTable::Add(r4::Observation* stub) {
  // A hook call's record holds about 30 Observations: grown one by one, the views (each a few
  // hundred bytes) were moved six times over (3.2 k instructions a call).
  if (views_.capacity() == 0) views_.reserve(32);
  stub->set_status(static_cast<r4::ObservationStatusCode::Value>(kViewStubStatus + views_.size()));
  views_.emplace_back(stub, LabObservation());
  return views_.back().second;
}

const LabObservation* LabObservationTable::Find(const r4::Observation* stub) const {
  if (!IsViewStub(*stub)) return nullptr;
  const size_t position = static_cast<size_t>(stub->status() - kViewStubStatus);
  return position < views_.size() && views_[position].first == stub ? &views_[position].second
                                                                     : nullptr;
}

std::string_view LabObservationTable::Copy(std::string_view text) {
  if (text.empty()) return {};
  if (blocks_.empty() || block_size_ - block_used_ < text.size()) {
    // A request's Observations keep a few kilobytes of text: one block holds most calls'.
    constexpr size_t kBlockBytes = 16 * 1024;
    block_size_ = std::max(kBlockBytes, text.size());
    blocks_.emplace_back(new char[block_size_]);  // not zero-filled: every byte is written first
    block_used_ = 0;
  }
  char* const kept = blocks_.back().get() + block_used_;
  std::memcpy(kept, text.data(), text.size());
  block_used_ += text.size();
  return {kept, text.size()};
}

void LabObservationTable::Truncate(size_t size) {
  if (size < views_.size()) {
    views_.erase(views_.begin() + static_cast<std::ptrdiff_t>(size), views_.end());
  }
  // The kept text of dropped views stays until the table goes: it is small, and reused blocks
  // would need the views' order.
}

}  // namespace thrombo::fhir
