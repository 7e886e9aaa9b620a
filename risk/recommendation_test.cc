// The decision table of policy v1 (clinical-spec §0.5, §0.8-§0.13): hard stops, renal dosing,
// existing anticoagulation, aspirin, and the promise that a hard stop never yields a drug.
#include "risk/recommendation.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "risk/facts_builder.h"
#include "risk/scores.h"

namespace thrombo::risk {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using F = v1::ClinicalFacts;
using Action = v1::Recommendation;

const absl::Time kNow = absl::FromCivil(absl::CivilDay(2026, 11, 25), absl::UTCTimeZone());

v1::Recommendation RecommendFor(const FactsBuilder& b) {
  const EngineRules& rules = Engine::Default().rules();
  v1::Assessment a;
  *a.mutable_facts() = b.facts();
  *a.mutable_impede_vte() = ScoreImpedeVte(a.facts(), rules);
  *a.mutable_saved() = ScoreSaved(a.facts(), rules);
  *a.mutable_imwg2008() = ScoreImwg2008(a.facts(), rules, kNow);
  *a.mutable_arterial() = AssessArterial(a.facts(), rules);
  return Recommend(a, rules, kNow);
}

std::vector<std::string> Ingredients(const google::protobuf::RepeatedPtrField<v1::AgentSuggestion>& agents) {
  std::vector<std::string> names;
  for (const auto& agent : agents) names.push_back(agent.ingredient());
  return names;
}

// A typical intermediate-risk patient: IMiD + low-dose dex, normal labs, NDMM.
FactsBuilder Typical() {
  FactsBuilder b;
  b.Imid().Dex(160, 160, 28).Bmi(24).Age(70).Platelets(220).CrCl(65).DiagnosedAgo(
      kNow, absl::Hours(24 * 60));
  return b;
}

TEST(Recommend, NoImidNoRecommendation) {
  const v1::Recommendation rec = RecommendFor(FactsBuilder().Dex(480).Platelets(200));
  EXPECT_EQ(rec.action(), Action::NO_RECOMMENDATION);
  EXPECT_THAT(rec.agents(), IsEmpty());
}

TEST(Recommend, IntermediateImpedeAloneGivesAnticoagulantWithAspirinAlternative) {
  const v1::Recommendation rec = RecommendFor(Typical());
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("enoxaparin", "apixaban", "rivaroxaban"));
  EXPECT_THAT(Ingredients(rec.alternatives()), ElementsAre("warfarin", "aspirin"));
  EXPECT_TRUE(rec.scores_disagree());
  EXPECT_THAT(rec.rationale(), HasSubstr("disagree"));
  EXPECT_EQ(rec.policy_version(), Engine::Default().rules().policy_version);
}

TEST(Recommend, PlateletsBelowFiftyWithholdEveryDrug) {
  const v1::Recommendation at49 = RecommendFor(Typical().Platelets(49));
  EXPECT_EQ(at49.action(), Action::WITHHOLD_PHARMACOLOGIC);
  EXPECT_THAT(at49.agents(), IsEmpty());
  EXPECT_THAT(at49.alternatives(), IsEmpty());
  EXPECT_EQ(at49.hard_stops(0).id(), "platelets_below_threshold");
  EXPECT_EQ(RecommendFor(Typical().Platelets(50)).action(), Action::ANTICOAGULANT);
}

TEST(Recommend, ActiveBleedingWithholdsEvenAspirin) {
  FactsBuilder low;
  low.Imid().Race("2028-9").Bmi(22).Platelets(200).CrCl(80);  // IMPEDE 1: aspirin tier
  EXPECT_EQ(RecommendFor(low).action(), Action::ASPIRIN);
  const v1::Recommendation rec = RecommendFor(low.Set(&F::mutable_active_bleeding));
  EXPECT_EQ(rec.action(), Action::WITHHOLD_PHARMACOLOGIC);
  EXPECT_THAT(rec.agents(), IsEmpty());
}

TEST(Recommend, HitHistoryRemovesHeparinsOnly) {
  const v1::Recommendation rec = RecommendFor(Typical().Set(&F::mutable_hit_history));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("apixaban", "rivaroxaban"));
}

TEST(Recommend, RenalDosingAtCrCl30) {
  const v1::Recommendation at29 = RecommendFor(Typical().CrCl(29));
  ASSERT_THAT(Ingredients(at29.agents()), ElementsAre("enoxaparin", "apixaban"));
  EXPECT_EQ(at29.agents(0).dose_mg(), 30);
  EXPECT_TRUE(at29.agents(0).renally_adjusted());
  EXPECT_THAT(at29.agents(1).cautions(), Contains(HasSubstr("caution")));

  const v1::Recommendation at30 = RecommendFor(Typical().CrCl(30));
  ASSERT_THAT(Ingredients(at30.agents()), ElementsAre("enoxaparin", "apixaban", "rivaroxaban"));
  EXPECT_EQ(at30.agents(0).dose_mg(), 40);
  EXPECT_THAT(at30.agents(1).cautions(), IsEmpty());
}

TEST(Recommend, ApixabanNotOfferedBelow15) {
  EXPECT_THAT(Ingredients(RecommendFor(Typical().CrCl(14)).agents()), ElementsAre("enoxaparin"));
  EXPECT_THAT(Ingredients(RecommendFor(Typical().CrCl(15)).agents()), ElementsAre("enoxaparin", "apixaban"));
}

TEST(Recommend, UnknownCrClIsSaidOnEveryAgent) {
  FactsBuilder b;
  b.Imid().Dex(480).Bmi(24).Age(70).Platelets(220);
  const v1::Recommendation rec = RecommendFor(b);
  ASSERT_EQ(rec.action(), Action::ANTICOAGULANT);
  for (const auto& agent : rec.agents()) {
    EXPECT_THAT(agent.cautions(), Contains(HasSubstr("unknown"))) << agent.ingredient();
  }
}

TEST(Recommend, AlreadyAnticoagulatedGetsNoNewDrug) {
  const v1::Recommendation rec = RecommendFor(Typical().TherapeuticAnticoagulation());
  EXPECT_EQ(rec.action(), Action::ALREADY_ANTICOAGULATED);
  EXPECT_THAT(rec.agents(), IsEmpty());
  EXPECT_THAT(rec.rationale(), HasSubstr("aspirin should not be added"));
  const v1::Recommendation unknown = RecommendFor(Typical().AnticoagulationOfUnknownIntensity());
  EXPECT_EQ(unknown.action(), Action::ALREADY_ANTICOAGULATED);
  EXPECT_THAT(unknown.cautions(), Contains(HasSubstr("confirm")));
}

TEST(Recommend, UnobtainableMedicationsDoNotSuppressProphylaxisButAreSaid) {
  // Medications unknown because they could not be fetched: no evidence of any anticoagulant.
  const v1::Recommendation rec = RecommendFor(
      Typical().SetUnknown(&F::mutable_therapeutic_anticoagulation));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(rec.cautions(), Contains(HasSubstr("already takes an anticoagulant")));
}

TEST(Recommend, OnAspirinButAnticoagulantTierSwitches) {
  const v1::Recommendation rec = RecommendFor(Typical().Set(&F::mutable_aspirin));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_TRUE(rec.switch_from_aspirin());
}

TEST(Recommend, LowRiskAspirinAndAspirinAllergyGivesAnticoagulant) {
  FactsBuilder low;
  low.Imid().Race("2028-9").Dex(160, 160, 28).Bmi(23.5).Age(66).Platelets(200).CrCl(80);
  const v1::Recommendation rec = RecommendFor(low);
  EXPECT_EQ(rec.action(), Action::ASPIRIN);
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("aspirin"));
  EXPECT_FALSE(rec.scores_disagree());
  const v1::Recommendation allergic = RecommendFor(low.Set(&F::mutable_aspirin_contraindication));
  EXPECT_EQ(allergic.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(Ingredients(allergic.alternatives()), Not(Contains("aspirin")));
}

TEST(Recommend, MaintenanceWithoutDexIsLowConfidence) {
  FactsBuilder b;
  b.Imid().Bmi(22).Age(70).Platelets(200).CrCl(80).DiagnosedAgo(kNow, absl::Hours(24 * 400));
  EXPECT_THAT(RecommendFor(b).confidence_notes(), Contains(HasSubstr("maintenance")));
}

TEST(Recommend, MissingPlateletCountIsSaid) {
  FactsBuilder b;
  b.Imid().Dex(160, 160, 28).Bmi(24).Age(70).CrCl(65);
  EXPECT_THAT(RecommendFor(b).cautions(), Contains(HasSubstr("platelet")));
}

}  // namespace
}  // namespace thrombo::risk
