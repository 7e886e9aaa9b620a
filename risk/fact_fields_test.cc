// Copyright 2026 The Thrombo Authors.
#include "risk/fact_fields.h"

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {
namespace {

// A Fact field added to ClinicalFacts must be added to the accessor list too: otherwise every
// call walks the descriptor by reflection again.
TEST(FactFieldsTest, TheAccessorListIsEveryFactFieldInDeclarationOrder) {
  EXPECT_TRUE(FactAccessorsComplete());
}

// Each field is visited once, in declaration order: every note a card lists comes out in the
// order it did when the card read the fields by reflection.
TEST(FactFieldsTest, VisitsEveryFactFieldOnceInDeclarationOrder) {
  v1::ClinicalFacts facts;
  std::vector<std::string> expected;
  const google::protobuf::Descriptor* descriptor = v1::ClinicalFacts::descriptor();
  const google::protobuf::Reflection* reflection = facts.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->message_type() != v1::Fact::descriptor()) continue;
    static_cast<v1::Fact*>(reflection->MutableMessage(&facts, field))->set_note(field->name());
    expected.push_back(field->name());
  }
  ASSERT_GT(expected.size(), 40u);

  std::vector<std::string> visited;
  ForEachFact(facts, [&](const v1::Fact& fact) { visited.push_back(fact.note()); });
  EXPECT_EQ(visited, expected);

  std::vector<std::string> visited_mutable;
  ForEachMutableFact(&facts, [&](v1::Fact* fact) { visited_mutable.push_back(fact->note()); });
  EXPECT_EQ(visited_mutable, expected);
}

TEST(FactFieldsTest, MutableVisitSetsEveryField) {
  v1::ClinicalFacts facts;
  ForEachMutableFact(&facts, [](v1::Fact* fact) { fact->set_state(v1::Fact::ABSENT); });
  EXPECT_TRUE(facts.has_age_years());
  EXPECT_EQ(facts.strong_cyp3a4_pgp_inducer().state(), v1::Fact::ABSENT);
  int unset = 0;
  ForEachFact(facts, [&](const v1::Fact& fact) { unset += fact.state() != v1::Fact::ABSENT; });
  EXPECT_EQ(unset, 0);
}

}  // namespace
}  // namespace thrombo::risk
