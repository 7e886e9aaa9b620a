// Copyright 2026 The Thrombo Authors.
#include "risk/score_tally.h"

#include <algorithm>

#include "risk/field_text.h"

namespace thrombo::risk {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

void WriteComponents(const std::vector<ScoreTerm>& terms,
                     google::protobuf::RepeatedPtrField<v1::ScoreComponent>* components) {
  components->Reserve(components->size() + static_cast<int>(terms.size()));
  for (const ScoreTerm& term : terms) {
    v1::ScoreComponent& component = *components->Add();
    SetText(component.mutable_id(), Absl(term.id));
    SetText(component.mutable_label(), Absl(term.label));
    component.set_points(term.points);
    component.set_state(term.state);
    component.set_awarded(term.awarded);
    if (!term.Evidence().empty()) *component.mutable_evidence() = term.Evidence();
    if (!term.Note().empty()) SetText(component.mutable_note(), Absl(term.Note()));
    SetText(component.mutable_source(), Absl(term.source));
  }
}

std::vector<ScoreTerm> TermsOf(
    const google::protobuf::RepeatedPtrField<v1::ScoreComponent>& components) {
  std::vector<ScoreTerm> terms(static_cast<size_t>(components.size()));
  for (int i = 0; i < components.size(); ++i) {
    const v1::ScoreComponent& component = components[i];
    ScoreTerm& term = terms[static_cast<size_t>(i)];
    term.id = component.id();
    term.label = component.label();
    term.source = component.source();
    term.points = component.points();
    term.awarded = component.awarded();
    term.state = component.state();
    term.evidence = &component.evidence();
    term.note = component.note();
  }
  return terms;
}

ScoreTerm& ScoreTally::NewTerm(std::string_view id, std::string_view label, int points,
                               v1::Fact::State state, std::string_view source) {
  // A score has at most 15 terms (IMWG 2008): one allocation for them all.
  if (terms_->capacity() < 16) terms_->reserve(16);
  ScoreTerm& term = terms_->emplace_back();
  term.id = id;
  term.label = label;
  term.points = points;
  term.state = state;
  term.source = source;
  return term;
}

ScoreTerm& ScoreTally::AddTerm(std::string_view id, std::string_view label, int points,
                               const v1::Fact& fact, std::string_view source) {
  return AddDerived(id, label, points, fact.state(), fact, source);
}

ScoreTerm& ScoreTally::AddDerived(std::string_view id, std::string_view label, int points,
                                  v1::Fact::State state, const v1::Fact& evidence_fact,
                                  std::string_view source) {
  return AddDerived(id, label, points, state, evidence_fact.evidence(), evidence_fact.note(),
                    source);
}

ScoreTerm& ScoreTally::AddDerived(std::string_view id, std::string_view label, int points,
                                  v1::Fact::State state,
                                  const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence,
                                  std::string_view note, std::string_view source) {
  if (state == v1::Fact::STATE_UNSPECIFIED) state = v1::Fact::UNKNOWN;
  ScoreTerm& term = NewTerm(id, label, points, state, source);
  if (!evidence.empty()) term.evidence = &evidence;
  term.note = note;
  switch (state) {
    case v1::Fact::PRESENT:
      term.awarded = points;
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
  return term;
}

ScoreTerm& ScoreTally::AddRange(std::string_view id, std::string_view label, int low, int high,
                                std::string_view source) {
  ScoreTerm& term = NewTerm(id, label, high, v1::Fact::UNKNOWN, source);
  term.awarded = low;
  reported_ += low;
  min_ += low;
  max_ += high;
  return term;
}

}  // namespace thrombo::risk
