// Copyright 2026 The Thrombo Authors.
#include "risk/score_tally.h"

#include <algorithm>

namespace thrombo::risk {

v1::ScoreComponent& ScoreTally::NewComponent(const std::string& id, const std::string& label,
                                             int points, v1::Fact::State state,
                                             const std::string& source) {
  v1::ScoreComponent& component = *components_->Add();
  component.set_id(id);
  component.set_label(label);
  component.set_points(points);
  component.set_state(state);
  component.set_source(source);
  return component;
}

v1::ScoreComponent& ScoreTally::AddTerm(const std::string& id, const std::string& label,
                                        int points, const v1::Fact& fact,
                                        const std::string& source) {
  return AddDerived(id, label, points, fact.state(), fact, source);
}

v1::ScoreComponent& ScoreTally::AddDerived(const std::string& id, const std::string& label,
                                           int points, v1::Fact::State state,
                                           const v1::Fact& evidence_fact,
                                           const std::string& source) {
  if (state == v1::Fact::STATE_UNSPECIFIED) state = v1::Fact::UNKNOWN;
  v1::ScoreComponent& component = NewComponent(id, label, points, state, source);
  *component.mutable_evidence() = evidence_fact.evidence();
  if (!evidence_fact.note().empty()) component.set_note(evidence_fact.note());
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

v1::ScoreComponent& ScoreTally::AddRange(const std::string& id, const std::string& label, int low,
                                         int high, const std::string& source) {
  v1::ScoreComponent& component = NewComponent(id, label, high, v1::Fact::UNKNOWN, source);
  component.set_awarded(low);
  reported_ += low;
  min_ += low;
  max_ += high;
  return component;
}

}  // namespace thrombo::risk
