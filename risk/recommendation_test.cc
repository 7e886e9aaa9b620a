// The decision table of policy v1 and v1.1 (docs/clinical.md, "Decision" and "Policy v1.1"):
// hard stops, renal dosing, existing anticoagulation, aspirin, the agent gate on every path, and
// the promise that a hard stop never yields a drug.
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
  return Engine::Default().AssessFacts(b.facts(), kNow).recommendation();
}

std::vector<std::string> Ingredients(
    const google::protobuf::RepeatedPtrField<v1::AgentSuggestion>& agents) {
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
  EXPECT_THAT(Ingredients(RecommendFor(Typical().CrCl(15)).agents()),
              ElementsAre("enoxaparin", "apixaban"));
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

// ---------------------------------------------------------------------------------------------
// Policy v1.1 (docs/clinical.md, "Reading real records safely"): every suggestion passes the
// agent gate.

std::vector<std::string> Excluded(const v1::Recommendation& rec) {
  std::vector<std::string> names;
  for (const auto& e : rec.excluded_agents()) names.push_back(e.ingredient());
  return names;
}
int OneClick(const v1::Recommendation& rec) {
  int n = 0;
  for (const auto* list : {&rec.agents(), &rec.alternatives()}) {
    for (const auto& agent : *list) n += agent.verify_before_ordering().empty();
  }
  return n;
}

// Rule 14: an unreadable platelet count leaves every agent named but none one-click, and the
// rationale says so.
TEST(RecommendV11, UnreadablePlateletsLeaveNoOneClickOrder) {
  const v1::Recommendation rec = RecommendFor(Typical().UnknownPlatelets(
      "see comment", absl::FromCivil(absl::CivilDay(2026, 11, 20), absl::UTCTimeZone())));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("enoxaparin", "apixaban", "rivaroxaban"));
  EXPECT_EQ(OneClick(rec), 0);
  EXPECT_THAT(rec.agents(0).verify_before_ordering(),
              ElementsAre(HasSubstr("Platelets recorded as 'see comment' on 2026-11-20")));
  EXPECT_THAT(rec.rationale(), HasSubstr("No recommended agent can be ordered in one click"));
}

// Rule 14 on the aspirin path: aspirin is gated by platelets too.
TEST(RecommendV11, AspirinIsGatedByUnknownPlatelets) {
  FactsBuilder low;
  low.Imid().Race("2028-9").Dex(160, 160, 28).Bmi(23.5).Age(66).CrCl(80);  // no platelets
  const v1::Recommendation rec = RecommendFor(low);
  EXPECT_EQ(rec.action(), Action::ASPIRIN);
  ASSERT_THAT(Ingredients(rec.agents()), ElementsAre("aspirin"));
  EXPECT_THAT(rec.agents(0).verify_before_ordering(), ElementsAre(HasSubstr("Platelets")));
}

// Rule 16: a heparin allergy excludes enoxaparin from the card, with the allergy as the reason.
TEST(RecommendV11, HeparinAllergyExcludesEnoxaparinWithTheReason) {
  const v1::Recommendation rec = RecommendFor(
      Typical().Allergy("Heparin sodium", {"heparin", "enoxaparin", "dalteparin", "tinzaparin"}));
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("apixaban", "rivaroxaban"));
  ASSERT_THAT(Excluded(rec), ElementsAre("enoxaparin"));
  EXPECT_THAT(rec.excluded_agents(0).reason(), HasSubstr("'Heparin sodium'"));
  EXPECT_EQ(OneClick(rec), 4);  // apixaban, rivaroxaban, warfarin, aspirin
}

// Rule 16: an aspirin allergy on the aspirin tier gives an anticoagulant, never aspirin.
TEST(RecommendV11, AspirinAllergyRecordTurnsTheAspirinTierToAnAnticoagulant) {
  FactsBuilder low;
  low.Imid().Race("2028-9").Dex(160, 160, 28).Bmi(23.5).Age(66).Platelets(200).CrCl(80);
  const v1::Recommendation rec = RecommendFor(low.Allergy("Aspirin", {"aspirin"}));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_THAT(Ingredients(rec.alternatives()), Not(Contains("aspirin")));
  EXPECT_THAT(rec.cautions(), Contains(HasSubstr("Aspirin is excluded")));
  EXPECT_THAT(Excluded(rec), ElementsAre("aspirin"));
  EXPECT_THAT(rec.excluded_agents(0).reason(), HasSubstr("recorded as 'Aspirin'"));
}

// Rule 18: an anticoagulant of unknown dose: no new anticoagulant, verify the dose, quoting it.
TEST(RecommendV11, UnknownIntensityGivesNoNewAnticoagulantAndAsksToVerify) {
  const v1::Recommendation rec = RecommendFor(Typical().AnticoagulationOfUnknownIntensity());
  EXPECT_EQ(rec.action(), Action::ALREADY_ANTICOAGULATED);
  EXPECT_THAT(rec.agents(), IsEmpty());
  EXPECT_THAT(rec.alternatives(), IsEmpty());
  EXPECT_THAT(rec.cautions(),
              Contains(HasSubstr("recorded as 'eliquis' (MedicationStatement/apixaban")));
}

// Rule 19: a possibly current anticoagulant: prophylaxis is still decided, but no agent is
// one-click and the card names the record.
TEST(RecommendV11, PossiblyCurrentAnticoagulantLeavesNoOneClickOrder) {
  const v1::Recommendation rec = RecommendFor(Typical().PossiblyCurrentAnticoagulant("mr-9"));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  EXPECT_EQ(OneClick(rec), 0);
  EXPECT_THAT(rec.cautions(), Contains(HasSubstr("MedicationRequest/mr-9")));
}

// Rules 14, 18: medications that could not be fully obtained: no one-click order either.
TEST(RecommendV11, IncompleteMedicationsLeaveNoOneClickOrder) {
  FactsBuilder b = Typical();
  b.SetUnknown(&F::mutable_therapeutic_anticoagulation);
  EXPECT_EQ(OneClick(RecommendFor(b)), 0);
}

// Rule 22: on enoxaparin 40 mg at CrCl 20, the card suggests 30 mg in its place.
TEST(RecommendV11, ContinuingEnoxaparinAtLowClearanceBecomesADoseChange) {
  const v1::Recommendation rec =
      RecommendFor(Typical().CrCl(20).ProphylacticAgent("enoxaparin", "LMWH", 40, 1, "7"));
  EXPECT_EQ(rec.action(), Action::ANTICOAGULANT);
  ASSERT_THAT(Ingredients(rec.agents()), ElementsAre("enoxaparin"));
  EXPECT_EQ(rec.agents(0).dose_mg(), 30);
  EXPECT_EQ(rec.agents(0).replaces_current(), "enoxaparin 40 mg once daily (MedicationRequest/7)");
  EXPECT_THAT(rec.agents(0).verify_before_ordering(), IsEmpty());
}

// Rule 22: on a suitable agent at a suitable dose, continue it; nothing new.
TEST(RecommendV11, ContinuingASuitableAgentNeedsNoOrder) {
  const v1::Recommendation rec =
      RecommendFor(Typical().ProphylacticAgent("apixaban", "DOAC", 2.5, 2));
  EXPECT_THAT(rec.agents(), IsEmpty());
  EXPECT_THAT(rec.cautions(), Contains(HasSubstr("continue it")));
}

// Rule 22 on the aspirin tier: current aspirin is checked too; an unknown platelet count is said.
TEST(RecommendV11, ContinuingAspirinIsChecked) {
  FactsBuilder low;
  low.Imid().Race("2028-9").Dex(160, 160, 28).Bmi(23.5).Age(66).CrCl(80).Set(&F::mutable_aspirin);
  const v1::Recommendation rec = RecommendFor(low);
  EXPECT_EQ(rec.action(), Action::ASPIRIN);
  EXPECT_THAT(rec.agents(), IsEmpty());
  EXPECT_THAT(rec.cautions(), Contains(HasSubstr("Continuing aspirin: Platelets not known")));
}

// Rule 22: an agent now forbidden (heparin allergy) is said first, and the alternatives replace
// it.
TEST(RecommendV11, ContinuingAForbiddenAgentIsSaidFirstAndReplaced) {
  const v1::Recommendation rec = RecommendFor(Typical()
                                                  .ProphylacticAgent("enoxaparin", "LMWH", 40, 1)
                                                  .Allergy("enoxaparin", {"enoxaparin"}));
  ASSERT_FALSE(rec.cautions().empty());
  EXPECT_THAT(rec.cautions(0), HasSubstr("must not be continued"));
  EXPECT_THAT(Excluded(rec), ElementsAre("enoxaparin"));  // once, as the current agent
  EXPECT_THAT(rec.excluded_agents(0).reason(), HasSubstr("currently taken"));
  ASSERT_THAT(Ingredients(rec.agents()), ElementsAre("apixaban", "rivaroxaban"));
  for (const auto& agent : rec.agents()) {
    EXPECT_THAT(agent.replaces_current(), HasSubstr("enoxaparin 40 mg")) << agent.ingredient();
  }
}

// Rule 22 under a hard stop: the card says the current agent is held too.
TEST(RecommendV11, HardStopNamesTheCurrentAgent) {
  const v1::Recommendation rec = RecommendFor(
      Typical().Platelets(30).ProphylacticAgent("enoxaparin", "LMWH", 40, 1, "7"));
  EXPECT_EQ(rec.action(), Action::WITHHOLD_PHARMACOLOGIC);
  ASSERT_FALSE(rec.cautions().empty());
  EXPECT_THAT(rec.cautions(0), HasSubstr("enoxaparin 40 mg once daily (MedicationRequest/7)"));
}

// Rule 23: dialysis and a heparin allergy exclude every recommended agent; the rationale says so
// and points to the remaining alternative.
TEST(RecommendV11, EveryRecommendedAgentExcludedIsSaid) {
  const v1::Recommendation rec =
      RecommendFor(Typical().Dialysis().Allergy("heparin", {"heparin", "enoxaparin"}));
  EXPECT_THAT(rec.agents(), IsEmpty());
  EXPECT_THAT(Excluded(rec), ElementsAre("enoxaparin", "apixaban", "rivaroxaban"));
  EXPECT_THAT(Ingredients(rec.alternatives()), ElementsAre("warfarin", "aspirin"));
  EXPECT_THAT(rec.rationale(), HasSubstr("Every recommended agent is excluded"));
}

// Rule 23: a strong inducer on record removes both DOACs; enoxaparin stays.
TEST(RecommendV11, StrongInducerRemovesDoacs) {
  const v1::Recommendation rec = RecommendFor(Typical().StrongInducer("rifampin"));
  EXPECT_THAT(Ingredients(rec.agents()), ElementsAre("enoxaparin"));
  EXPECT_THAT(Excluded(rec), ElementsAre("apixaban", "rivaroxaban"));
}

}  // namespace
}  // namespace thrombo::risk
