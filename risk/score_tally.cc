// Copyright 2026 The Thrombo Authors.
#include "risk/score_tally.h"

#include <algorithm>

#include "risk/field_text.h"

namespace thrombo::risk {

v1::ScoreComponent& ScoreTally::NewComponent(absl::string_view id, absl::string_view label,
                                             int points, v1::Fact::State state,
                                             absl::string_view source) {
  v1::ScoreComponent& component = *components_->Add();
  SetText(component.mutable_id(), id);
  SetText(component.mutable_label(), label);
  component.set_points(points);
  component.set_state(state);
  SetText(component.mutable_source(), source);
  return component;
}

v1::ScoreComponent& ScoreTally::AddTerm(absl::string_view id, absl::string_view label,
                                        int points, const v1::Fact& fact,
                                        absl::string_view source) {
  return AddDerived(id, label, points, fact.state(), fact, source);
}

v1::ScoreComponent& ScoreTally::AddDerived(absl::string_view id, absl::string_view label,
                                           int points, v1::Fact::State state,
                                           const v1::Fact& evidence_fact,
                                           absl::string_view source) {
  return AddDerived(id, label, points, state, evidence_fact.evidence(), evidence_fact.note(),
                    source);
}

v1::ScoreComponent& ScoreTally::AddDerived(
    absl::string_view id, absl::string_view label, int points, v1::Fact::State state,
    const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence, absl::string_view note,
    absl::string_view source) {
  if (state == v1::Fact::STATE_UNSPECIFIED) state = v1::Fact::UNKNOWN;
  v1::ScoreComponent& component = NewComponent(id, label, points, state, source);
  if (!evidence.empty()) *component.mutable_evidence() = evidence;
  if (!note.empty()) SetText(component.mutable_note(), note);
  switch (state) {
    case v1::Fact::PRESENT:
      component.set_awarded(points);
      reported_ += points;
      min_ += points;
      max_ += points;
      break;
    case v1::Fact::UNKNOWN:
      // Absent in the reported score; either way in the interval.
      min_ += std::min(points, 0);
      max_ += std::max(points, 0);
      break;
    default:
      break;
  }
  return component;
}

v1::ScoreComponent& ScoreTally::AddRange(absl::string_view id, absl::string_view label,
                                         int low, int high, absl::string_view source) {
  v1::ScoreComponent& component = NewComponent(id, label, high, v1::Fact::UNKNOWN, source);
  component.set_awarded(low);
  reported_ += low;
  min_ += low;
  max_ += high;
  return component;
}

}  // namespace thrombo::risk
