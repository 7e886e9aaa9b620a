// Copyright 2026 The Thrombo Authors.
// Conditions and procedures: active bleeding (docs/clinical.md policy v1.1 rule 17) and
// dialysis / end-stage kidney disease (rule 23).
#include "risk/condition_facts.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"

namespace thrombo::risk {
namespace {

using testing::Coding;
using testing::Condition;
using testing::Facts;
using testing::kIcd10;
using testing::kSnomed;
using State = v1::Fact;

v1::ClinicalFacts Read(const std::vector<std::string>& resources) {
  absl::StatusOr<v1::ClinicalFacts> facts = Facts(resources);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : v1::ClinicalFacts();
}

std::string Code(const std::string& system, const std::string& code) {
  return absl::StrCat("{\"coding\":[", Coding(system, code), "]}");
}

std::string Text(const std::string& text) {
  return absl::StrCat("{\"coding\":[", Coding("http://example.org/local", "X1"), "],\"text\":\"",
                      text, "\"}");
}

// The issue's case: an active gastric ulcer with haemorrhage counted only against aspirin.
TEST(BleedingTest, PepticUlcerWithHaemorrhageIsActiveBleeding) {
  for (const char* code : {"K25.0", "K25.4", "K26.0", "K26.4", "K27.4", "K28.0"}) {
    const v1::ClinicalFacts f = Read({Condition("c", Code(kIcd10, code), "active", 5)});
    EXPECT_EQ(f.active_bleeding().state(), State::PRESENT) << code;
    EXPECT_EQ(f.aspirin_contraindication().state(), State::PRESENT) << code;
    EXPECT_EQ(f.active_bleeding().evidence(0).resource_id(), "c");
  }
}

TEST(BleedingTest, UlcerWithoutBleedingIsAnAspirinContraindicationOnly) {
  const v1::ClinicalFacts f = Read({Condition("c", Code(kIcd10, "K25.3"), "active", 5)});
  EXPECT_EQ(f.active_bleeding().state(), State::ABSENT);
  EXPECT_EQ(f.aspirin_contraindication().state(), State::PRESENT);
}

TEST(BleedingTest, EveryKindOfBleedingCode) {
  for (const auto& [system, code] :
       std::vector<std::pair<std::string, std::string>>{{kIcd10, "K92.0"},
                                                        {kIcd10, "K92.1"},
                                                        {kIcd10, "K92.2"},
                                                        {kIcd10, "I60.9"},
                                                        {kIcd10, "I61.0"},
                                                        {kIcd10, "I62.00"},
                                                        {kIcd10, "R04.2"},
                                                        {kIcd10, "R04.0"},
                                                        {kIcd10, "R31.9"},
                                                        {kIcd10, "K62.5"},
                                                        {kIcd10, "S06.5X0A"},
                                                        {kIcd10, "R58"},
                                                        {kSnomed, "74474003"},
                                                        {kSnomed, "1386000"},
                                                        {kSnomed, "66857006"},
                                                        {kSnomed, "34436003"},
                                                        {kSnomed, "15902003"}}) {
    const v1::ClinicalFacts f = Read({Condition("c", Code(system, code), "active", 5)});
    EXPECT_EQ(f.active_bleeding().state(), State::PRESENT) << code;
  }
}

TEST(BleedingTest, TextNamesTheBleedWhenTheCodeIsUnknown) {
  for (const char* text :
       {"Gastric ulcer with haemorrhage", "Haemoptysis", "Frank haematuria", "Upper GI bleed"}) {
    const v1::ClinicalFacts f = Read({Condition("c", Text(text), "active", 5)});
    EXPECT_EQ(f.active_bleeding().state(), State::PRESENT) << text;
  }
}

TEST(BleedingTest, ARecentBleedCountsWhateverItsStatus) {
  v1::ClinicalFacts f = Read({Condition("c", Code(kIcd10, "K92.2"), "resolved", 30)});
  EXPECT_EQ(f.active_bleeding().state(), State::PRESENT);
  EXPECT_NE(f.active_bleeding().time_us(), 0);
  f = Read({Condition("c", Code(kIcd10, "K92.2"), "resolved", 200)});
  EXPECT_EQ(f.active_bleeding().state(), State::ABSENT);
  f = Read({Condition("c", Code(kIcd10, "K92.2"), "active", 400)});
  EXPECT_EQ(f.active_bleeding().state(), State::PRESENT);
}

TEST(DialysisTest, CodesAndProcedures) {
  for (const auto& [system, code] :
       std::vector<std::pair<std::string, std::string>>{{kIcd10, "N18.6"},
                                                        {kIcd10, "Z99.2"},
                                                        {kIcd10, "Z49.01"},
                                                        {kSnomed, "46177005"},
                                                        {kSnomed, "105502003"}}) {
    const v1::ClinicalFacts f = Read({Condition("c", Code(system, code), "active", 100)});
    EXPECT_EQ(f.dialysis().state(), State::PRESENT) << code;
  }
  const std::string procedure = absl::StrCat(
      R"({"resourceType":"Procedure","id":"hd","status":"completed","code":{"coding":[)",
      Coding(kSnomed, "302497006"),
      R"(]},"subject":{"reference":"Patient/p"},"performedDateTime":")", testing::DaysAgo(3),
      "\"}");
  EXPECT_EQ(Read({procedure}).dialysis().state(), State::PRESENT);
  // End-stage renal disease in words is dialysis and CKD.
  const v1::ClinicalFacts esrd = Read({Condition("c", Text("ESRD on HD"), "active", 100)});
  EXPECT_EQ(esrd.dialysis().state(), State::PRESENT);
  EXPECT_EQ(esrd.chronic_kidney_disease().state(), State::PRESENT);
  // CKD stage 4 is not dialysis.
  EXPECT_EQ(Read({Condition("c", Code(kIcd10, "N18.4"), "active", 100)}).dialysis().state(),
            State::ABSENT);
}

TEST(ConditionsTest, UnavailableConditionsAreUnknownNotAbsent) {
  DataAvailability available;
  available.conditions = false;
  absl::StatusOr<v1::ClinicalFacts> f = Facts({}, {}, available);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->active_bleeding().state(), State::UNKNOWN);
  EXPECT_EQ(f->dialysis().state(), State::UNKNOWN);
}

}  // namespace
}  // namespace thrombo::risk
