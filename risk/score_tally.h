// Copyright 2026 The Thrombo Authors.
// Adds up a points-based score whose terms may be present, absent or unknown (docs/clinical.md §0 rule 6).
#ifndef THROMBO_RISK_SCORE_TALLY_H_
#define THROMBO_RISK_SCORE_TALLY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

// One term of a score as the engine computes it: a v1::ScoreComponent whose text is not copied.
// The id, label and source are the policy's (EngineRules, or the scores' own literals) and the
// evidence is the fact's, referenced where it lies; only what a term makes itself (a computed
// note, the race term's evidence) is held here. A term is read while the facts it was scored
// from and the engine live; where a proto is the output, WriteComponents copies it out. (The
// three scores cost 40.8 k instructions a hook call when every term was a component, 7.5 k as
// terms: docs/benchmarks.md, "eleventh round".)
struct ScoreTerm {
  std::string_view id;
  std::string_view label;
  std::string_view source;
  int points = 0;   // the points the term carries when present
  int awarded = 0;  // the points counted in the reported score
  v1::Fact::State state = v1::Fact::UNKNOWN;
  // The fact's evidence (null: none, or own_evidence).
  const google::protobuf::RepeatedPtrField<v1::Evidence>* evidence = nullptr;
  google::protobuf::RepeatedPtrField<v1::Evidence> own_evidence;
  // A note that outlives the term (the fact's note or rule, policy text), or one made for it.
  std::string_view note;
  std::string own_note;

  const google::protobuf::RepeatedPtrField<v1::Evidence>& Evidence() const {
    return evidence != nullptr ? *evidence : own_evidence;
  }
  std::string_view Note() const { return own_note.empty() ? note : own_note; }
  // Replaces the note by text made for this term.
  void SetOwnNote(std::string text) {
    own_note = std::move(text);
    note = {};
  }
};

// The terms of the three scores of one assessment, in the order of their components.
struct ScoreTerms {
  std::vector<ScoreTerm> impede_vte;
  std::vector<ScoreTerm> saved;
  std::vector<ScoreTerm> imwg2008;
};

// Appends `terms` to `components` as ScoreComponents, each as the engine wrote it before terms
// existed (field for field: tests/golden holds the output).
void WriteComponents(const std::vector<ScoreTerm>& terms,
                     google::protobuf::RepeatedPtrField<v1::ScoreComponent>* components);

// The terms of `components` (views into them, which must outlive the result): for readers of an
// Assessment proto, so that they read terms the one way.
std::vector<ScoreTerm> TermsOf(
    const google::protobuf::RepeatedPtrField<v1::ScoreComponent>& components);

// Builds ScoreTerms and keeps three sums: the reported score (an UNKNOWN term counts as absent, as
// the claims-derived models did), and the lowest and highest scores the unknown terms allow. The
// reported score always lies within [min, max]. The text passed in (ids, labels, sources, the
// facts' evidence and notes) must outlive the terms.
class ScoreTally final {
 public:
  explicit ScoreTally(std::vector<ScoreTerm>* terms) : terms_(terms) {}

  // A term worth `points` when `fact` is PRESENT. Returns the term for notes; the reference
  // holds until the next term is added.
  ScoreTerm& AddTerm(std::string_view id, std::string_view label, int points,
                     const v1::Fact& fact, std::string_view source);

  // A term whose state was derived (e.g. BMI >= 25 from a BMI value), with its evidence and
  // note taken from `evidence_fact`.
  ScoreTerm& AddDerived(std::string_view id, std::string_view label, int points,
                        v1::Fact::State state, const v1::Fact& evidence_fact,
                        std::string_view source);

  // As above, with the evidence and note given directly (e.g. a dose's evidence and rule).
  ScoreTerm& AddDerived(std::string_view id, std::string_view label, int points,
                        v1::Fact::State state,
                        const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence,
                        std::string_view note, std::string_view source);

  // A term known to be present whose value lies in [low, high] (e.g. dexamethasone of unknown
  // dose: at least the low-dose band). Counts `low` in the reported score.
  ScoreTerm& AddRange(std::string_view id, std::string_view label, int low, int high,
                      std::string_view source);

  int reported() const { return reported_; }
  int min() const { return min_; }
  int max() const { return max_; }

 private:
  ScoreTerm& NewTerm(std::string_view id, std::string_view label, int points,
                     v1::Fact::State state, std::string_view source);

  std::vector<ScoreTerm>* terms_;
  int reported_ = 0;
  int min_ = 0;
  int max_ = 0;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_SCORE_TALLY_H_
