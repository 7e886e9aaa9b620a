// Copyright 2026 The Thrombo Authors.
#include "risk/score_tally.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {
namespace {

v1::Fact FactWith(v1::Fact::State state, const std::string& id, const std::string& note = "") {
  v1::Fact fact;
  fact.set_state(state);
  v1::Evidence& evidence = *fact.add_evidence();
  evidence.set_resource_type("Condition");
  evidence.set_resource_id(id);
  evidence.set_path("Condition.code");
  evidence.set_source(v1::Evidence::CODE);
  evidence.set_matched("http://snomed.info/sct|128053003");
  fact.set_note(note);
  return fact;
}

TEST(ScoreTallyTest, SumsPresentTermsAndBoundsUnknownOnes) {
  const v1::Fact present = FactWith(v1::Fact::PRESENT, "c1");
  const v1::Fact absent = FactWith(v1::Fact::ABSENT, "c2");
  const v1::Fact unknown = FactWith(v1::Fact::UNKNOWN, "c3", "no weight recorded");
  const v1::Fact unspecified;  // a fact nobody set reads as UNKNOWN
  std::vector<ScoreTerm> terms;
  ScoreTally tally(&terms);
  tally.AddTerm("t.vte", "History of VTE", 3, present, "src");
  tally.AddTerm("t.esa", "ESA", 1, absent, "src");
  tally.AddTerm("t.bmi", "BMI >= 25", 1, unknown, "src");
  tally.AddTerm("t.minus", "Prophylaxis", -3, unspecified, "src");
  tally.AddRange("t.dex", "Dexamethasone", 2, 4, "src");

  EXPECT_EQ(tally.reported(), 3 + 2);
  EXPECT_EQ(tally.min(), 3 - 3 + 2);
  EXPECT_EQ(tally.max(), 3 + 1 + 4);
  ASSERT_EQ(terms.size(), 5u);
  EXPECT_EQ(terms[0].awarded, 3);
  EXPECT_EQ(terms[1].awarded, 0);
  EXPECT_EQ(terms[2].state, v1::Fact::UNKNOWN);
  EXPECT_EQ(terms[3].state, v1::Fact::UNKNOWN);
  EXPECT_EQ(terms[4].awarded, 2);
  EXPECT_EQ(terms[4].points, 4);
}

TEST(ScoreTallyTest, TermsReferToTheFactsEvidenceAndNoteWithoutCopying) {
  const v1::Fact unknown = FactWith(v1::Fact::UNKNOWN, "c3", "no weight recorded");
  std::vector<ScoreTerm> terms;
  ScoreTally tally(&terms);
  ScoreTerm& term = tally.AddTerm("t.bmi", "BMI >= 25", 1, unknown, "src");
  EXPECT_EQ(&term.Evidence(), &unknown.evidence());
  EXPECT_EQ(term.Note().data(), unknown.note().data());

  term.SetOwnNote("computed");
  EXPECT_EQ(term.Note(), "computed");
  EXPECT_TRUE(term.note.empty());
}

// The components written from terms are the components the tally wrote into protos before terms
// existed: every field, the evidence copied, a made note and own evidence included.
TEST(ScoreTallyTest, WriteComponentsGivesEveryFieldOfTheComponent) {
  const v1::Fact present = FactWith(v1::Fact::PRESENT, "c1", "coded");
  std::vector<ScoreTerm> terms;
  ScoreTally tally(&terms);
  tally.AddTerm("t.vte", "History of VTE", 3, present, "Li 2019");
  ScoreTerm& range = tally.AddRange("t.dex", "Dexamethasone", 1, 4, "Sanfilippo 2019");
  range.SetOwnNote("dose could not be computed");
  ScoreTerm& race = tally.AddDerived("t.asian", "Asian race", 1, v1::Fact::ABSENT,
                                     v1::Fact::default_instance(), "Li 2019");
  race.own_evidence.Add()->set_resource_type("Patient");

  google::protobuf::RepeatedPtrField<v1::ScoreComponent> components;
  WriteComponents(terms, &components);
  ASSERT_EQ(components.size(), 3);
  const v1::ScoreComponent& vte = components[0];
  EXPECT_EQ(vte.id(), "t.vte");
  EXPECT_EQ(vte.label(), "History of VTE");
  EXPECT_EQ(vte.points(), 3);
  EXPECT_EQ(vte.awarded(), 3);
  EXPECT_EQ(vte.state(), v1::Fact::PRESENT);
  EXPECT_EQ(vte.note(), "coded");
  EXPECT_EQ(vte.source(), "Li 2019");
  ASSERT_EQ(vte.evidence_size(), 1);
  EXPECT_EQ(vte.evidence(0).SerializeAsString(), present.evidence(0).SerializeAsString());
  EXPECT_EQ(components[1].note(), "dose could not be computed");
  EXPECT_EQ(components[1].awarded(), 1);
  EXPECT_EQ(components[1].points(), 4);
  EXPECT_EQ(components[1].state(), v1::Fact::UNKNOWN);
  ASSERT_EQ(components[2].evidence_size(), 1);
  EXPECT_EQ(components[2].evidence(0).resource_type(), "Patient");
  EXPECT_EQ(components[2].state(), v1::Fact::ABSENT);

  // And back: the terms of the components write the same components again.
  google::protobuf::RepeatedPtrField<v1::ScoreComponent> again;
  WriteComponents(TermsOf(components), &again);
  ASSERT_EQ(again.size(), components.size());
  for (int i = 0; i < components.size(); ++i) {
    EXPECT_EQ(again[i].SerializeAsString(), components[i].SerializeAsString()) << i;
  }
}

}  // namespace
}  // namespace thrombo::risk
