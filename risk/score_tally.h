// Copyright 2026 The Thrombo Authors.
// Adds up a points-based score whose terms may be present, absent or unknown (docs/clinical.md §0 rule 6).
#ifndef THROMBO_RISK_SCORE_TALLY_H_
#define THROMBO_RISK_SCORE_TALLY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

// Builds ScoreComponents and keeps three sums: the reported score (an UNKNOWN term counts as
// absent, as the claims-derived models did), and the lowest and highest scores the unknown terms
// allow. The reported score always lies within [min, max].
class ScoreTally final {
 public:
  explicit ScoreTally(google::protobuf::RepeatedPtrField<v1::ScoreComponent>* components)
      : components_(components) {}

  // A term worth `points` when `fact` is PRESENT. Returns the component for notes.
  v1::ScoreComponent& AddTerm(absl::string_view id, absl::string_view label, int points,
                              const v1::Fact& fact, absl::string_view source);

  // A term whose state was derived (e.g. BMI >= 25 from a BMI value), with its evidence taken
  // from `evidence_fact`.
  v1::ScoreComponent& AddDerived(absl::string_view id, absl::string_view label, int points,
                                 v1::Fact::State state, const v1::Fact& evidence_fact,
                                 absl::string_view source);

  // As above, with the evidence and note given directly (e.g. a dose's evidence and rule).
  v1::ScoreComponent& AddDerived(absl::string_view id, absl::string_view label, int points,
                                 v1::Fact::State state,
                                 const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence,
                                 absl::string_view note, absl::string_view source);

  // A term known to be present whose value lies in [low, high] (e.g. dexamethasone of unknown
  // dose: at least the low-dose band). Counts `low` in the reported score.
  v1::ScoreComponent& AddRange(absl::string_view id, absl::string_view label, int low, int high,
                               absl::string_view source);

  int reported() const { return reported_; }
  int min() const { return min_; }
  int max() const { return max_; }

 private:
  v1::ScoreComponent& NewComponent(absl::string_view id, absl::string_view label, int points,
                                   v1::Fact::State state, absl::string_view source);

  google::protobuf::RepeatedPtrField<v1::ScoreComponent>* components_;
  int reported_ = 0;
  int min_ = 0;
  int max_ = 0;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_SCORE_TALLY_H_
